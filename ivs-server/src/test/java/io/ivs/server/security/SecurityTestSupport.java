package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Helpers for the security tests: clients with chosen grants made through the admin API, stock
 * written and read as the test administrator, and tokens signed with the server's own key so
 * that a test can change exactly one thing about an otherwise valid token.
 */
abstract class SecurityTestSupport extends HttpTestSupport {
    static final String QUERY = """
            {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                         "siteId": ["1"], "locationId": ["11"]},
             "groupByValues": [], "returnNegative": true}""";

    @Autowired
    SigningKeyStore signingKeys;

    /** A client's id and the secret shown once at creation. */
    record Credentials(String clientId, String secret) {}

    /** Creates a client through the admin API (as the test administrator). */
    Credentials createClient(List<String> environments, String... roles) {
        IvsClient.Response created = client.post(
                "/admin/clients",
                IvsClient.json(IvsClient.map(
                        "environments",
                        environments,
                        "roles",
                        List.of(roles),
                        "description",
                        "made by a test")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Credentials(
                created.json().path("clientId").asString(),
                created.json().path("clientSecret").asString());
    }

    /** A token of a client for one environment, the normal way (two steps). */
    String token(Credentials credentials, String environmentId) {
        return client.accessToken(credentials.clientId(), credentials.secret(), environmentId);
    }

    static String event(String id, String quantity) {
        return IvsClient.json(IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "P1",
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11"),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", new BigDecimal(quantity)))));
    }

    /** Writes an event as the administrator; it must be accepted. */
    void write(String environmentId, String id, String quantity) {
        IvsClient.Response response =
                client.post("/api/environment/" + environmentId + "/onhand", event(id, quantity));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** The inbound stock of P1 at 1/11 in an environment, read as the administrator. */
    String stock(String environmentId) {
        IvsClient.Response response =
                client.post("/api/environment/" + environmentId + "/onhand/indexquery", QUERY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode row : response.json()) {
            return quantity(row, "pos", "inbound");
        }
        return null;
    }

    /** Asserts a refusal on an IV endpoint: the status and IV's failure envelope, no data. */
    static void assertRefused(IvsClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.path("processingStatus").asString()).isEqualTo("failure");
        assertThat(body.path("statusCode").asInt()).isEqualTo(status);
        assertThat(body.path("message").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("P1", "quantities");
    }

    /** Claims of a valid access token of the test administrator for {@code environmentId}. */
    static JWTClaimsSet.Builder accessClaims(String environmentId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer("ivs")
                .subject(IvsClient.ADMIN_ID)
                .claim("client_id", IvsClient.ADMIN_ID)
                .audience("ivs-api")
                .claim("env", environmentId)
                .claim("roles", List.of("config.admin", "inventory.read", "inventory.write"))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** The server's current signing key, private part included, read from its database. */
    RSAKey serverKey() {
        try {
            return (RSAKey) JWK.parse(signingKeys.signing().orElseThrow().jwk());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(RSAKey key, String kid, JOSEObjectType type, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(type).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Signs with the server's own key, as IVS itself would. */
    String signAsServer(JWTClaimsSet claims) {
        RSAKey key = serverKey();
        return sign(key, key.getKeyID(), new JOSEObjectType("at+jwt"), claims);
    }
}
