package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Spec §2.2 and §2.3 worked examples over HTTP against real PostgreSQL. */
class OnHandWritesIntegrationTest extends HttpTestSupport {

    private static String event(String id, String color, String measure, Object quantity) {
        return IvsClient.json(IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "T-shirt",
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11", "colorId", color),
                "quantities",
                IvsClient.map("pos", IvsClient.map(measure, quantity))));
    }

    private JsonNode rowsByColor() {
        IvsClient.Response response = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["T-shirt"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"], "returnNegative": true}""");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode row(JsonNode rows, String color) {
        for (JsonNode row : rows) {
            if (color.equals(row.path("dimensions").path("ColorId").asString())) {
                return row;
            }
        }
        throw new AssertionError("no row for color " + color + " in " + rows);
    }

    @Test
    void changeEvents_workedExample22_addUpAndIgnoreDuplicateId() {
        IvsClient.Response first =
                client.post(api("/onhand"), event("Test201", "red", "inbound", 1));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("processingStatus").asString()).isEqualTo("success");
        assertThat(quantity(row(rowsByColor(), "red"), "pos", "inbound")).isEqualTo("1");

        String bulk = "[" + event("Test203", "red", "inbound", 1) + ","
                + event("Test204", "black", "outbound", 3) + "]";
        IvsClient.Response second = client.post(api("/onhand/bulk"), bulk);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).hasSize(2);
        assertThat(second.json().get(0).path("id").asString()).isEqualTo("Test203");
        assertThat(second.json().get(1).path("statusCode").asInt()).isEqualTo(200);
        JsonNode rows = rowsByColor();
        assertThat(quantity(row(rows, "red"), "pos", "inbound")).isEqualTo("2");
        assertThat(quantity(row(rows, "black"), "pos", "outbound")).isEqualTo("3");

        IvsClient.Response retry =
                client.post(api("/onhand"), event("Test201", "red", "inbound", 1));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().path("processingStatus").asString()).isEqualTo("success");
        rows = rowsByColor();
        assertThat(quantity(row(rows, "red"), "pos", "inbound")).isEqualTo("2");
        assertThat(quantity(row(rows, "black"), "pos", "outbound")).isEqualTo("3");
    }

    @Test
    void changeEvent_sameIdDifferentBody_isRejectedWith409AndChangesNothing() {
        client.post(api("/onhand"), event("e1", "red", "inbound", 5));
        IvsClient.Response conflict = client.post(api("/onhand"), event("e1", "red", "inbound", 6));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().path("statusCode").asInt()).isEqualTo(409);
        assertThat(conflict.json().path("message").asString()).contains("e1");
        assertThat(quantity(row(rowsByColor(), "red"), "pos", "inbound")).isEqualTo("5");
    }

    @Test
    void setOnHand_workedExample23_overwritesOnlyTheGivenMeasure() {
        client.post(
                api("/onhand/bulk"),
                "[" + event("c1", "red", "inbound", 37) + "," + event("c2", "red", "outbound", 5)
                        + "]");
        IvsClient.Response set = client.post(api("/setonhand/pos/bulk"), """
                [{"id": "s1", "organizationId": "usmf", "productId": "T-shirt",
                  "dimensions": {"siteId": "1", "locationId": "11", "colorId": "red"},
                  "quantities": {"pos": {"inbound": 100}},
                  "modifiedDateTimeUTC": "2026-01-01T00:00:00Z"}]""");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get(0).path("processingStatus").asString()).isEqualTo("success");
        JsonNode red = row(rowsByColor(), "red");
        assertThat(quantity(red, "pos", "inbound")).isEqualTo("100");
        assertThat(quantity(red, "pos", "outbound")).isEqualTo("5");
    }

    @Test
    void changesAndSet_workedExample214b_interplay() {
        List<String> steps = List.of("c1:5", "c2:3");
        for (String step : steps) {
            String[] parts = step.split(":");
            client.post(
                    api("/onhand"), event(parts[0], "red", "inbound", Integer.parseInt(parts[1])));
        }
        assertThat(quantity(row(rowsByColor(), "red"), "pos", "inbound")).isEqualTo("8");
        client.post(api("/setonhand/pos/bulk"), "[" + event("s1", "red", "inbound", 100) + "]");
        assertThat(quantity(row(rowsByColor(), "red"), "pos", "inbound")).isEqualTo("100");
        client.post(api("/onhand"), event("c3", "red", "inbound", 2));
        assertThat(quantity(row(rowsByColor(), "red"), "pos", "inbound")).isEqualTo("102");
        client.post(api("/onhand"), event("c2", "red", "inbound", 3));
        assertThat(quantity(row(rowsByColor(), "red"), "pos", "inbound")).isEqualTo("102");
    }

    @Test
    void setOnHand_olderObservation_isIgnoredAsStale() {
        String newer = """
                {"id": "%s", "organizationId": "usmf", "productId": "T-shirt",
                 "dimensions": {"siteId": "1", "locationId": "11", "colorId": "red"},
                 "quantities": {"pos": {"inbound": %s}}, "modifiedDateTimeUTC": "%s"}""";
        client.post(
                api("/setonhand/pos/bulk"),
                "[" + newer.formatted("s2", 40, "2026-03-01T00:00:00Z") + "]");
        IvsClient.Response stale = client.post(
                api("/setonhand/pos/bulk"),
                "[" + newer.formatted("s1", 10, "2026-02-01T00:00:00Z") + "]");
        assertThat(stale.json().get(0).path("processingStatus").asString()).isEqualTo("success");
        assertThat(stale.json().get(0).path("message").asString()).startsWith("stale");
        assertThat(quantity(row(rowsByColor(), "red"), "pos", "inbound")).isEqualTo("40");
    }

    @Test
    void changeEvent_allocationMeasureOfIv_isForbiddenAndChangesNothing() {
        IvsClient.Response response = client.post(api("/onhand"), """
                {"id": "iv1", "organizationId": "usmf", "productId": "T-shirt",
                 "dimensions": {"siteId": "1", "locationId": "11", "colorId": "red"},
                 "quantities": {"@iv": {"@allocated": 5}}}""");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("message").asString())
                .contains("quantities.@iv.@allocated", "allocation API");
        IvsClient.Response partitions = client.get(api("/allpartitionids"));
        assertThat(partitions.json()).isEmpty();
    }

    @Test
    void writeAnswers_carryTheirLengthAndAreNotChunked() throws Exception {
        // Regression: answers went through a converter that streamed and flushed, so each was
        // chunked and took two socket writes (commit e1c986e; docs/performance.md, 2026-12-06).
        HttpClient http = HttpClient.newHttpClient();
        for (String[] call : List.of(
                new String[] {"/onhand", event("len-1", "red", "inbound", 1)},
                new String[] {"/onhand/bulk", "[" + event("len-2", "red", "inbound", 1) + "]"})) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + api(call[0])))
                            .header("Authorization", "Bearer " + client.adminToken(env))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(call[1]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.headers().firstValue("Transfer-Encoding"))
                    .as(call[0])
                    .isEmpty();
            assertThat(response.headers().firstValueAsLong("Content-Length"))
                    .as(call[0])
                    .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(call[0])
                    .hasValue("application/json");
        }
    }
}
