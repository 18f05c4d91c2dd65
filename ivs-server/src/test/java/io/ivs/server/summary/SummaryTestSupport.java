package io.ivs.server.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.RecordKey;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Writes through the API and reads the summary and preload tables as a BI tool would. */
abstract class SummaryTestSupport extends HttpTestSupport {
    static final String ORG = "usmf";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SummaryRefresher refresher;

    @Autowired
    PeriodicSummaryRefresh periodic;

    /** Switches summary and/or preload on, preload grouped by {@code groupBy}. */
    void enable(boolean summary, boolean preload, String mode, String... groupBy) {
        configure(document -> {
            ObjectNode storage = (ObjectNode) document.get("storageConfiguration");
            storage.put("isOnHandMostSpecificStorageEnabled", summary);
            storage.put("ohmsBackgroundServiceFreq", 5);
            storage.put("refreshMode", mode);
            ObjectNode preloadNode =
                    (ObjectNode) document.get("onHandIndexQueryPreloadStorageConfiguration");
            preloadNode.put("isOnHandIndexQueryPreloadStorageEnabled", preload);
            ArrayNode values = preloadNode.putArray("groupByValues");
            for (String dimension : groupBy) {
                values.add(dimension);
            }
        });
    }

    static Map<String, Object> dims(String... pairs) {
        Map<String, Object> dims = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            dims.put(pairs[i], pairs[i + 1]);
        }
        return dims;
    }

    static Map<String, Object> event(
            String id, String product, Map<String, Object> dims, String ds, Object... measures) {
        return IvsClient.map(
                "id", id,
                "organizationId", ORG,
                "productId", product,
                "dimensions", dims,
                "quantities", Map.of(ds, IvsClient.map(measures)));
    }

    void change(Map<String, Object> event) {
        IvsClient.Response response = client.post(api("/onhand"), IvsClient.json(event));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("processingStatus").asString()).isEqualTo("success");
    }

    void changes(List<Map<String, Object>> events) {
        IvsClient.Response response = client.post(api("/onhand/bulk"), IvsClient.json(events));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("processingStatus").asString())
                    .as(item.toString())
                    .isEqualTo("success");
        }
    }

    UUID productKey(String product) {
        return RecordKey.productKey(EnvironmentId.of(env), ORG, product);
    }

    /** A row read back: dimensions present (column → value) and quantities as plain strings. */
    record Row(
            String product,
            Map<String, String> dimensions,
            Map<String, String> quantities,
            Instant updatedAt) {}

    /** The rows of a table for this environment, by product then dimensions. */
    /** The table's rows once they satisfy {@code done}, waiting up to 10 seconds. */
    List<Row> awaitRows(String table, java.util.function.Predicate<List<Row>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        List<Row> rows = rows(table);
        while (!done.test(rows) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            rows = rows(table);
        }
        assertThat(done.test(rows))
                .as("%s never reached the expected rows: %s", table, rows)
                .isTrue();
        return rows;
    }

    /** Waits until the change-feed follower has taken up this environment. */
    void awaitFollowing() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Integer cursors = jdbc.queryForObject(
                    "select count(*) from feed_cursor where environment_id = ?",
                    Integer.class,
                    env);
            if (cursors != null && cursors > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the summary follower never took up " + env);
    }

    List<Row> rows(String table) {
        String key = table.equals("inventory_summary") ? "record_key" : "group_key";
        List<Row> rows = new ArrayList<>();
        jdbc.query(
                "select product_id, organization_id, " + SummaryColumns.list("")
                        + ", quantities::text, updated_at from " + table
                        + " where environment_id = ? order by product_id, " + key,
                rs -> {
                    assertThat(rs.getString(2)).isEqualTo(ORG);
                    Map<String, String> dimensions = new TreeMap<>();
                    int column = 3;
                    for (String dimension : SummaryColumns.DIMENSIONS) {
                        String value = rs.getString(column++);
                        if (value != null) {
                            dimensions.put(dimension, value);
                        }
                    }
                    rows.add(new Row(
                            rs.getString(1),
                            dimensions,
                            flatten(parseExact(rs.getString(column++))),
                            rs.getObject(column, java.time.OffsetDateTime.class).toInstant()));
                },
                env);
        return rows;
    }

    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** JSON with decimals kept exact (a double would round them). */
    static JsonNode parseExact(String text) {
        return EXACT.readTree(text);
    }

    /** {@code {"pos": {"inbound": 20}}} → {@code pos.inbound=20}, sorted. */
    static Map<String, String> flatten(JsonNode quantities) {
        Map<String, String> flat = new TreeMap<>();
        for (Map.Entry<String, JsonNode> ds : quantities.properties()) {
            for (Map.Entry<String, JsonNode> measure : ds.getValue().properties()) {
                flat.put(
                        ds.getKey() + "." + measure.getKey(),
                        measure.getValue().decimalValue().stripTrailingZeros().toPlainString());
            }
        }
        return flat;
    }

    static Map<String, String> q(String... pairs) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static Map<String, String> d(String... pairs) {
        return q(pairs);
    }

    /** Makes the last periodic refresh look {@code age} old. */
    void ageLastRefresh(Duration age) {
        int updated = jdbc.update(
                "update summary_refresh set refreshed_at = now() - make_interval(secs => ?)"
                        + " where environment_id = ?",
                age.toSeconds(),
                env);
        assertThat(updated).isEqualTo(1);
    }

    /** Polls a job until it is no longer running; answers its final progress answer. */
    JsonNode awaitJob(String jobId) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            IvsClient.Response progress = client.get(api("/getJobProgress?jobId=" + jobId));
            assertThat(progress.status()).as(progress.body()).isEqualTo(200);
            if (!progress.json().path("status").asString().equals("Running")) {
                return progress.json();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " still running after 30 s");
    }
}
