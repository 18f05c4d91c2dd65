package io.ivs.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Helpers shared by the query tests: posting records and reading result rows. */
public abstract class QueryTestSupport extends HttpTestSupport {
    public static final String[] V2 = {"Api-Version", "2.0"};

    /** A change event adding {@code quantity} to {@code ds.measure} of one record. */
    public static Map<String, Object> event(
            String id,
            String org,
            String product,
            Map<String, Object> dimensions,
            String ds,
            String measure,
            Object quantity) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                org,
                "productId",
                product,
                "dimensions",
                dimensions,
                "quantities",
                IvsClient.map(ds, IvsClient.map(measure, quantity)));
    }

    /** Dimension name, value pairs. */
    public static Map<String, Object> dims(String... pairs) {
        return IvsClient.map((Object[]) pairs);
    }

    /** Posts the events in one bulk request; every item must be accepted. */
    public void postAll(List<Map<String, Object>> events) {
        IvsClient.Response response = client.post(api("/onhand/bulk"), IvsClient.json(events));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        }
    }

    /** Posts one single event; it must be accepted. */
    public void post(Map<String, Object> event) {
        IvsClient.Response response = client.post(api("/onhand"), IvsClient.json(event));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** Sends a query that must succeed and returns its JSON answer. */
    public JsonNode ok(String path, String body, String... headers) {
        IvsClient.Response response = client.post(api(path), body, headers);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public JsonNode indexQuery(String body) {
        JsonNode rows = ok("/onhand/indexquery", body);
        assertThat(rows.isArray()).as(rows.toString()).isTrue();
        return rows;
    }

    public JsonNode exactQuery(String body, String... headers) {
        JsonNode rows = ok("/onhand/exactquery", body, headers);
        assertThat(rows.isArray()).as(rows.toString()).isTrue();
        return rows;
    }

    /**
     * The quantity of {@code ds.measure} per row, keyed by the row's values of {@code keys}
     * joined with "/". A key is a dimension name as output, or {@code productId} /
     * {@code organizationId} for the row's own fields. Two rows with the same key fail.
     */
    public static Map<String, String> totals(
            JsonNode rows, String ds, String measure, String... keys) {
        Map<String, String> totals = new TreeMap<>();
        for (JsonNode row : rows) {
            List<String> parts = new ArrayList<>();
            for (String key : keys) {
                JsonNode value = key.equals("productId") || key.equals("organizationId")
                        ? row.path(key)
                        : row.path("dimensions").path(key);
                assertThat(value.isString()).as("%s in %s", key, row).isTrue();
                parts.add(value.asString());
            }
            String previous = totals.put(String.join("/", parts), quantity(row, ds, measure));
            assertThat(previous).as("duplicate row %s in %s", parts, rows).isNull();
        }
        return totals;
    }

    /** Every quantity of a row as {@code ds.measure → plain value}. */
    public static Map<String, String> measures(JsonNode row) {
        Map<String, String> all = new TreeMap<>();
        for (Map.Entry<String, JsonNode> ds : row.path("quantities").properties()) {
            for (Map.Entry<String, JsonNode> measure : ds.getValue().properties()) {
                all.put(
                        ds.getKey() + "." + measure.getKey(),
                        quantity(row, ds.getKey(), measure.getKey()));
            }
        }
        return all;
    }

    /** The dimensions object of a row as an ordered map. */
    public static Map<String, String> dimensionsOf(JsonNode row) {
        Map<String, String> dims = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : row.path("dimensions").properties()) {
            dims.put(entry.getKey(), entry.getValue().asString());
        }
        return dims;
    }

    /** Asserts an IV failure envelope with the given status whose message contains the parts. */
    public static void assertFailure(
            IvsClient.Response response, int status, String... messageParts) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.path("processingStatus").asString())
                .as(response.body())
                .isEqualTo("failure");
        assertThat(body.path("statusCode").asInt()).as(response.body()).isEqualTo(status);
        if (messageParts.length > 0) {
            assertThat(body.path("message").asString()).contains(messageParts);
        }
    }
}
