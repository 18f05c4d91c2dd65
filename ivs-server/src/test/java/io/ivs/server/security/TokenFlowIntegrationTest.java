package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The token endpoints as clients of the original service use them (spec §5.2): an assertion
 * from the Entra-shaped path, the exchange at {@code /token}, then the API; and what the two
 * endpoints refuse.
 */
class TokenFlowIntegrationTest extends SecurityTestSupport {
    private static final String ENTRA_SCOPE = "0cdb527f-a8d1-4bf8-9436-b352c68682b2/.default";
    private static final String TENANT = "5d6f2a3c-1111-2222-3333-444455556666";

    @Test
    void twoStepFlow_exactlyAsAnIvClient_readsAndWritesStock() throws Exception {
        Credentials pos = createClient(List.of(env), "inventory.read", "inventory.write");
        IvsClient anonymous = client.withoutAuth();

        // Step 1, as against login.microsoftonline.com: form fields, POST, Entra's scope.
        IvsClient.Response entra = anonymous.postForm(
                "/" + TENANT + "/oauth2/v2.0/token",
                IvsClient.form(
                        "client_id",
                        pos.clientId(),
                        "client_secret",
                        pos.secret(),
                        "grant_type",
                        "client_credentials",
                        "scope",
                        ENTRA_SCOPE));
        assertThat(entra.status()).as(entra.body()).isEqualTo(200);
        assertThat(entra.json().path("token_type").asString()).isEqualToIgnoringCase("bearer");
        assertThat(entra.json().path("expires_in").asInt()).isEqualTo(3600);
        String assertion = entra.json().path("access_token").asString();

        // Step 2, as against securityservice.operations365.dynamics.com/token.
        String request = """
                {"grant_type": "client_credentials", "client_assertion_type": "aad_app",
                 "client_assertion": "%s",
                 "scope": "https://inventoryservice.operations365.dynamics.com/.default",
                 "context": "%s", "context_type": "finops-env"}""".formatted(assertion, env);
        IvsClient.Response exchanged = anonymous.post("/token", request, "Api-Version", "1.0");
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        JsonNode answer = exchanged.json();
        assertThat(answer.path("token_type").asString()).isEqualTo("bearer");
        assertThat(answer.path("expires_in").asInt()).isEqualTo(3600);
        String token = answer.path("access_token").asString();

        // Step 3: the API, with the lower-case scheme the EX samples use.
        IvsClient api = client.withAuthorization("bearer " + token);
        IvsClient.Response posted = api.post(api("/onhand"), event("flow-1", "3"));
        IvsClient.Response queried = api.post(api("/onhand/indexquery"), QUERY);

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(queried.status()).as(queried.body()).isEqualTo(200);
        assertThat(quantity(queried.json().get(0), "pos", "inbound")).isEqualTo("3");
        SignedJWT parsed = SignedJWT.parse(token);
        assertThat(parsed.getJWTClaimsSet().getStringClaim("env")).isEqualTo(env);
        assertThat(parsed.getJWTClaimsSet().getStringListClaim("roles"))
                .containsExactly("inventory.read", "inventory.write");
        assertThat(parsed.getHeader().getKeyID()).isNotBlank();
    }

    @Test
    void clientCredentials_everyPathAndHttpBasic_answerAnAssertion() {
        Credentials pos = createClient(List.of(env), "inventory.read");
        String form = IvsClient.form(
                "grant_type", "client_credentials",
                "client_id", pos.clientId(),
                "client_secret", pos.secret());
        String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((pos.clientId() + ":" + pos.secret())
                                .getBytes(StandardCharsets.UTF_8));

        for (String path : List.of(
                "/oauth2/token",
                "/oauth2/token/",
                "/oauth2/v2.0/token",
                "/" + TENANT + "/oauth2/v2.0/token",
                "/" + TENANT + "/oauth2/token")) {
            IvsClient.Response response = client.withoutAuth().postForm(path, form);
            assertThat(response.status()).as(path + " " + response.body()).isEqualTo(200);
        }
        IvsClient.Response byBasic = client.withoutAuth()
                .postForm(
                        "/oauth2/token",
                        IvsClient.form("grant_type", "client_credentials"),
                        "Authorization",
                        basic);
        assertThat(byBasic.status()).as(byBasic.body()).isEqualTo(200);
    }

    @Test
    void tokenAnswers_areNotCacheable() throws Exception {
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(IvsClient.form(
                        "grant_type", "client_credentials",
                        "client_id", IvsClient.ADMIN_ID,
                        "client_secret", IvsClient.ADMIN_SECRET)))
                .build();

        var response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow())
                .contains("no-store");
    }

    @Test
    void clientCredentials_wrongSecretOrUnknownClient_is401WithOAuthError() {
        Credentials pos = createClient(List.of(env), "inventory.read");

        IvsClient.Response wrong = client.withoutAuth().clientCredentials(pos.clientId(), "nope");
        IvsClient.Response unknown =
                client.withoutAuth().clientCredentials("nobody-" + UUID.randomUUID(), "nope");

        for (IvsClient.Response response : List.of(wrong, unknown)) {
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.json().path("error").asString()).isEqualTo("invalid_client");
            assertThat(response.json().path("status").asInt()).isEqualTo(401);
            assertThat(response.json().path("detail").asString()).isNotBlank();
            assertThat(response.body()).doesNotContain("access_token");
        }
        assertThat(wrong.json().path("error_description"))
                .isEqualTo(unknown.json().path("error_description"));
    }

    @Test
    void clientCredentials_badRequests_areRefusedWithoutAToken() {
        IvsClient anonymous = client.withoutAuth();
        String id = IvsClient.ADMIN_ID;
        String secret = IvsClient.ADMIN_SECRET;

        IvsClient.Response password = anonymous.postForm(
                "/oauth2/token",
                IvsClient.form("grant_type", "password", "client_id", id, "client_secret", secret));
        IvsClient.Response missing = anonymous.postForm(
                "/oauth2/token", IvsClient.form("grant_type", "client_credentials"));
        IvsClient.Response twice = anonymous.postForm(
                "/oauth2/token",
                IvsClient.form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        id,
                        "client_id",
                        id,
                        "client_secret",
                        secret));
        IvsClient.Response inUrl = anonymous.postForm(
                "/oauth2/token?client_secret=" + secret,
                IvsClient.form("grant_type", "client_credentials", "client_id", id));
        IvsClient.Response json = anonymous.post("/oauth2/token", "{}");

        assertThat(password.status()).isEqualTo(400);
        assertThat(password.json().path("error").asString()).isEqualTo("unsupported_grant_type");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(inUrl.status()).isEqualTo(400);
        assertThat(json.status()).isEqualTo(415);
        for (IvsClient.Response response : List.of(password, missing, twice, inUrl, json)) {
            assertThat(response.body()).doesNotContain("access_token", secret);
        }
    }

    @Test
    void exchange_apiVersionMissingOr1Or2_isAccepted_unknownIs400() {
        String assertion = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        String body = exchangeBody(assertion, env, "aad_app");

        IvsClient.Response none = client.withoutAuth().post("/token", body);
        IvsClient.Response one = client.withoutAuth().post("/token", body, "Api-Version", "1.0");
        IvsClient.Response two = client.withoutAuth().post("/token", body, "Api-Version", "2.0");
        IvsClient.Response three = client.withoutAuth().post("/token", body, "Api-Version", "3");

        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(one.status()).isEqualTo(200);
        assertThat(two.status()).isEqualTo(200);
        assertThat(three.status()).isEqualTo(400);
        assertThat(three.json().path("error").asString()).isEqualTo("invalid_request");
        assertThat(three.body()).contains("Api-Version").doesNotContain("access_token");
    }

    @Test
    void exchange_badAssertions_are401() {
        String accessToken = client.adminToken(env);
        String tampered = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET) + "x";

        for (String assertion : List.of("not-a-jwt", "a.b.c", accessToken, tampered)) {
            IvsClient.Response response = client.withoutAuth()
                    .post("/token", exchangeBody(assertion, env, "aad_app"), "Api-Version", "1.0");
            assertThat(response.status()).as(assertion + ": " + response.body()).isEqualTo(401);
            assertThat(response.json().path("error").asString()).isEqualTo("invalid_client");
            assertThat(response.body()).doesNotContain("access_token");
        }
    }

    @Test
    void exchange_environmentNotGranted_is403() {
        Credentials pos = createClient(List.of(env), "inventory.read");
        String assertion = client.assertion(pos.clientId(), pos.secret());

        IvsClient.Response response = client.withoutAuth()
                .post("/token", exchangeBody(assertion, "other-env", "aad_app"));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.json().path("error").asString()).isEqualTo("access_denied");
        assertThat(response.body()).contains("other-env").doesNotContain("access_token");
    }

    @Test
    void exchange_malformedRequests_are400() {
        String assertion = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        List<String> bodies = List.of(
                "",
                "[]",
                "{\"grant_type\": \"client_credentials\"}",
                exchangeBody(assertion, env, "magic"),
                exchangeBody(assertion, "-bad id", "aad_app"),
                exchangeBody(assertion, env, "aad_app").replace("finops-env", "other"),
                exchangeBody(assertion, env, "aad_app")
                        .replace("\"client_credentials\"", "\"password\""));

        for (String body : bodies) {
            IvsClient.Response response = client.withoutAuth().post("/token", body);
            assertThat(response.status()).as(body + " -> " + response.body()).isEqualTo(400);
            assertThat(response.json().path("error").asString()).isNotBlank();
            assertThat(response.body()).doesNotContain("access_token");
        }
    }

    @Test
    void exchange_fieldNamesInAnyCase_areAccepted() {
        String assertion = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        String body = exchangeBody(assertion, env, "aad_app")
                .replace("\"grant_type\"", "\"Grant_Type\"")
                .replace("\"context\"", "\"Context\"");

        IvsClient.Response response = client.withoutAuth().post("/token", body);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void exchange_forEnvironmentNotYetCreated_letsAnEnvironmentAdminCreateIt() {
        String fresh = "fresh-" + UUID.randomUUID();
        Credentials owner = createClient(List.of(fresh), "config.admin", "inventory.write");
        String token = token(owner, fresh);

        IvsClient.Response created =
                client.withToken(token).put("/admin/environments/" + fresh, null);
        IvsClient.Response elsewhere =
                client.withToken(token).put("/admin/environments/else-" + UUID.randomUUID(), null);
        IvsClient.Response listing = client.withToken(token).get("/admin/environments");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(403);
        assertThat(listing.status()).isEqualTo(403);
        assertThat(client.withToken(token)
                        .post("/api/environment/" + fresh + "/onhand", event("f1", "1"))
                        .status())
                .isEqualTo(200);
    }

    static String exchangeBody(String assertion, String context, String assertionType) {
        return IvsClient.json(IvsClient.map(
                "grant_type",
                "client_credentials",
                "client_assertion_type",
                assertionType,
                "client_assertion",
                assertion,
                "scope",
                "https://inventoryservice.operations365.dynamics.com/.default",
                "context",
                context,
                "context_type",
                "finops-env"));
    }
}
