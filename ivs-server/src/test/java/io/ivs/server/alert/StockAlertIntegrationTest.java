package io.ivs.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.onhand.OnHandService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeFeedStore;
import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.webhook.Receiver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stock alerts end to end, over real HTTP and real PostgreSQL: a rule on available to reserve
 * at a site, stock moved by on-hand events, alerts delivered to a webhook receiver that asked for
 * them (and not to one that did not), visible in the feed when asked for, once per crossing even
 * with two evaluators (instances) racing over one database.
 */
class StockAlertIntegrationTest extends HttpTestSupport {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ORG = "usmf";

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    AlertEvaluator evaluator;

    @Autowired
    ChangeFeed feed;

    @Autowired
    ChangeFeedStore feedStore;

    @Autowired
    ChangeSignal signal;

    @Autowired
    JdbcAlertStore store;

    @Autowired
    OnHandService onhand;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    EnvironmentService environments;

    @Autowired
    JdbcTemplate jdbc;

    Receiver alerts;
    Receiver changes;

    @BeforeAll
    static void compileVerifier() {
        Receiver.warmUp();
    }

    @BeforeEach
    void startReceivers() {
        alerts = new Receiver(SECRET);
        changes = new Receiver(SECRET);
    }

    @AfterEach
    void stopReceivers() {
        for (JsonNode subscription : client.get(webhooks()).json()) {
            client.delete(webhooks() + "/" + subscription.path("id").asString(), null);
        }
        alerts.close();
        changes.close();
    }

    private String webhooks() {
        return "/admin/environments/" + env + "/webhooks";
    }

    private String rules() {
        return "/admin/environments/" + env + "/alerts/rules";
    }

    private IvsClient.Response putRule(String name, Object... fields) {
        return client.put(rules() + "/" + name, IvsClient.json(IvsClient.map(fields)));
    }

    private void siteRule() {
        IvsClient.Response put = putRule(
                "site1-atr",
                "measure",
                "iv.availabletoreserve",
                "level",
                IvsClient.map(
                        "organizationId",
                        ORG,
                        "dimensions",
                        IvsClient.map("siteId", "1", "locationId", "11")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
    }

    private void subscribe(Receiver receiver, Object... fields) {
        Map<String, Object> body = IvsClient.map(fields);
        body.put("url", receiver.url("/hook"));
        body.put("secret", SECRET);
        IvsClient.Response created = client.post(webhooks(), IvsClient.json(body));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private void post(String id, String product, String site, String measure, int quantity) {
        String[] parts = measure.split("\\.");
        post(id, product, site, IvsClient.map(parts[0], IvsClient.map(parts[1], quantity)));
    }

    private void post(String id, String product, String site, Map<String, Object> quantities) {
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(IvsClient.map(
                        "id", id,
                        "organizationId", ORG,
                        "productId", product,
                        "dimensions", IvsClient.map("siteId", site, "locationId", "11"),
                        "quantities", quantities)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /**
     * Waits until the evaluators have read every change committed so far, then gives the alerts
     * they recorded their positions.
     */
    private void settle(AlertEvaluator... evaluators) {
        sequencer.sequenceNow();
        long last = lastPosition();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (cursor() < last) {
            for (AlertEvaluator each : evaluators) {
                each.evaluateNow();
            }
            assertThat(System.nanoTime()).as("alert cursor reaches " + last).isLessThan(deadline);
            Receiver.sleep(Duration.ofMillis(5));
        }
        sequencer.sequenceNow();
    }

    private long lastPosition() {
        Long last = jdbc.queryForObject(
                "select max(position) from feed_change where environment_id = ?", Long.class, env);
        return last == null ? 0 : last;
    }

    private long cursor() {
        List<Long> position = jdbc.queryForList(
                "select position from feed_cursor where consumer = 'alert' and environment_id = ?",
                Long.class,
                env);
        return position.isEmpty() ? -1 : position.getFirst();
    }

    private List<String> feedTypes(String types) {
        JsonNode page = client.get(api("/changes?limit=1000&types=" + types)).json();
        List<String> out = new ArrayList<>();
        for (JsonNode change : page.path("changes")) {
            JsonNode alert = change.path("alert");
            out.add(
                    alert.isMissingNode()
                            ? change.path("kind").asString()
                            : alert.path("type").asString());
        }
        return out;
    }

    private static List<String> types(List<Receiver.Delivery> deliveries) {
        return deliveries.stream().map(d -> d.body().path("type").asString()).toList();
    }

    @Test
    void availableToReserveAtASite_firesOncePerCrossing_toSubscribersWhoAskedAndTheFeed() {
        subscribe(alerts, "eventTypes", List.of("stock.out", "stock.back"));
        subscribe(changes);
        siteRule();

        post("e1", "P1", "1", "pos.inbound", 5); // unseen -> 5: in stock, nothing to report
        settle(evaluator);
        post("e2", "P1", "1", "pos.outbound", 5); // 5 -> 0: stock.out
        settle(evaluator);
        // 0 -> 0, another change of the record: nothing
        post("e3", "P1", "1", IvsClient.map("pos", IvsClient.map("inbound", 4, "outbound", 4)));
        settle(evaluator);
        post("e4", "P1", "2", "pos.inbound", 9); // another site: nothing
        settle(evaluator);
        post("e5", "P1", "1", "pos.inbound", 3); // 0 -> 3: stock.back
        settle(evaluator);
        post("e6", "P1", "1", "pos.inbound", 2); // 3 -> 5: no crossing
        settle(evaluator);
        post("e7", "P1", "1", "pos.outbound", 5); // 5 -> 0: stock.out
        settle(evaluator);

        List<Receiver.Delivery> got = alerts.await("3 alerts", all -> all.size() >= 3);
        changes.await("7 changes", all -> all.size() >= 7);
        Receiver.sleep(Duration.ofMillis(300));

        assertThat(types(alerts.all())).containsExactly("stock.out", "stock.back", "stock.out");
        assertThat(got).allSatisfy(d -> {
            assertThat(d.signatureValid()).isTrue();
            assertThat(d.change().path("kind").asString()).isEqualTo("alert");
            assertThat(d.productId()).isEqualTo("P1");
            assertThat(d.change().path("dimensions").path("siteid").asString()).isEqualTo("1");
            assertThat(d.change().path("alert").path("rule").asString()).isEqualTo("site1-atr");
            assertThat(d.change().path("alert").path("measure").asString())
                    .isEqualTo("iv.availabletoreserve");
        });
        JsonNode firstOut = got.getFirst().change().path("alert");
        assertThat(firstOut.path("value").decimalValue()).isZero();
        assertThat(firstOut.path("previous").decimalValue()).isEqualByComparingTo("5");
        assertThat(got.get(1).change().path("alert").path("value").decimalValue())
                .isEqualByComparingTo("3");
        // The subscriber that chose nothing got the seven changes and no alert.
        assertThat(types(changes.all())).hasSize(7).containsOnly("change");

        assertThat(feedTypes("stock.*")).containsExactly("stock.out", "stock.back", "stock.out");
        assertThat(feedTypes("")).hasSize(7).containsOnly("onhand");
        assertThat(feedTypes("change,stock.out"))
                .hasSize(9)
                .filteredOn(type -> !type.equals("onhand"))
                .containsExactly("stock.out", "stock.out");

        // The feed ends with an alert that the changes-only subscriber skips: its cursor still
        // moves past it, so it reports no lag and never reads the alert again.
        long end = lastPosition();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (subscriberCursors().stream().anyMatch(cursor -> cursor < end)) {
            assertThat(System.nanoTime()).as("subscribers reach " + end).isLessThan(deadline);
            Receiver.sleep(Duration.ofMillis(20));
        }
    }

    private List<Long> subscriberCursors() {
        return jdbc.queryForList(
                "select cursor from webhook_subscription where environment_id = ?",
                Long.class,
                env);
    }

    @Test
    void thresholdRule_reportsBelowAndRecovered_withTheLevelCrossed() {
        IvsClient.Response put = putRule(
                "p3-low",
                "measure",
                "pos.availquantity",
                "level",
                IvsClient.map("organizationId", ORG, "productId", "P3"),
                "threshold",
                4);
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        post("t1", "P3", "1", "pos.inbound", 10); // unseen -> 10: nothing
        settle(evaluator);
        post("t2", "P3", "2", "pos.outbound", 6); // 10 -> 4, over both sites: below
        settle(evaluator);
        post("t3", "P3", "1", "pos.outbound", 4); // 4 -> 0: out
        settle(evaluator);
        post("t4", "P3", "2", "pos.inbound", 9); // 0 -> 9: back, recovered
        settle(evaluator);

        JsonNode page = client.get(api("/changes?types=stock.*")).json();
        List<String> seen = new ArrayList<>();
        for (JsonNode change : page.path("changes")) {
            JsonNode alert = change.path("alert");
            seen.add(alert.path("type").asString() + "@"
                    + alert.path("threshold").asString() + ":"
                    + alert.path("value").asString());
        }
        assertThat(seen)
                .containsExactly(
                        "stock.below@4:4",
                        "stock.out@0:0",
                        "stock.back@0:9",
                        "stock.recovered@4:9");
    }

    @Test
    void ruleWhoseMeasureLeftTheConfiguration_isSkipped_notReportedOut() {
        IvsClient.Response put = putRule(
                "p4",
                "measure",
                "pos.availquantity",
                "level",
                IvsClient.map("organizationId", ORG, "productId", "P4"));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        post("m1", "P4", "1", "pos.inbound", 5);
        settle(evaluator);

        configure(document -> ((tools.jackson.databind.node.ObjectNode)
                        document.path("inventorySystemConfigurations")
                                .path("pos")
                                .path("calculatedMeasures"))
                .remove("availquantity"));
        post("m2", "P4", "1", "pos.inbound", 1);
        settle(evaluator);

        assertThat(feedTypes("stock.*")).isEmpty();
        assertThat(cursor()).isEqualTo(lastPosition());
    }

    @Test
    void twoEvaluatorsRacing_recordEachCrossingOnce() throws Exception {
        siteRule();
        AlertEvaluator second = new AlertEvaluator(
                feed, feedStore, signal, store, onhand, environments, tx, Duration.ofMillis(10));
        AtomicBoolean running = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Both evaluators run all the time, as two instances would, besides the bean's loop.
            List<Future<?>> racers = new ArrayList<>();
            for (AlertEvaluator each : List.of(evaluator, second)) {
                racers.add(pool.submit(() -> {
                    while (running.get()) {
                        each.evaluateNow();
                    }
                    return null;
                }));
            }
            post("s0", "P2", "1", "pos.inbound", 1);
            settle(evaluator, second);
            for (int i = 1; i <= 10; i++) {
                post("o" + i, "P2", "1", "pos.outbound", 1); // 1 -> 0
                settle(evaluator, second);
                post("i" + i, "P2", "1", "pos.inbound", 1); // 0 -> 1
                settle(evaluator, second);
            }
            running.set(false);
            for (Future<?> racer : racers) {
                racer.get();
            }
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("stock.out");
            expected.add("stock.back");
        }
        assertThat(feedTypes("stock.*")).isEqualTo(expected);
    }

    @Test
    void rules_putGetListDelete_andTheAnswerNamesEveryBadField() {
        siteRule();
        IvsClient.Response product = putRule(
                "p9-low",
                "measure",
                "pos.inbound",
                "level",
                IvsClient.map("organizationId", ORG, "productId", "P9"),
                "threshold",
                5,
                "hysteresis",
                "1.5");
        assertThat(product.status()).as(product.body()).isEqualTo(200);

        JsonNode one = client.get(rules() + "/P9-LOW").json();
        assertThat(one.path("threshold").asString()).isEqualTo("5");
        assertThat(one.path("hysteresis").asString()).isEqualTo("1.5");
        assertThat(one.path("level").path("productId").asString()).isEqualTo("P9");
        assertThat(client.get(rules()).json()).hasSize(2);

        assertBad(
                putRule("x", "measure", "iv.nosuch", "level", IvsClient.map("organizationId", ORG)),
                "measure");
        assertBad(
                putRule("x", "measure", "inbound", "level", IvsClient.map("organizationId", ORG)),
                "measure");
        assertBad(putRule("x", "measure", "pos.inbound"), "level");
        assertBad(
                putRule("x", "measure", "pos.inbound", "level", IvsClient.map("productId", "P")),
                "level.organizationId");
        assertBad(
                putRule(
                        "x",
                        "measure",
                        "pos.inbound",
                        "level",
                        IvsClient.map(
                                "organizationId", ORG, "dimensions", IvsClient.map("shelf", "a"))),
                "level.dimensions.shelf");
        assertBad(
                putRule(
                        "x",
                        "measure",
                        "pos.inbound",
                        "level",
                        IvsClient.map("organizationId", ORG),
                        "threshold",
                        -1),
                "threshold");
        assertBad(
                putRule(
                        "x",
                        "measure",
                        "pos.inbound",
                        "level",
                        IvsClient.map("organizationId", ORG),
                        "hysteresis",
                        "lots"),
                "hysteresis");
        assertBad(
                putRule(
                        "x",
                        "measure",
                        "pos.inbound",
                        "level",
                        IvsClient.map("organizationId", ORG),
                        "colour",
                        "red"),
                "colour");
        assertBad(
                putRule(
                        "bad%20name",
                        "measure", "pos.inbound", "level", IvsClient.map("organizationId", ORG)),
                "name");
        assertBad(
                client.post(
                        webhooks(),
                        IvsClient.json(IvsClient.map(
                                "url",
                                alerts.url("/hook"),
                                "eventTypes",
                                List.of("stock.sideways")))),
                "eventTypes[0]");
        assertBad(client.get(api("/changes?types=alerts")), "types[0]");
        assertThat(client.get(rules()).json()).hasSize(2);

        assertThat(client.delete(rules() + "/p9-low", null).status()).isEqualTo(204);
        assertThat(client.delete(rules() + "/p9-low", null).status()).isEqualTo(404);
        assertThat(client.get(rules() + "/p9-low").status()).isEqualTo(404);
        assertThat(client.get(rules()).json()).hasSize(1);
    }

    private static void assertBad(IvsClient.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(field);
    }
}
