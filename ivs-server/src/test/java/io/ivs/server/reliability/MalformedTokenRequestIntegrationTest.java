package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

/**
 * Regressions found by {@link EndpointFuzzReliabilityTest}: malformed client-credentials forms
 * answered 500 (Tomcat's decoding failure escaped, and a NUL in the client id reached
 * PostgreSQL, which cannot compare such a text). They are a 400/401 naming the problem.
 */
class MalformedTokenRequestIntegrationTest extends HttpTestSupport {

    @Test
    void clientCredentials_undecodableForm_is400InvalidRequest() {
        for (String form : new String[] {
            "grant_type=client_credentials&client_id=%zz&client_secret=%", "&&&===&&&",
        }) {
            IvsClient.Response response = client.postForm("/oauth2/token", form);

            assertThat(response.status()).as(form + ": " + response.body()).isEqualTo(400);
            assertThat(response.json().path("error").asString()).isEqualTo("invalid_request");
            assertThat(response.json().path("error_description").asString())
                    .contains("form body could not be decoded");
        }
    }

    @Test
    void clientCredentials_nulInClientId_is401NamingTheField() {
        IvsClient.Response response = client.postForm(
                "/oauth2/token", "grant_type=client_credentials&client_id=a%00b&client_secret=c");

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.json().path("error").asString()).isEqualTo("invalid_client");
        assertThat(response.json().path("error_description").asString())
                .contains("client_id")
                .contains("NUL");
    }
}
