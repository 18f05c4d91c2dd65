package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Enforcement on the IV API: every kind of bad token is a 401, a good token used beyond its
 * grant is a 403, and in every case nothing was written and no stock was shown. Each test starts
 * from 5 units of P1 written by the administrator, and ends by checking they are still 5.
 */
class ApiSecurityIntegrationTest extends SecurityTestSupport {
    @BeforeEach
    void baseline() {
        write(env, "base", "5");
    }

    /** A refused write: the status, IV's envelope, and the stock as before. */
    private void assertWriteRefused(IvsClient caller, int status) {
        IvsClient.Response response =
                caller.post(api("/onhand"), event("w-" + UUID.randomUUID(), "100"));
        assertRefused(response, status);
        assertThat(stock(env)).as("stock after a refused write").isEqualTo("5");
    }

    /** A refused query: the status and IV's envelope without any stock in it. */
    private void assertQueryRefused(IvsClient caller, int status) {
        assertRefused(caller.post(api("/onhand/indexquery"), QUERY), status);
        assertRefused(caller.get(api("/onhand?organizationId=usmf&productId=P1")), status);
    }

    @Test
    void write_withoutToken_is401AndWritesNothing() {
        assertWriteRefused(client.withoutAuth(), 401);
    }

    @Test
    void query_withoutToken_is401AndShowsNoStock() {
        assertQueryRefused(client.withoutAuth(), 401);
    }

    @Test
    void unauthorized_onApi_saysHowToGetAToken() {
        IvsClient.Response response = client.withoutAuth().post(api("/onhand"), event("x", "1"));

        assertThat(response.json().path("message").asString()).contains("POST /token");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer",
                "Bearer ",
                "Bearer not a token",
                "Bearer abc",
                "Bearer a.b.c",
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJpdnMifQ.c2lnbmF0dXJl",
                "Basic aXZzLXRlc3QtYWRtaW46c2VjcmV0",
                "Token abc",
                "Bearer\tabc"
            })
    void write_malformedAuthorization_is401AndWritesNothing(String header) {
        assertWriteRefused(client.withAuthorization(header), 401);
    }

    @Test
    void forgedTokenSignedWithServerKey_isAccepted_soTheVariationsBelowTestOneThingEach() {
        String token = signAsServer(accessClaims(env).build());

        IvsClient.Response response =
                client.withToken(token).post(api("/onhand"), event("forged-ok", "1"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(stock(env)).isEqualTo("6");
    }

    @Test
    void write_tokenSignedByAnotherKeyWithTheServersKid_is401AndWritesNothing()
            throws JOSEException {
        RSAKey foreign = new RSAKeyGenerator(2048).generate();
        String token = sign(
                foreign,
                serverKey().getKeyID(),
                new JOSEObjectType("at+jwt"),
                accessClaims(env).build());

        assertWriteRefused(client.withToken(token), 401);
        assertQueryRefused(client.withToken(token), 401);
    }

    @Test
    void write_tamperedPayload_is401AndWritesNothing() {
        String other = signAsServer(accessClaims("other-" + UUID.randomUUID()).build());
        String mine = signAsServer(accessClaims(env).build());
        String[] otherParts = other.split("\\.");
        String[] mineParts = mine.split("\\.");
        String spliced = otherParts[0] + "." + mineParts[1] + "." + otherParts[2];

        assertWriteRefused(client.withToken(spliced), 401);
    }

    @Test
    void write_algNoneToken_is401AndWritesNothing() {
        String token = new PlainJWT(accessClaims(env).build()).serialize();

        assertWriteRefused(client.withToken(token), 401);
        assertQueryRefused(client.withToken(token), 401);
    }

    @Test
    void write_hmacTokenKeyedWithThePublicKey_is401AndWritesNothing()
            throws JOSEException, NoSuchAlgorithmException {
        // The classic algorithm-confusion attack: HS256 with the published key as the secret.
        byte[] publicKey =
                serverKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        byte[] secret = MessageDigest.getInstance("SHA-256").digest(publicKey);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(serverKey().getKeyID())
                        .build(),
                accessClaims(env).build());
        jwt.sign(new MACSigner(secret));

        assertWriteRefused(client.withToken(jwt.serialize()), 401);
    }

    @Test
    void write_expiredToken_is401AndWritesNothing() {
        Instant then = Instant.now().minusSeconds(7200);
        String token = signAsServer(accessClaims(env)
                .issueTime(Date.from(then))
                .notBeforeTime(Date.from(then))
                .expirationTime(Date.from(then.plusSeconds(3600)))
                .build());

        assertWriteRefused(client.withToken(token), 401);
        assertQueryRefused(client.withToken(token), 401);
    }

    @Test
    void write_tokenWithoutExpiry_is401AndWritesNothing() {
        String token = signAsServer(accessClaims(env).expirationTime(null).build());

        assertWriteRefused(client.withToken(token), 401);
    }

    @Test
    void write_tokenNotYetValid_is401AndWritesNothing() {
        Instant later = Instant.now().plusSeconds(3600);
        String token = signAsServer(accessClaims(env)
                .notBeforeTime(Date.from(later))
                .expirationTime(Date.from(later.plusSeconds(600)))
                .build());

        assertWriteRefused(client.withToken(token), 401);
    }

    @Test
    void write_assertionInsteadOfAccessToken_is401AndWritesNothing() {
        String assertion = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);

        assertWriteRefused(client.withToken(assertion), 401);
        assertQueryRefused(client.withToken(assertion), 401);
    }

    @Test
    void write_wrongAudience_is401AndWritesNothing() {
        String token = signAsServer(accessClaims(env).audience("some-other-api").build());

        assertWriteRefused(client.withToken(token), 401);
    }

    @Test
    void write_wrongIssuer_is401AndWritesNothing() {
        String token =
                signAsServer(accessClaims(env).issuer("https://evil.example").build());

        assertWriteRefused(client.withToken(token), 401);
    }

    @Test
    void write_tokenWithoutEnvironmentClaim_is401AndWritesNothing() {
        String token = signAsServer(accessClaims(env).claim("env", null).build());

        assertWriteRefused(client.withToken(token), 401);
    }

    @Test
    void write_tokenOfUnknownClient_is401AndWritesNothing() {
        String token = signAsServer(
                accessClaims(env).subject("nobody").claim("client_id", "nobody").build());

        assertWriteRefused(client.withToken(token), 401);
    }

    @Test
    void write_rolesBeyondTheClientsGrant_areIgnored() {
        Credentials reader = createClient(List.of(env), "inventory.read");
        String token = signAsServer(accessClaims(env)
                .subject(reader.clientId())
                .claim("client_id", reader.clientId())
                .build());

        assertWriteRefused(client.withToken(token), 403);
    }

    @Test
    void write_tokenForAnotherEnvironment_is403AndWritesNothing() {
        String other = "other-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);
        write(other, "o1", "7");
        String otherToken = client.adminToken(other);

        assertWriteRefused(client.withToken(otherToken), 403);
        assertQueryRefused(client.withToken(otherToken), 403);
        assertThat(stock(other)).isEqualTo("7");
    }

    @Test
    void forbidden_onApi_namesBothEnvironments() {
        String other = "other-" + UUID.randomUUID();

        IvsClient.Response response =
                client.withToken(client.adminToken(other)).post(api("/onhand"), event("x", "1"));

        assertThat(response.json().path("message").asString()).contains(env, other);
    }

    @Test
    void write_readOnlyClient_is403AndWritesNothing() {
        Credentials reader = createClient(List.of(env), "inventory.read");
        IvsClient caller = client.withToken(token(reader, env));

        assertWriteRefused(caller, 403);
        IvsClient.Response bulk = caller.post(api("/onhand/bulk"), "[" + event("b1", "100") + "]");
        assertRefused(bulk, 403);
        IvsClient.Response set =
                caller.post(api("/setonhand/pos/bulk"), "[" + event("s1", "100") + "]");
        assertRefused(set, 403);
        assertThat(stock(env)).isEqualTo("5");
        assertThat(caller.post(api("/onhand/indexquery"), QUERY).status()).isEqualTo(200);
    }

    @Test
    void query_writeOnlyClient_is403AndShowsNoStock() {
        Credentials writer = createClient(List.of(env), "inventory.write");
        IvsClient caller = client.withToken(token(writer, env));

        assertQueryRefused(caller, 403);
        assertRefused(caller.post(api("/onhand/exactquery"), """
                        {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                          "dimensions": ["siteId", "locationId"], "values": [["1", "11"]]},
                         "groupByValues": []}"""), 403);
        assertThat(caller.post(api("/onhand"), event("w1", "1")).status()).isEqualTo(200);
        assertThat(stock(env)).isEqualTo("6");
    }

    @Test
    void configuration_withoutAdminRole_is403AndUnchanged() {
        Credentials worker = createClient(List.of(env), "inventory.read", "inventory.write");
        IvsClient caller = client.withToken(token(worker, env));
        String before = client.get(api("/configuration")).body();

        IvsClient.Response read = caller.get(api("/configuration"));
        IvsClient.Response update = caller.post(api("/configuration/hardupdate"), before);

        assertRefused(read, 403);
        assertRefused(update, 403);
        assertThat(read.body()).doesNotContain("inventorySystemConfigurations");
        assertThat(client.get(api("/configuration")).body()).isEqualTo(before);
        assertThat(client.get("/admin/environments/" + env + "/configuration/versions")
                        .body())
                .doesNotContain("\"version\":2");
    }

    @Test
    void cleanup_withoutAdminRole_is403AndKeepsTheData() {
        Credentials worker = createClient(List.of(env), "inventory.read", "inventory.write");
        IvsClient caller = client.withToken(token(worker, env));

        assertRefused(caller.delete(api("/cleanupalldata"), null), 403);
        assertRefused(caller.delete(api("/partitions/cleanupalldata"), "[\"usmf~1~11\"]"), 403);

        assertThat(stock(env)).isEqualTo("5");
    }

    @Test
    void adminOnlyClient_mayConfigureButNotReadOrWriteStock() {
        Credentials admin = createClient(List.of(env), "config.admin");
        IvsClient caller = client.withToken(token(admin, env));

        assertThat(caller.get(api("/configuration")).status()).isEqualTo(200);
        assertThat(caller.get(api("/allpartitionids")).status()).isEqualTo(200);
        assertWriteRefused(caller, 403);
        assertQueryRefused(caller, 403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "bEaReR "})
    void bearerScheme_anyCase_isAccepted(String scheme) {
        String token = client.adminToken(env);

        IvsClient.Response response = client.withAuthorization(scheme + token)
                .post(api("/onhand"), event("case-" + scheme.strip(), "1"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(stock(env)).isEqualTo("6");
    }

    @Test
    void unauthorized_carriesWwwAuthenticateBearer() throws Exception {
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + api("/onhand")))
                .header("Authorization", "Bearer abc")
                .GET()
                .build();

        var response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer")
                .contains("invalid_token")
                .doesNotContain("abc\"");
    }
}
