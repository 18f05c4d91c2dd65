package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.security.AccessPolicy.Outcome;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

class AccessPolicyTest {
    private static final String ENV = "/api/environment/e1";

    private static Caller caller(String environment, boolean all, String roles) {
        Set<Role> set = EnumSet.noneOf(Role.class);
        Arrays.stream(roles.split("\\+"))
                .filter(name -> !name.isBlank())
                .forEach(name -> set.add(Role.parse(name).orElseThrow()));
        return new Caller("c1", environment, set, all);
    }

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
        "POST, /onhand, inventory.write+inventory.erp",
        "POST, /onhand/, inventory.write+inventory.erp",
        "POST, /onhand/bulk, inventory.write+inventory.erp",
        "POST, /setonhand/pos/bulk, inventory.write+inventory.erp",
        "POST, /SetOnHand/FNO/Bulk/, inventory.write+inventory.erp",
        "POST, /setonhand/fno, inventory.write",
        "POST, /sync/fno, inventory.write+inventory.erp",
        "POST, /sync/fno/0d5e/records, inventory.write+inventory.erp",
        "POST, /sync/fno/0d5e/complete, inventory.write+inventory.erp",
        "DELETE, /sync/fno/0d5e, inventory.write+inventory.erp",
        "POST, /sync, inventory.write",
        "GET, /sync, inventory.read+inventory.erp",
        "GET, /sync/fno, inventory.read+inventory.erp",
        "POST, /onhand/reserve, inventory.write",
        "POST, /onhand/unreserve/bulk, inventory.write",
        "POST, /onhand/changeschedule, inventory.write",
        "POST, /allocation/allocate, inventory.write",
        "POST, /something/added/later, inventory.write",
        "POST, /onhand/indexquery, inventory.read",
        "POST, /onhand/indexquery/, inventory.read",
        "POST, /onhand/exactquery, inventory.read",
        "POST, /onhand/productsearch/indexquery, inventory.read",
        "POST, /allocation/query, inventory.read",
        "GET, /onhand, inventory.read",
        "GET, /configuration, config.admin",
        "GET, /Configuration/, config.admin",
        "POST, /configuration/hardupdate, config.admin",
        "DELETE, /cleanupalldata, config.admin",
        "DELETE, /partitions/cleanupalldata, config.admin",
        "POST, /onhand/reserve/resyncjob, config.admin",
        "POST, /updatePartitionSchema, config.admin",
        "POST, /updateEnvIdInConfig, config.admin",
        "GET, /allpartitionids, inventory.read+config.admin",
        "GET, /getJobProgress, inventory.read+config.admin",
    })
    void apiRoles_endpoint_isTheDocumentedRole(String method, String rest, String roles) {
        Set<Role> expected = caller("e1", false, roles).roles();

        assertThat(AccessPolicy.apiRoles(method, rest)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} as {2} in {3}, all={4}: {5}")
    @CsvSource({
        // No caller: a token is needed everywhere the policy is asked.
        "GET, /api/environment/e1/onhand, -, e1, false, NEEDS_TOKEN",
        "GET, /admin/clients, -, e1, false, NEEDS_TOKEN",
        "GET, /anything, -, e1, false, NEEDS_TOKEN",
        // Environment scoping.
        "POST, /api/environment/e1/onhand, inventory.write, e1, false, GRANTED",
        "POST, /api/environment/e2/onhand, inventory.write, e1, false, DENIED",
        "POST, /api/environment/e2/onhand, inventory.write+config.admin, e1, true, DENIED",
        "POST, /api/environment/E1/onhand, inventory.write, e1, false, DENIED",
        "POST, /api/environment//onhand, inventory.write, e1, false, DENIED",
        "POST, /api/environment/e1, inventory.write, e1, false, GRANTED",
        // Roles.
        "POST, /api/environment/e1/onhand, inventory.read, e1, false, DENIED",
        "POST, /api/environment/e1/onhand/indexquery, inventory.write, e1, false, DENIED",
        "POST, /api/environment/e1/configuration/hardupdate, inventory.write, e1, false, DENIED",
        "GET, /api/environment/e1/allpartitionids, config.admin, e1, false, GRANTED",
        // Environment administration: its own environment, or every environment.
        "PUT, /admin/environments/e1, config.admin, e1, false, GRANTED",
        "PUT, /admin/environments/e2, config.admin, e1, false, DENIED",
        "PUT, /admin/environments/e2, config.admin, e1, true, GRANTED",
        "PUT, /admin/environments/e1, inventory.write, e1, true, DENIED",
        "GET, /admin/environments/e1/configuration/versions, config.admin, e1, false, GRANTED",
        // Global administration needs every environment.
        "GET, /admin/environments, config.admin, e1, false, DENIED",
        "GET, /admin/environments, config.admin, e1, true, GRANTED",
        "POST, /admin/clients, config.admin, e1, false, DENIED",
        "POST, /admin/clients, config.admin, e1, true, GRANTED",
        "POST, /admin/keys/rotate, inventory.read+inventory.write, e1, true, DENIED",
        "GET, /actuator/metrics, config.admin, e1, false, DENIED",
        "GET, /actuator/metrics, config.admin, e1, true, GRANTED",
        // A path no rule names is closed to everyone but a global administrator.
        "GET, /nosuch, inventory.read, e1, false, DENIED",
        "GET, /nosuch, inventory.read+inventory.write+config.admin, e1, false, DENIED",
        "GET, /nosuch, config.admin, e1, true, GRANTED",
        "GET, /api/nosuch, inventory.read, e1, false, DENIED",
    })
    void decide_callerAndPath_givesTheDocumentedOutcome(
            String method,
            String path,
            String roles,
            String environment,
            boolean all,
            Outcome expected) {
        Caller caller = roles.equals("-") ? null : caller(environment, all, roles);

        AccessPolicy.Decision decision = AccessPolicy.decide(method, path, caller);

        assertThat(decision.outcome()).isEqualTo(expected);
        if (expected == Outcome.DENIED) {
            assertThat(decision.reason()).isNotBlank();
        }
    }

    @Test
    void decide_otherEnvironment_namesBothEnvironments() {
        AccessPolicy.Decision decision = AccessPolicy.decide(
                "GET", "/api/environment/e2/onhand", caller("e1", false, "inventory.read"));

        assertThat(decision.reason()).contains("'e1'", "'e2'");
    }

    @Test
    void decide_missingRole_namesTheNeededRole() {
        AccessPolicy.Decision decision =
                AccessPolicy.decide("POST", ENV + "/onhand", caller("e1", false, "inventory.read"));

        assertThat(decision.reason()).contains("inventory.write");
    }
}
