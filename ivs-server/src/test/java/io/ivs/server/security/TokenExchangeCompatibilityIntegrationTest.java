package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

/**
 * IV's token exchange as clients of the original service call it: field names in any case
 * ({@code Scope}, {@code Context}) and the gateway path {@code /securityservice/token}.
 */
class TokenExchangeCompatibilityIntegrationTest extends HttpTestSupport {
    private static final String ALIAS = "/securityservice/token";

    private String body(String assertion) {
        return """
                {"Grant_Type": "client_credentials", "Client_Assertion_Type": "aad_app",
                 "Client_Assertion": "%s",
                 "Scope": "https://inventoryservice.operations365.dynamics.com/.default",
                 "Context": "%s", "Context_Type": "finops-env"}""".formatted(assertion, env);
    }

    /** The token works for the environment named in the exchange. */
    private void assertTokenServes(IvsClient.Response exchanged) {
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertThat(exchanged.json().path("token_type").asString()).isEqualTo("bearer");
        String token = exchanged.json().path("access_token").asString();
        IvsClient.Response call = client.withToken(token).get(api("/allpartitionids"));
        assertThat(call.status()).as(call.body()).isEqualTo(200);
    }

    @Test
    void exchange_capitalisedFieldNames_answersAToken() {
        String assertion = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);

        IvsClient.Response exchanged =
                client.withoutAuth().post("/token", body(assertion), "Api-Version", "1.0");

        assertTokenServes(exchanged);
    }

    /** The original's gateway path answers without a bearer token, like /token. */
    @Test
    void exchange_atTheSecurityServicePath_answersAToken() {
        String assertion = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);

        IvsClient.Response exchanged =
                client.withoutAuth().post(ALIAS, body(assertion), "Api-Version", "1.0");

        assertTokenServes(exchanged);
    }
}
