package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class CanonicalPathTest {
    private static final RouteSpellings ROUTES = new RouteSpellings(List.of(
            "/api/environment/{environmentId}/onhand",
            "/api/environment/{environmentId}/onhand/indexquery",
            "/api/environment/{environmentId}/getJobProgress",
            "/admin/clients/{clientId}",
            "/admin/keys/rotate",
            "/{tenantId}/oauth2/token",
            "/actuator/health/**",
            "/**"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/admin/clients, /admin/clients",
        "/%61dmin/clients, /admin/clients",
        "/%61DMIN/clients, /aDMIN/clients",
        "/admin/clients/, /admin/clients",
        "/, /",
        "/api/environment/d%20e/onhand, /api/environment/d%20e/onhand",
        "/api/environment/d%2de/onhand, /api/environment/d-e/onhand",
        "/api/environment/%E2%82%AC/onhand, /api/environment/%E2%82%AC/onhand",
        "/a%2Eb, /a.b",
        "/a%3Ab, /a:b",
    })
    void parse_equivalentSpellings_giveOneEncodedForm(String raw, String encoded) throws Exception {
        assertThat(CanonicalPath.parse(raw).encoded()).isEqualTo(encoded);
    }

    @Test
    void decoded_givesTheTextAccessRulesRead() throws Exception {
        assertThat(CanonicalPath.parse("/api/environment/d%20e/onhand/").decoded())
                .isEqualTo("/api/environment/d e/onhand");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//admin/clients",
                "/admin//clients",
                "/admin/clients//",
                "//",
                "/admin/./clients",
                "/admin/../admin/clients",
                "/admin/%2e/clients",
                "/admin/%2E%2E/clients",
                "/admin%2Fclients",
                "/admin%2fclients",
                "/admin%5Cclients",
                "/admin\\clients",
                "/admin;x=y/clients",
                "/admin/clients;jsessionid=1",
                "/admin%3Bx/clients",
                "/admin/%25%36%31",
                "/admin/%00",
                "/admin/%0a",
                "/admin/%zz",
                "/admin/%4",
                "/admin/%C3%28",
                "/admin/a b",
                "admin",
                "",
            })
    void parse_ambiguousOrMalformed_isRefused(String raw) {
        assertThatThrownBy(() -> CanonicalPath.parse(raw))
                .isInstanceOf(CanonicalPath.Refused.class)
                .hasMessageStartingWith("path:");
    }

    @Test
    void parse_overlongPath_isRefusedBeforeDecoding() {
        assertThatThrownBy(() -> CanonicalPath.parse("/" + "a".repeat(CanonicalPath.LENGTH_MAX)))
                .isInstanceOf(CanonicalPath.Refused.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/API/Environment/demo/OnHand/IndexQuery, /api/environment/demo/onhand/indexquery",
        "/api/environment/DEMO/onhand, /api/environment/DEMO/onhand",
        "/api/environment/x/getjobprogress, /api/environment/x/getJobProgress",
        "/API/environment/ONHAND/Onhand, /api/environment/ONHAND/onhand",
        "/Admin/Clients/ROTATE, /admin/clients/ROTATE",
        "/ADMIN/KEYS/ROTATE, /admin/keys/rotate",
        "/MyTenant/OAuth2/Token, /MyTenant/oauth2/token",
        "/Actuator/Health/Liveness, /actuator/health/Liveness",
        "/No/Such/Path, /No/Such/Path",
    })
    void respell_fixedSegments_takeTheRoutesCase(String raw, String expected) throws Exception {
        CanonicalPath path = CanonicalPath.parse(raw);

        assertThat(path.withSegments(ROUTES.respell(path.segments())).decoded())
                .isEqualTo(expected);
    }
}
