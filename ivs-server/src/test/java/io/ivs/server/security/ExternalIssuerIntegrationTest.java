package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import io.ivs.server.IvsApplication;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Trusting an external identity provider (IVS_TRUSTED_ISSUERS): a tiny in-test provider serves
 * its JWKS on 127.0.0.1 and signs Entra-shaped assertions with keys made here; IVS exchanges
 * them at {@code POST /token} for clients registered with that issuer, and only those. Runs its
 * own IVS, because the trusted issuers are fixed at start-up.
 */
class ExternalIssuerIntegrationTest {
    private static final String ISSUER = "https://login.example.test/tenant-1/v2.0";
    private static final String AUDIENCE = "api://ivs-test";
    /** A second trusted issuer whose JWKS cannot be fetched: the port is closed. */
    private static final String UNREACHABLE_ISSUER = "https://down.example.test";

    private static RSAKey rsaKey;
    private static ECKey ecKey;
    private static HttpServer provider;
    private static Path dataDir;
    private static ConfigurableApplicationContext ivs;
    private static IvsClient client;
    private static String env;

    @BeforeAll
    static void start() throws Exception {
        rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        String jwks = new JWKSet(List.of(rsaKey.toPublicJWK(), ecKey.toPublicJWK())).toString();
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/keys", exchange -> {
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
        String jwksUrl = "http://127.0.0.1:" + provider.getAddress().getPort() + "/keys";

        dataDir = Files.createTempDirectory("ivs-external-");
        // As root the embedded PostgreSQL runs as user nobody, which must traverse this folder.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ivs = new SpringApplicationBuilder(IvsApplication.class)
                .run(
                        "--server.port=0",
                        "--ivs.data-dir=" + dataDir,
                        "--ivs.security.trusted-issuers=" + ISSUER + " " + jwksUrl + " "
                                + AUDIENCE + "; " + UNREACHABLE_ISSUER
                                + " http://127.0.0.1:1/keys " + AUDIENCE);
        client = new IvsClient(
                Integer.parseInt(ivs.getEnvironment().getProperty("local.server.port")));
        env = "ext-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + env, null).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (ivs != null) {
            ivs.close();
        }
        if (provider != null) {
            provider.stop(0);
        }
        deleteQuietly(dataDir);
    }

    /** Registers an external application as a client of that issuer. */
    private static String register(String issuer, List<String> environments, String... roles) {
        String appId = UUID.randomUUID().toString();
        IvsClient.Response created = client.post(
                "/admin/clients",
                IvsClient.json(IvsClient.map(
                        "clientId", appId,
                        "issuer", issuer,
                        "environments", environments,
                        "roles", List.of(roles))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().has("clientSecret")).isFalse();
        return appId;
    }

    /** Claims shaped like a Microsoft Entra ID client-credentials token. */
    private static JWTClaimsSet.Builder entraClaims(String appId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(UUID.randomUUID().toString())
                .claim("azp", appId)
                .claim("appid", appId)
                .claim("tid", "tenant-1")
                .claim("ver", "2.0")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    private static String signRsa(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static IvsClient.Response exchange(String assertion, String environmentId) {
        return client.withoutAuth().exchange(assertion, environmentId);
    }

    @Test
    void externalAssertion_ofRegisteredClient_isExchangedAndCallsTheApi() throws Exception {
        String appId = register(ISSUER, List.of(env), "inventory.read", "inventory.write");
        String assertion = signRsa(rsaKey, entraClaims(appId).build());

        IvsClient.Response exchanged = exchange(assertion, env);

        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        String token = exchanged.json().path("access_token").asString();
        IvsClient api = client.withAuthorization("bearer " + token);
        IvsClient.Response posted = api.post(
                "/api/environment/" + env + "/onhand", SecurityTestSupport.event("x1", "4"));
        IvsClient.Response queried = api.post(
                "/api/environment/" + env + "/onhand/indexquery", SecurityTestSupport.QUERY);
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(queried.status()).as(queried.body()).isEqualTo(200);
        assertThat(queried.body()).contains("\"inbound\":4");
    }

    @Test
    void externalAssertion_signedWithEcKey_isAccepted() throws Exception {
        String appId = register(ISSUER, List.of(env), "inventory.read");
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID(ecKey.getKeyID())
                        .build(),
                entraClaims(appId).build());
        jwt.sign(new ECDSASigner(ecKey));

        assertThat(exchange(jwt.serialize(), env).status()).isEqualTo(200);
    }

    @Test
    void externalAssertion_v1ShapedWithAppidOnly_namesTheClient() throws Exception {
        String appId = register(ISSUER, List.of(env), "inventory.read");
        String assertion = signRsa(rsaKey, entraClaims(appId).claim("azp", null).build());

        assertThat(exchange(assertion, env).status()).isEqualTo(200);
    }

    @Test
    void externalAssertion_rejections_are401AndIssueNoToken() throws Exception {
        String appId = register(ISSUER, List.of(env), "inventory.read", "inventory.write");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(rsaKey.getKeyID()).generate();
        Instant past = Instant.now().minusSeconds(7200);
        List<String> assertions = List.of(
                // Wrong audience.
                signRsa(
                        rsaKey,
                        entraClaims(appId).audience("api://someone-else").build()),
                // Signed by a key the provider never published, under a published kid.
                signRsa(stranger, entraClaims(appId).build()),
                // Expired.
                signRsa(
                        rsaKey,
                        entraClaims(appId)
                                .issueTime(Date.from(past))
                                .notBeforeTime(Date.from(past))
                                .expirationTime(Date.from(past.plusSeconds(3600)))
                                .build()),
                // Unsigned.
                new PlainJWT(entraClaims(appId).build()).serialize(),
                // An issuer nobody configured, signed with the trusted provider's key.
                signRsa(
                        rsaKey,
                        entraClaims(appId).issuer("https://evil.example.test").build()),
                // A client nobody registered.
                signRsa(rsaKey, entraClaims("unregistered-app").build()),
                // The trusted issuer naming a client that signs in with an IVS secret.
                signRsa(rsaKey, entraClaims(IvsClient.ADMIN_ID).build()));

        for (String assertion : assertions) {
            IvsClient.Response response = exchange(assertion, env);
            assertThat(response.status()).as(response.body()).isEqualTo(401);
            assertThat(response.json().path("error").asString()).isEqualTo("invalid_client");
            assertThat(response.body()).doesNotContain("access_token");
        }
    }

    @Test
    void externalAssertion_forEnvironmentNotGranted_is403() throws Exception {
        String appId = register(ISSUER, List.of(env), "inventory.read");
        String assertion = signRsa(rsaKey, entraClaims(appId).build());

        IvsClient.Response response = exchange(assertion, "not-" + env);

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("access_token");
    }

    @Test
    void externalAssertion_ofIssuerWhoseKeysCannotBeFetched_is503() throws Exception {
        String appId = register(UNREACHABLE_ISSUER, List.of(env), "inventory.read");
        String assertion =
                signRsa(rsaKey, entraClaims(appId).issuer(UNREACHABLE_ISSUER).build());

        IvsClient.Response response = exchange(assertion, env);

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.body()).doesNotContain("access_token");
    }

    @Test
    void register_issuerNotTrusted_is400NamingTheIssuer() {
        IvsClient.Response response = client.post(
                "/admin/clients",
                IvsClient.json(IvsClient.map(
                        "issuer", "https://typo.example.test",
                        "environments", List.of(env),
                        "roles", List.of("inventory.read"))));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("detail").asString())
                .startsWith("issuer")
                .contains("https://typo.example.test");
    }

    @Test
    void externalClient_hasNoSecret_soClientCredentialsRefuseIt() {
        String appId = register(ISSUER, List.of(env), "inventory.read");

        IvsClient.Response response = client.withoutAuth().clientCredentials(appId, "");

        assertThat(response.status()).isEqualTo(401);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
