package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.Rejection;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.PrometheusScrape;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The item counters ({@code ivs_api_items_total}) count every answered item of on-hand writes and
 * reservations once, single and bulk, by operation, outcome and rejection reason, as read from
 * {@code /actuator/prometheus} of a running IVS before and after.
 */
class ItemCountersIntegrationTest extends HttpTestSupport {
    private static final Map<String, Object> WAREHOUSE =
            IvsClient.map("siteId", "1", "locationId", "11");

    @Test
    void items_singleAndBulk_countedOnceByOperationOutcomeAndReason() {
        configure(document ->
                ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true));
        Map<String, Double> before = counts();

        post(api("/onhand"), event("c1", 10));
        post(api("/onhand/bulk"), List.of(event("c2", 1), event("c3", 1), "not an event"));
        post(api("/setonhand/pos/bulk"), List.of(event("s1", 12)));
        JsonNode reserved = post(api("/onhand/reserve"), reserve("r1", 5));
        post(api("/onhand/reserve"), reserve("r2", 500));
        post(api("/onhand/reserve/bulk"), List.of(reserve("r3", 1), reserve("r4", 500)));
        post(
                api("/onhand/unreserve"),
                IvsClient.map(
                        "id",
                        "u1",
                        "organizationId",
                        "usmf",
                        "productId",
                        "shirt",
                        "dimensions",
                        WAREHOUSE,
                        "reservationId",
                        reserved.path("reservationId").asString(),
                        "OffsetQty",
                        2));

        Map<String, Double> added = new LinkedHashMap<>();
        counts().forEach((series, count) -> {
            double delta = count - before.getOrDefault(series, 0.0);
            if (delta != 0) {
                added.put(series, delta);
            }
        });
        assertThat(added)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "onhand accepted none", 3.0,
                        "onhand refused invalid", 1.0,
                        "setonhand accepted none", 1.0,
                        "reserve accepted none", 2.0,
                        "reserve refused insufficient_availability", 2.0,
                        "unreserve accepted none", 1.0));
    }

    /** Every series of the counter, keyed {@code "operation outcome reason"}. */
    private Map<String, Double> counts() {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (PrometheusScrape.Sample sample : PrometheusScrape.of(port).samples()) {
            if (sample.name().equals("ivs_api_items_total")) {
                Map<String, String> labels = sample.labels();
                counts.put(
                        labels.get("operation") + " " + labels.get("outcome") + " "
                                + labels.get("reason"),
                        sample.value());
            }
        }
        // Four operations, each accepted and refused for every rejection code.
        assertThat(counts)
                .as("series registered at start")
                .hasSize(4 * (1 + Rejection.values().length));
        return counts;
    }

    private JsonNode post(String path, Object body) {
        IvsClient.Response response = client.post(path, IvsClient.json(body));
        assertThat(response.status()).as(path + ": " + response.body()).isIn(200, 500);
        return response.json();
    }

    private static Map<String, Object> event(String id, int inbound) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "shirt",
                "dimensions",
                WAREHOUSE,
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", inbound)));
    }

    private static Map<String, Object> reserve(String id, int quantity) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "shirt",
                "dimensions",
                WAREHOUSE,
                "quantityDataSource",
                "iv",
                "modifier",
                "softreserved",
                "quantity",
                quantity,
                "ifCheckAvailForReserv",
                true);
    }
}
