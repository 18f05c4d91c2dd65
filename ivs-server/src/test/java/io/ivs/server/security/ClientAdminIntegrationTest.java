package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Client administration: creation shows the secret once, listing never does, revocation takes
 * effect on the very next call, and neither secrets nor tokens reach the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientAdminIntegrationTest extends SecurityTestSupport {

    @Test
    void create_answersTheSecretOnce_andListShowsTheClientWithoutIt() {
        Credentials pos = createClient(List.of(env, "other"), "inventory.read", "inventory.write");

        IvsClient.Response list = client.get("/admin/clients");
        IvsClient.Response one = client.get("/admin/clients/" + pos.clientId());

        assertThat(pos.secret()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(pos.clientId()).doesNotContain(pos.secret());
        assertThat(list.body()).doesNotContainIgnoringCase("secret").doesNotContain("bcrypt");
        assertThat(one.status()).isEqualTo(200);
        JsonNode view = one.json();
        assertThat(view.path("status").asString()).isEqualTo("active");
        assertThat(texts(view.path("environments"))).containsExactly(env, "other");
        assertThat(texts(view.path("roles"))).containsExactly("inventory.read", "inventory.write");
        assertThat(one.body()).doesNotContain(pos.secret());
    }

    @Test
    void create_chosenId_isKept_andTakenIdIs409() {
        String id = "pos-" + UUID.randomUUID();
        String body = IvsClient.json(IvsClient.map(
                "clientId", id, "environments", List.of("*"), "roles", List.of("inventory.read")));

        IvsClient.Response first = client.post("/admin/clients", body);
        IvsClient.Response second = client.post("/admin/clients", body);

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().path("clientId").asString()).isEqualTo(id);
        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.json().path("status").asInt()).isEqualTo(409);
        assertThat(second.body()).doesNotContain("clientSecret");
    }

    @Test
    void create_invalidRequests_are400NamingTheField() {
        List<String> bodies = List.of(
                "{\"environments\": [], \"roles\": [\"inventory.read\"]}",
                "{\"environments\": [\"e1\"], \"roles\": []}",
                "{\"environments\": [\"e1\"], \"roles\": [\"superuser\"]}",
                "{\"environments\": [\"bad id\"], \"roles\": [\"inventory.read\"]}",
                "{\"clientId\": \"-x\", \"environments\": [\"e1\"],"
                        + " \"roles\": [\"inventory.read\"]}",
                "[]");
        List<String> fields =
                List.of("environments", "roles", "roles", "environments[0]", "clientId", "body");

        for (int i = 0; i < bodies.size(); i++) {
            IvsClient.Response response = client.post("/admin/clients", bodies.get(i));
            assertThat(response.status()).as(bodies.get(i)).isEqualTo(400);
            assertThat(response.json().path("detail").asString()).startsWith(fields.get(i));
        }
    }

    @Test
    void revoke_takesEffectOnTheNextCall_forTokensAssertionsAndSecret() {
        Credentials pos = createClient(List.of(env), "inventory.read", "inventory.write");
        String assertion = client.assertion(pos.clientId(), pos.secret());
        String token = client.accessToken(assertion, env);
        IvsClient caller = client.withToken(token);
        assertThat(caller.post(api("/onhand"), event("before", "2")).status()).isEqualTo(200);

        IvsClient.Response revoked =
                client.post("/admin/clients/" + pos.clientId() + "/revoke", null);

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().path("status").asString()).isEqualTo("revoked");
        assertRefused(caller.post(api("/onhand"), event("after", "100")), 401);
        assertRefused(caller.post(api("/onhand/indexquery"), QUERY), 401);
        assertThat(stock(env)).isEqualTo("2");
        assertThat(client.withoutAuth()
                        .clientCredentials(pos.clientId(), pos.secret())
                        .status())
                .isEqualTo(401);
        assertThat(client.withoutAuth().exchange(assertion, env).status()).isEqualTo(401);
        IvsClient.Response again =
                client.post("/admin/clients/" + pos.clientId() + "/revoke", null);
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void revoke_unknownClient_is404() {
        IvsClient.Response response = client.post("/admin/clients/nobody-x/revoke", null);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("status").asInt()).isEqualTo(404);
    }

    @Test
    void adminApi_needsConfigAdminOfAClientGrantedEveryEnvironment() {
        Credentials scopedAdmin = createClient(List.of(env), "config.admin");
        Credentials globalReader = createClient(List.of("*"), "inventory.read");
        Credentials globalAdmin = createClient(List.of("*"), "config.admin");
        IvsClient scoped = client.withToken(token(scopedAdmin, env));
        IvsClient reader = client.withToken(token(globalReader, env));
        IvsClient admin = client.withToken(token(globalAdmin, env));
        String body = IvsClient.json(
                IvsClient.map("environments", List.of("*"), "roles", List.of("config.admin")));
        int before = client.get("/admin/clients").json().size();

        List<IvsClient.Response> refused = new ArrayList<>();
        for (IvsClient caller : List.of(scoped, reader)) {
            refused.add(caller.post("/admin/clients", body));
            refused.add(caller.get("/admin/clients"));
            refused.add(caller.post("/admin/keys/rotate", null));
            refused.add(caller.get("/admin/environments"));
        }

        for (IvsClient.Response response : refused) {
            assertThat(response.status()).as(response.body()).isEqualTo(403);
            assertThat(response.json().path("status").asInt()).isEqualTo(403);
            assertThat(response.json().path("detail").asString()).contains("config.admin");
        }
        assertThat(client.get("/admin/clients").json().size()).isEqualTo(before);
        assertThat(admin.get("/admin/clients").status()).isEqualTo(200);
    }

    @Test
    void adminApi_withoutToken_is401ProblemDetails() {
        IvsClient anonymous = client.withoutAuth();

        for (IvsClient.Response response : List.of(
                anonymous.get("/admin/clients"),
                anonymous.post("/admin/clients", "{}"),
                anonymous.put("/admin/environments/x-" + UUID.randomUUID(), null),
                anonymous.get("/admin/environments"),
                anonymous.get("/actuator/metrics"))) {
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.json().path("status").asInt()).isEqualTo(401);
            assertThat(response.json().path("detail").asString()).contains("POST /token");
        }
        assertThat(client.get("/admin/environments").body()).doesNotContain("x-");
    }

    @Test
    void openEndpoints_needNoToken_evenWithABrokenOne() {
        for (IvsClient caller :
                List.of(client.withoutAuth(), client.withAuthorization("Bearer broken.token"))) {
            assertThat(caller.get("/health/ping").status()).isEqualTo(200);
            assertThat(caller.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(caller.get("/actuator/prometheus").status()).isEqualTo(200);
            assertThat(caller.get("/.well-known/jwks.json").status()).isEqualTo(200);
            assertThat(caller.get("/v3/api-docs").status()).isEqualTo(200);
        }
    }

    @Test
    void secretsAndTokens_neverReachTheLog(CapturedOutput output) {
        Credentials pos = createClient(List.of(env), "inventory.read", "inventory.write");
        String assertion = client.assertion(pos.clientId(), pos.secret());
        String token = client.accessToken(assertion, env);
        client.withToken(token).post(api("/onhand"), event("logged", "1"));
        client.withoutAuth().clientCredentials(pos.clientId(), pos.secret() + "x");
        client.withToken(token + "x").post(api("/onhand"), event("bad", "1"));
        client.withoutAuth().exchange(assertion + "x", env);
        client.post("/admin/clients/" + pos.clientId() + "/revoke", null);
        client.withToken(token).post(api("/onhand"), event("revoked", "1"));

        assertThat(output.getAll())
                .contains(pos.clientId())
                .doesNotContain(pos.secret())
                .doesNotContain(signature(assertion))
                .doesNotContain(signature(token))
                .doesNotContain(IvsClient.ADMIN_SECRET);
    }

    @Test
    void jwks_listsPublicKeysOnly() {
        IvsClient.Response response = client.withoutAuth().get("/.well-known/jwks.json");

        JsonNode keys = response.json().path("keys");
        assertThat(keys.isArray()).isTrue();
        assertThat(keys.size()).isGreaterThanOrEqualTo(1);
        for (JsonNode key : keys) {
            assertThat(key.path("kid").asString()).isNotBlank();
            assertThat(key.path("use").asString()).isEqualTo("sig");
            // Private RSA and EC members (RFC 7518 §6.3.2, §6.2.2).
            for (String member : List.of("d", "p", "q", "dp", "dq", "qi")) {
                assertThat(key.has(member)).as(member).isFalse();
            }
        }
    }

    private static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asString()));
        return texts;
    }
}
