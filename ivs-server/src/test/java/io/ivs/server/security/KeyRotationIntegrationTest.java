package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/** Rotation: new tokens use the new key, tokens signed before it keep working until expiry. */
class KeyRotationIntegrationTest extends SecurityTestSupport {

    @Test
    void rotate_newKeySigns_oldTokensStillWork_andJwksListsBoth() throws ParseException {
        Credentials pos = createClient(List.of(env), "inventory.read", "inventory.write");
        String assertionBefore = client.assertion(pos.clientId(), pos.secret());
        String tokenBefore = client.accessToken(assertionBefore, env);
        String kidBefore = SignedJWT.parse(tokenBefore).getHeader().getKeyID();

        IvsClient.Response rotated = client.post("/admin/keys/rotate", null);

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String kidAfter = rotated.json().path("kid").asString();
        assertThat(kidAfter).isNotEqualTo(kidBefore);
        assertThat(rotated.json().path("status").asString()).isEqualTo("signing");
        assertThat(rotated.body()).doesNotContain("\"d\"");

        String tokenAfter = client.accessToken(pos.clientId(), pos.secret(), env);
        assertThat(SignedJWT.parse(tokenAfter).getHeader().getKeyID()).isEqualTo(kidAfter);
        assertThat(client.withToken(tokenBefore)
                        .post(api("/onhand"), event("k1", "1"))
                        .status())
                .isEqualTo(200);
        assertThat(client.withToken(tokenAfter)
                        .post(api("/onhand"), event("k2", "1"))
                        .status())
                .isEqualTo(200);
        assertThat(client.withoutAuth().exchange(assertionBefore, env).status())
                .as("an assertion signed before the rotation")
                .isEqualTo(200);
        assertThat(stock(env)).isEqualTo("2");

        List<String> published = new ArrayList<>();
        for (JsonNode key :
                client.withoutAuth().get("/.well-known/jwks.json").json().path("keys")) {
            published.add(key.path("kid").asString());
        }
        assertThat(published).contains(kidBefore, kidAfter);

        IvsClient.Response keys = client.get("/admin/keys");
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.body()).contains(kidBefore, kidAfter, "verifyUntil");
    }
}
