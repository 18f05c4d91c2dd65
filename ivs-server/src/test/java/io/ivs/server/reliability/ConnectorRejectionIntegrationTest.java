package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Regression found by {@link EndpointFuzzReliabilityTest}: paths that Tomcat refuses before any
 * IVS code runs ({@code %00}, an encoded slash, bytes that are not UTF-8) were answered with
 * Tomcat's HTML page. They get IVS's JSON answers: IV's envelope under {@code /api}, a problem
 * detail elsewhere.
 */
class ConnectorRejectionIntegrationTest extends HttpTestSupport {

    @Test
    void malformedApiPath_is400Envelope() {
        for (String path : new String[] {
            "/api/environment/" + "a%00b" + "/onhand",
            "/api/environment/" + "..%2F.." + "/onhand",
            "/api/environment/" + "%FF%FE" + "/onhand"
        }) {
            IvsClient.Response response = client.withoutAuth().post(path, "{}");

            assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
            JsonNode body = response.json();
            assertThat(body.path("statusCode").asInt()).as(path).isEqualTo(400);
            assertThat(body.path("processingStatus").asString()).isEqualTo("failure");
            assertThat(body.path("message").asString()).as(path).isNotBlank();
        }
    }

    @Test
    void malformedAdminPath_is400ProblemDetail() {
        IvsClient.Response response = client.withoutAuth().put("/admin/environments/a%00b", null);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("status").asInt()).isEqualTo(400);
        assertThat(response.json().path("detail").asString()).isNotBlank();
    }
}
