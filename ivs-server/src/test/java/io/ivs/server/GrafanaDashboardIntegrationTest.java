package io.ivs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.feed.FeedLagMetrics;
import io.ivs.server.summary.SummaryFeedFollower;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.PrometheusScrape;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard of docs/grafana queries only metrics that IVS exposes: every metric name
 * in every panel's query is read from {@code /actuator/prometheus} of a running IVS after an
 * on-hand write, a reservation, a refused reservation, a webhook subscription and a summary in
 * immediate mode exist. The scrape is kept in {@code target/prometheus-scrape.txt}.
 */
class GrafanaDashboardIntegrationTest extends HttpTestSupport {
    static final Path DASHBOARD = Path.of("docs", "grafana", "ivs-dashboard.json");

    /** PromQL words that are not metric names: aggregations, functions and operators. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "rate",
            "irate",
            "increase",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "histogram_quantile",
            "topk",
            "bottomk",
            "clamp_min",
            "clamp_max",
            "abs");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    SummaryFeedFollower summary;

    @Autowired
    FeedLagMetrics lag;

    @Test
    void dashboard_namesOnlyMetricsThatIvsExposes() throws IOException {
        produceEveryKindOfMetric();
        PrometheusScrape scrape = PrometheusScrape.of(port);
        Set<String> named = new TreeSet<>();
        for (String expr : queries(dashboard())) {
            named.addAll(metricNames(expr));
        }

        assertThat(named).as("metrics named by the dashboard").hasSizeGreaterThan(10);
        assertThat(scrape.names()).containsAll(named);
        // Other tests of the same JVM may have refused reservations too.
        assertThat(scrape.value(
                                "ivs_api_items_total",
                                Map.of(
                                        "operation",
                                        "reserve",
                                        "outcome",
                                        "refused",
                                        "reason",
                                        "insufficient_availability"))
                        .orElse(0))
                .isGreaterThanOrEqualTo(1);
        // The background follower may hold the summary cursor while followNow() runs (it skips a
        // locked cursor), so the lag reaches 0 once that round and the next have committed.
        Map<String, String> summaryLag =
                Map.of("consumer", "summary", "environment", env, "subscription", "");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            summary.followNow();
            lag.refresh();
            assertThat(PrometheusScrape.of(port).value("ivs_feed_lag_positions", summaryLag))
                    .hasValue(0.0);
        });
    }

    @Test
    void metricNames_leaveOutFunctionsLabelsAndRanges_soAnUnknownNameIsCaught() {
        Set<String> names = metricNames("sum by (operation, reason) (rate(ivs_api_items_total"
                + "{outcome=\"refused\",uri=~\"/api/.*\"}[$__rate_interval])) / on (instance)"
                + " max(ivs_no_such_metric) > 0");

        assertThat(names).containsExactlyInAnyOrder("ivs_api_items_total", "ivs_no_such_metric");
        assertThat(PrometheusScrape.parse("ivs_api_items_total{a=\"b\"} 1.0\n").names())
                .doesNotContainAnyElementsOf(List.of("ivs_no_such_metric"));
    }

    /** The metric names a PromQL expression selects. */
    static Set<String> metricNames(String expr) {
        String bare = STRING.matcher(expr).replaceAll("\"\"");
        bare = bare.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^]]*\\]", " ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            boolean call = m.group(2) != null;
            if (!call && !PROMQL_WORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static JsonNode dashboard() throws IOException {
        Path file = Files.exists(DASHBOARD) ? DASHBOARD : Path.of("..").resolve(DASHBOARD);
        return JsonMapper.builder().build().readTree(Files.readString(file));
    }

    /** Every query of every panel, rows' nested panels included. */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        for (int i = 0; i < panels.size(); i++) {
            panels.get(i).path("panels").forEach(panels::add);
            for (JsonNode target : panels.get(i).path("targets")) {
                queries.add(target.path("expr").asString());
            }
        }
        assertThat(queries).as("queries of " + DASHBOARD).isNotEmpty().doesNotContain("");
        return queries;
    }

    private void produceEveryKindOfMetric() throws IOException {
        configure(document -> {
            ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
            ObjectNode storage = (ObjectNode) document.get("storageConfiguration");
            storage.put("isOnHandMostSpecificStorageEnabled", true);
            storage.put("refreshMode", "immediate");
        });
        Map<String, Object> dimensions = IvsClient.map("siteId", "1", "locationId", "11");
        IvsClient.Response write = client.post(
                api("/onhand"),
                IvsClient.json(IvsClient.map(
                        "id", "w1",
                        "organizationId", "usmf",
                        "productId", "shirt",
                        "dimensions", dimensions,
                        "quantities", IvsClient.map("pos", IvsClient.map("inbound", 5)))));
        assertThat(write.status()).as(write.body()).isEqualTo(200);
        assertThat(reserve("r1", dimensions, 2).status()).isEqualTo(200);
        assertThat(reserve("r2", dimensions, 50).json().path("processingStatus").asString())
                .isEqualTo("failure");
        IvsClient.Response subscribed = client.post(
                "/admin/environments/" + env + "/webhooks",
                IvsClient.json(IvsClient.map("url", "https://receiver.example/ivs")));
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
        sequencer.sequenceNow();
        summary.followNow();
        lag.refresh();
        Path kept = Path.of("target", "prometheus-scrape.txt");
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, scrapeText(), StandardCharsets.UTF_8);
    }

    private IvsClient.Response reserve(String id, Map<String, Object> dimensions, int quantity) {
        return client.post(
                api("/onhand/reserve"),
                IvsClient.json(IvsClient.map(
                        "id",
                        id,
                        "organizationId",
                        "usmf",
                        "productId",
                        "shirt",
                        "dimensions",
                        dimensions,
                        "quantityDataSource",
                        "iv",
                        "modifier",
                        "softreserved",
                        "quantity",
                        quantity,
                        "ifCheckAvailForReserv",
                        true)));
    }

    private String scrapeText() {
        StringBuilder text = new StringBuilder();
        for (PrometheusScrape.Sample sample : PrometheusScrape.of(port).samples()) {
            text.append(sample.name()).append(sample.labels()).append(' ');
            text.append(sample.value()).append('\n');
        }
        return text.toString();
    }
}
