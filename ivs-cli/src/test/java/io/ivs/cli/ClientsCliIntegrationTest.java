package io.ivs.cli;

import static io.ivs.cli.TestIvs.ADMIN;
import static io.ivs.cli.TestIvs.ivs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.cli.TestIvs.Run;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code ivs clients …} and {@code ivs keys …} against a real IVS, as an operator runs them: the
 * administrator's credentials in the environment, the server's URL as an option. Each run is
 * checked for its output and its exit code.
 */
class ClientsCliIntegrationTest {
    private TestIvs server;
    private String env;

    @BeforeEach
    void start() {
        server = TestIvs.get();
        env = server.newEnvironment();
    }

    private Run admin(String... args) {
        return as(ADMIN, args);
    }

    private Run as(Map<String, String> environment, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(server.url());
        return ivs(environment, all.toArray(String[]::new));
    }

    @Test
    void createShowListRevoke_managesAClientThroughTheAdminApi() {
        String id = "pos-" + UUID.randomUUID();
        Run created = admin(
                "clients", "create",
                "--id", id,
                "--environments", env,
                "--roles", "inventory.read, inventory.write,",
                "--description", "store 12 \"north\"");

        assertThat(created.exit()).as(created.err()).isZero();
        String secret = created.json().path("clientSecret").asString();
        assertThat(created.json().path("clientId").asString()).isEqualTo(id);
        assertThat(created.json().path("description").asString()).isEqualTo("store 12 \"north\"");
        assertThat(created.json().path("roles").toString())
                .isEqualTo("[\"inventory.read\",\"inventory.write\"]");
        assertThat(created.err()).contains("shown only now");
        String token = server.token(id, secret, env);
        String onhand = "/api/environment/" + env + "/onhand/indexquery";
        String query = "{\"filters\":{\"organizationId\":[\"usmf\"],\"productId\":[\"x\"]}}";
        assertThat(server.call("POST", onhand, token, query).status()).isEqualTo(200);

        Run shown = admin("clients", "show", id);
        Run listed = admin("clients", "list");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.json().path("status").asString()).isEqualTo("active");
        assertThat(shown.out()).doesNotContain(secret);
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(ids(listed.json())).contains(id, TestIvs.ADMIN_ID);
        assertThat(listed.out()).doesNotContain(secret);

        Run revoked = admin("clients", "revoke", id);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.json().path("status").asString()).isEqualTo("revoked");
        assertThat(server.tokenAnswer(id, secret, env).status()).isEqualTo(401);
        assertThat(server.call("POST", onhand, token, query).status()).isEqualTo(401);
    }

    @Test
    void create_allEnvironments_keepsTheStar() {
        Run created =
                admin("clients", "create", "--environments", "*", "--roles", "inventory.read");

        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.json().path("environments").toString()).isEqualTo("[\"*\"]");
    }

    @Test
    void create_unknownRole_isRefusedWithTheServersMessage() {
        Run created = admin("clients", "create", "--environments", env, "--roles", "superuser");

        assertThat(created.exit()).isEqualTo(1);
        assertThat(created.err())
                .startsWith("ivs: POST /admin/clients failed (400): ")
                .contains("superuser");
        assertThat(created.out()).isEmpty();
    }

    @Test
    void create_untrustedIssuer_isRefusedAndPromisesNoSecret() {
        Run created = admin(
                "clients", "create",
                "--environments", env,
                "--roles", "inventory.read",
                "--issuer", "https://idp.example.com/untrusted");

        assertThat(created.exit()).isEqualTo(1);
        assertThat(created.err())
                .contains("(400)", "is not one of IVS_TRUSTED_ISSUERS")
                .doesNotContain("shown only now");
    }

    @Test
    void create_withoutRoles_isAUsageError() {
        Run created = admin("clients", "create", "--environments", env);
        Run unknown = admin("clients", "delete", "x");
        Run none = admin("clients");

        assertThat(created.exit()).isEqualTo(2);
        assertThat(created.err()).contains("--roles");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required subcommand");
    }

    @Test
    void show_unknownClient_isRefusedWith404() {
        Run shown = admin("clients", "show", "nobody-" + UUID.randomUUID());

        assertThat(shown.exit()).isEqualTo(1);
        assertThat(shown.err()).contains("(404)", "no client 'nobody-");
    }

    @Test
    void keysRotate_makesANewSigningKeyAndKeepsTheOldOneVerifying() {
        Run before = admin("keys", "list");
        Run rotated = admin("keys", "rotate");
        Run after = admin("keys", "list");

        assertThat(before.exit()).as(before.err()).isZero();
        assertThat(before.out()).contains("\"status\":\"signing\"").doesNotContain("\"d\"");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String kid = rotated.json().path("kid").asString();
        assertThat(rotated.json().path("status").asString()).isEqualTo("signing");
        List<String> signing = new ArrayList<>();
        List<String> verifying = new ArrayList<>();
        for (JsonNode key : after.json()) {
            (key.path("status").asString().equals("signing") ? signing : verifying)
                    .add(key.path("kid").asString());
        }
        assertThat(signing).containsExactly(kid);
        assertThat(verifying).isNotEmpty();
    }

    @Test
    void wrongSecret_exitsOneWithTheServersMessage() {
        Run wrong = as(
                Map.of("IVS_ADMIN_CLIENT_ID", TestIvs.ADMIN_ID, "IVS_ADMIN_CLIENT_SECRET", "no"),
                "clients",
                "list");

        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err())
                .contains("sign-in as '" + TestIvs.ADMIN_ID + "' failed (401)")
                .contains("client authentication failed");
        assertThat(wrong.out()).isEmpty();
    }

    @Test
    void noCredentials_isAUsageError() {
        Run none = as(Map.of(), "keys", "list");

        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("IVS_ADMIN_CLIENT_ID", "IVS_BOOTSTRAP_CLIENT_ID");
    }

    @Test
    void bootstrapCredentials_areTheFallback() {
        Run listed = as(
                Map.of(
                        "IVS_BOOTSTRAP_CLIENT_ID", TestIvs.ADMIN_ID,
                        "IVS_BOOTSTRAP_CLIENT_SECRET", TestIvs.ADMIN_SECRET),
                "keys",
                "list");

        assertThat(listed.exit()).as(listed.err()).isZero();
    }

    @Test
    void clientWithoutEveryEnvironment_isRefusedWith403() {
        Run created = admin("clients", "create", "--environments", env, "--roles", "config.admin");
        Map<String, String> scoped = Map.of(
                "IVS_ADMIN_CLIENT_ID", created.json().path("clientId").asString(),
                "IVS_ADMIN_CLIENT_SECRET", created.json().path("clientSecret").asString());

        Run listed = as(scoped, "clients", "list");

        assertThat(listed.exit()).isEqualTo(1);
        assertThat(listed.err()).contains("(403)", "is not granted environment");
    }

    @Test
    void unreachableServer_exitsThree() {
        Run listed = ivs(ADMIN, "clients", "list", "--url", TestIvs.unreachableUrl());
        Run badUrl = ivs(ADMIN, "clients", "list", "--url", "localhost:8080");

        assertThat(listed.exit()).isEqualTo(3);
        assertThat(listed.err()).contains("cannot reach http://127.0.0.1:");
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--url");
    }

    @Test
    void url_fromTheEnvironmentOrBeforeTheCommand() {
        Map<String, String> withUrl = new java.util.HashMap<>(ADMIN);
        withUrl.put("IVS_URL", server.url() + "/");

        Run fromVariable = ivs(withUrl, "keys", "list");
        Run beforeCommand = ivs(ADMIN, "--url", server.url(), "keys", "list");

        assertThat(fromVariable.exit()).as(fromVariable.err()).isZero();
        assertThat(beforeCommand.exit()).as(beforeCommand.err()).isZero();
    }

    private static List<String> ids(JsonNode clients) {
        List<String> ids = new ArrayList<>();
        clients.forEach(client -> ids.add(client.path("clientId").asString()));
        return ids;
    }
}
