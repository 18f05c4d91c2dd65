package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeFeedRetention;
import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Webhooks against a local receiver, over real HTTP on both sides and real PostgreSQL: signed
 * deliveries, retries that keep per-product order, dead letters and their replay, filters,
 * pause / resume / replay from a position, and two dispatchers (instances) on one database.
 * The test settings (src/test/resources/config/application.yml) use 3 attempts and waits of
 * 50 to 200 ms.
 */
class WebhookIntegrationTest extends HttpTestSupport {
    /** A Standard Webhooks secret: 24 bytes in base64. */
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static final String ORG = "usmf";

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    WebhookStore store;

    @Autowired
    ChangeFeed feed;

    @Autowired
    WebhookSender sender;

    @Autowired
    ChangeSignal signal;

    @Autowired
    WebhookSettings settings;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ChangeFeedRetention retention;

    Receiver receiver;

    /**
     * Compiles the README verifier before any receiver needs it: compiling during the first
     * request would take longer than the test request timeout, and the retry after that
     * timeout would be a second (legitimate, at-least-once) delivery.
     */
    @BeforeAll
    static void compileVerifier() {
        assertThat(ReadmeVerifier.verify(SECRET, "wh_1-1", "1", "v1,AA==", new byte[0], 1, 0))
                .isFalse();
    }

    @BeforeEach
    void startReceiver() {
        receiver = new Receiver(SECRET);
    }

    /** Removes the test's subscriptions, so that no deliverer keeps polling for them. */
    @AfterEach
    void stopReceiver() {
        for (JsonNode subscription : client.get(webhooks()).json()) {
            client.delete(webhooks() + "/" + subscription.path("id").asString(), null);
        }
        receiver.close();
    }

    private String webhooks() {
        return "/admin/environments/" + env + "/webhooks";
    }

    private JsonNode subscribe(Object... fields) {
        Map<String, Object> body = IvsClient.map(fields);
        body.putIfAbsent("secret", SECRET);
        IvsClient.Response created = client.post(webhooks(), IvsClient.json(body));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private JsonNode subscription(String id) {
        IvsClient.Response response = client.get(webhooks() + "/" + id);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private void onhand(String id, String product, String color, String measure, int quantity) {
        String[] parts = measure.split("\\.");
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(IvsClient.map(
                        "id", id,
                        "organizationId", ORG,
                        "productId", product,
                        "dimensions",
                                IvsClient.map("siteId", "1", "locationId", "11", "colorId", color),
                        "quantities", IvsClient.map(parts[0], IvsClient.map(parts[1], quantity)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** Sequences what was committed; answers the environment's last feed position. */
    private long settle() {
        sequencer.sequenceNow();
        JsonNode page = client.get(api("/changes?limit=1000")).json();
        JsonNode changes = page.path("changes");
        return changes.isEmpty()
                ? 0
                : changes.get(changes.size() - 1).path("position").asLong();
    }

    /** Waits until the subscription has handled every change up to {@code position}. */
    private JsonNode awaitCursor(String id, long position) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode view = subscription(id);
            if (view.path("cursor").asLong() >= position) {
                return view;
            }
            assertThat(System.nanoTime())
                    .as("cursor of " + id + " reaches " + position + ", is " + view)
                    .isLessThan(deadline);
            Receiver.sleep(Duration.ofMillis(20));
        }
    }

    private static List<Receiver.Delivery> ofProduct(
            List<Receiver.Delivery> deliveries, String product) {
        return deliveries.stream().filter(d -> d.productId().equals(product)).toList();
    }

    private static String value(Receiver.Delivery delivery, String ds, String measure) {
        JsonNode value = delivery.change().path("quantities").path(ds).path(measure);
        return value.isMissingNode() ? null : value.decimalValue().toPlainString();
    }

    private static Predicate<List<Receiver.Delivery>> deliveredAtLeast(int count) {
        return all -> all.stream().filter(Receiver.Delivery::delivered).count() >= count;
    }

    @Test
    void delivery_signedWithTheChangeAsBody_inOrderPerProduct() {
        JsonNode created = subscribe("url", receiver.url("/hook"));
        String id = created.path("id").asString();
        assertThat(id).startsWith("wh_");
        assertThat(created.path("secret").asString()).isEqualTo(SECRET);

        onhand("e1", "P1", "red", "pos.inbound", 5);
        onhand("e2", "P2", "red", "pos.inbound", 1);
        onhand("e3", "P1", "red", "pos.outbound", 2);
        long last = settle();

        List<Receiver.Delivery> got = receiver.await("3 deliveries", deliveredAtLeast(3));
        JsonNode view = awaitCursor(id, last);

        assertThat(receiver.all()).hasSize(3);
        assertThat(got).allSatisfy(d -> {
            assertThat(d.signatureValid()).isTrue();
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.replay()).isFalse();
            assertThat(d.subscriptionId()).isEqualTo(id);
            assertThat(d.deliveryId()).isEqualTo(id + "-" + d.position());
            assertThat(d.body().path("deliveryId").asString()).isEqualTo(d.deliveryId());
            assertThat(d.body().path("subscriptionId").asString()).isEqualTo(id);
            assertThat(d.body().path("environmentId").asString()).isEqualTo(env);
            assertThat(d.change().path("kind").asString()).isEqualTo("onhand");
            assertThat(d.change().path("organizationId").asString()).isEqualTo(ORG);
            assertThat(d.change().path("dimensions").path("ColorId").asString()).isEqualTo("red");
        });
        List<Receiver.Delivery> p1 = ofProduct(got, "P1");
        assertThat(p1).hasSize(2);
        assertThat(p1.get(1).position()).isGreaterThan(p1.get(0).position());
        assertThat(value(p1.get(0), "pos", "inbound")).isEqualTo("5");
        assertThat(value(p1.get(0), "pos", "outbound")).isNull();
        assertThat(value(p1.get(1), "pos", "inbound")).isEqualTo("5");
        assertThat(value(p1.get(1), "pos", "outbound")).isEqualTo("2");
        assertThat(value(p1.get(1), "pos", "availquantity")).isEqualTo("3");
        assertThat(value(ofProduct(got, "P2").getFirst(), "pos", "inbound")).isEqualTo("1");

        assertThat(view.has("secret")).isFalse();
        assertThat(view.path("status").asString()).isEqualTo("active");
        assertThat(view.path("lastSuccessAt").isNull()).isFalse();
        assertThat(view.path("deadLetters").asInt()).isZero();
        JsonNode list = client.get(webhooks()).json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("id").asString()).isEqualTo(id);
        assertThat(list.get(0).has("secret")).isFalse();
    }

    /**
     * Every first and second attempt for P1 fails with 500: each P1 change succeeds on its
     * third attempt, and no P1 change is sent before the previous one succeeded; P2 goes on.
     */
    @Test
    void retry_receiverFailsTwice_succeedsOnTheThirdAttemptAndKeepsProductOrder() {
        receiver.respond(d -> d.productId().equals("P1") && d.attempt() <= 2 ? 500 : 200);
        String id = subscribe("url", receiver.url("/hook")).path("id").asString();

        onhand("e1", "P1", "red", "pos.inbound", 1);
        onhand("e2", "P2", "red", "pos.inbound", 1);
        onhand("e3", "P1", "red", "pos.inbound", 2);
        onhand("e4", "P1", "blue", "pos.inbound", 3);
        onhand("e5", "P2", "red", "pos.inbound", 4);
        long last = settle();

        receiver.await("5 deliveries", deliveredAtLeast(5));
        JsonNode view = awaitCursor(id, last);

        List<Receiver.Delivery> p1 = ofProduct(receiver.all(), "P1");
        assertThat(p1).hasSize(9);
        for (int change = 0; change < 3; change++) {
            List<Receiver.Delivery> tries = p1.subList(change * 3, change * 3 + 3);
            assertThat(tries)
                    .extracting(Receiver.Delivery::deliveryId)
                    .containsOnly(tries.getFirst().deliveryId());
            assertThat(tries).extracting(Receiver.Delivery::attempt).containsExactly(1, 2, 3);
            assertThat(tries)
                    .extracting(Receiver.Delivery::answered)
                    .containsExactly(500, 500, 200);
        }
        assertThat(p1.get(3).position()).isGreaterThan(p1.get(0).position());
        assertThat(p1.get(6).position()).isGreaterThan(p1.get(3).position());
        List<Receiver.Delivery> p2 = ofProduct(receiver.all(), "P2");
        assertThat(p2).extracting(Receiver.Delivery::answered).containsExactly(200, 200);
        assertThat(p2.get(1).position()).isGreaterThan(p2.get(0).position());
        assertThat(view.path("lastError").asString()).contains("HTTP 500");
        assertThat(view.path("deadLetters").asInt()).isZero();
        IvsClient.Response metrics = client.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(counter(metrics.body(), "ivs_webhooks_attempts_total{outcome=\"failed\"}"))
                .isGreaterThanOrEqualTo(6);
        assertThat(counter(metrics.body(), "ivs_webhooks_attempts_total{outcome=\"delivered\"}"))
                .isGreaterThanOrEqualTo(5);
    }

    /** The value of one Prometheus sample line, 0 when it is missing. */
    private static double counter(String exposition, String sample) {
        return exposition
                .lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    /**
     * The receiver refuses the red record of P1 with 503: after 3 attempts it is a dead letter,
     * the next P1 change goes after it, and a replay delivers it once the receiver accepts it.
     */
    @Test
    void deadLetter_afterTheLastAttempt_isListedAndAReplayDeliversIt() {
        AtomicBoolean refusing = new AtomicBoolean(true);
        receiver.respond(d -> refusing.get()
                        && d.change()
                                .path("dimensions")
                                .path("ColorId")
                                .asString()
                                .equals("red")
                ? 503
                : 200);
        String id = subscribe("url", receiver.url("/hook")).path("id").asString();

        onhand("e1", "P1", "red", "pos.inbound", 7);
        onhand("e2", "P1", "blue", "pos.inbound", 1);
        long last = settle();
        awaitCursor(id, last);

        List<Receiver.Delivery> all = receiver.all();
        assertThat(all).extracting(Receiver.Delivery::answered).containsExactly(503, 503, 503, 200);
        String deadId = all.getFirst().deliveryId();
        IvsClient.Response listed = client.get(webhooks() + "/" + id + "/dead-letters");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json()).hasSize(1);
        JsonNode dead = listed.json().get(0);
        assertThat(dead.path("deliveryId").asString()).isEqualTo(deadId);
        assertThat(dead.path("productId").asString()).isEqualTo("P1");
        assertThat(dead.path("attempts").asInt()).isEqualTo(3);
        assertThat(dead.path("lastStatus").asInt()).isEqualTo(503);
        assertThat(dead.path("lastError").asString()).contains("503");
        assertThat(dead.path("body")
                        .path("change")
                        .path("quantities")
                        .path("pos")
                        .path("inbound")
                        .asInt())
                .isEqualTo(7);
        assertThat(subscription(id).path("deadLetters").asInt()).isEqualTo(1);

        refusing.set(false);
        IvsClient.Response replay =
                client.post(webhooks() + "/" + id + "/dead-letters/replay", null);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        assertThat(replay.json().path("replaying").asInt()).isEqualTo(1);

        Receiver.Delivery replayed =
                receiver.await("the replay", l -> l.size() >= 5).get(4);
        assertThat(replayed.deliveryId()).isEqualTo(deadId);
        assertThat(replayed.replay()).isTrue();
        assertThat(replayed.signatureValid()).isTrue();
        assertThat(replayed.answered()).isEqualTo(200);
        assertThat(value(replayed, "pos", "inbound")).isEqualTo("7");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (subscription(id).path("deadLetters").asInt() != 0) {
            assertThat(System.nanoTime()).as("dead letter removed").isLessThan(deadline);
            Receiver.sleep(Duration.ofMillis(20));
        }
        assertThat(client.get(webhooks() + "/" + id + "/dead-letters").json()).isEmpty();
    }

    @Test
    void filters_productDataSourceAndMeasure_selectTheMatchingChanges() {
        String all = subscribe("url", receiver.url("/all")).path("id").asString();
        String product = subscribe("url", receiver.url("/product"), "productIds", List.of("P1"))
                .path("id")
                .asString();
        String source = subscribe("url", receiver.url("/source"), "dataSources", List.of("ERP"))
                .path("id")
                .asString();
        String measure = subscribe(
                        "url", receiver.url("/measure"), "measures", List.of("Pos.Outbound"))
                .path("id")
                .asString();
        String both = subscribe(
                        "url", receiver.url("/both"),
                        "productIds", List.of("P3"),
                        "dataSources", List.of("erp"))
                .path("id")
                .asString();

        onhand("e1", "P1", "red", "pos.inbound", 1);
        onhand("e2", "P2", "red", "erp.unrestricted", 5);
        onhand("e3", "P3", "red", "pos.outbound", 2);
        onhand("e4", "P3", "blue", "erp.unrestricted", 4);
        long last = settle();
        for (String id : List.of(all, product, source, measure, both)) {
            awaitCursor(id, last);
        }

        assertThat(products("/all")).containsExactly("P1", "P2", "P3", "P3");
        assertThat(products("/product")).containsExactly("P1");
        assertThat(products("/source")).containsExactly("P2", "P3");
        assertThat(products("/measure")).containsExactly("P3");
        assertThat(products("/both")).containsExactly("P3");
        assertThat(subscription(source).path("dataSources").get(0).asString()).isEqualTo("erp");
        assertThat(subscription(measure).path("measures").get(0).asString())
                .isEqualTo("pos.outbound");
    }

    private List<String> products(String path) {
        // At least once: a receiver de-duplicates by delivery id, and so does this check.
        Set<String> seen = new HashSet<>();
        return receiver.delivered(path).stream()
                .filter(d -> seen.add(d.deliveryId()))
                .sorted((a, b) -> Long.compare(a.position(), b.position()))
                .map(Receiver.Delivery::productId)
                .toList();
    }

    @Test
    void pauseResumeAndReplayFromAPosition_deliverWhatWasHeldBackAndAgainOnRequest() {
        String id = subscribe("url", receiver.url("/hook")).path("id").asString();
        onhand("e1", "P1", "red", "pos.inbound", 1);
        long first = settle();
        awaitCursor(id, first);

        IvsClient.Response paused = client.post(webhooks() + "/" + id + "/pause", null);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().path("status").asString()).isEqualTo("paused");
        onhand("e2", "P1", "red", "pos.inbound", 2);
        long second = settle();
        Receiver.sleep(Duration.ofMillis(600));
        assertThat(receiver.all()).hasSize(1);
        assertThat(subscription(id).path("cursor").asLong()).isEqualTo(first);

        IvsClient.Response resumed = client.post(webhooks() + "/" + id + "/resume", null);
        assertThat(resumed.json().path("status").asString()).isEqualTo("active");
        awaitCursor(id, second);
        assertThat(receiver.all()).hasSize(2);
        assertThat(value(receiver.all().get(1), "pos", "inbound")).isEqualTo("3");

        IvsClient.Response replay = client.post(
                webhooks() + "/" + id + "/replay",
                IvsClient.json(IvsClient.map("after", Long.toString(first - 1))));
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        List<Receiver.Delivery> again = receiver.await("the replayed changes", l -> l.size() >= 4);
        assertThat(again.subList(2, 4))
                .extracting(Receiver.Delivery::deliveryId)
                .containsExactly(again.get(0).deliveryId(), again.get(1).deliveryId());
    }

    /**
     * A subscription whose cursor fell behind what retention kept cannot go on where it
     * stopped: it is paused with the reason, and a replay from {@code latest} starts it again.
     */
    @Test
    void retention_removedChangesTheSubscriptionNeverGot_pausesItWithTheReason() {
        String id = subscribe("url", receiver.url("/hook")).path("id").asString();
        client.post(webhooks() + "/" + id + "/pause", null);
        onhand("e1", "P1", "red", "pos.inbound", 1);
        settle();
        assertThat(retention.prune(Instant.now().plus(Duration.ofDays(1)))).isPositive();

        client.post(webhooks() + "/" + id + "/resume", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode view = subscription(id);
        while (!view.path("status").asString().equals("paused")) {
            assertThat(System.nanoTime()).as("paused again: " + view).isLessThan(deadline);
            Receiver.sleep(Duration.ofMillis(20));
            view = subscription(id);
        }
        assertThat(view.path("lastError").asString()).contains("retention");
        assertThat(receiver.all()).isEmpty();

        IvsClient.Response replay = client.post(
                webhooks() + "/" + id + "/replay",
                IvsClient.json(IvsClient.map("after", "latest")));
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        client.post(webhooks() + "/" + id + "/resume", null);
        onhand("e2", "P1", "red", "pos.inbound", 1);
        settle();
        Receiver.Delivery delivered =
                receiver.await("a delivery", deliveredAtLeast(1)).get(0);
        assertThat(value(delivered, "pos", "inbound")).isEqualTo("2");
    }

    /**
     * Two dispatchers on one database stand for two instances: every delivery arrives once and
     * each subscription is leased by one of them. When the application's dispatcher stops, the
     * other takes everything over; when both are stopped nothing is sent, and a restarted
     * dispatcher continues from the stored cursors.
     */
    @Test
    void twoInstances_deliverEachChangeOnce_andARestartContinuesFromTheStoredCursor() {
        WebhookDispatcher other = new WebhookDispatcher(store, feed, signal, sender, settings);
        other.start();
        try {
            List<String> ids = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                ids.add(subscribe("url", receiver.url("/s" + s)).path("id").asString());
            }
            post(0, 8);
            receiver.await("8 deliveries per subscription", deliveredAtLeast(32));
            assertDeliveredOnce(ids, 8);
            assertThat(leaseOwners(ids)).isSubsetOf(dispatcher.owner(), other.owner());

            dispatcher.stop();
            post(8, 12);
            receiver.await("12 deliveries per subscription", deliveredAtLeast(48));
            assertDeliveredOnce(ids, 12);
            assertThat(leaseOwners(ids)).containsOnly(other.owner());

            other.stop();
            post(12, 15);
            settle();
            Receiver.sleep(Duration.ofMillis(500));
            assertThat(receiver.all()).hasSize(48);

            dispatcher.start();
            receiver.await("15 deliveries per subscription", deliveredAtLeast(60));
            assertDeliveredOnce(ids, 15);
        } finally {
            other.stop();
            dispatcher.start();
        }
    }

    private void post(int from, int to) {
        for (int i = from; i < to; i++) {
            onhand("e" + i, "P" + (i % 3), "red", "pos.inbound", 1);
        }
        settle();
    }

    private void assertDeliveredOnce(List<String> ids, int changes) {
        Receiver.sleep(Duration.ofMillis(300));
        Map<String, Integer> perDelivery = new HashMap<>();
        for (Receiver.Delivery d : receiver.all()) {
            perDelivery.merge(d.path() + " " + d.deliveryId(), 1, Integer::sum);
        }
        assertThat(perDelivery).hasSize(ids.size() * changes);
        assertThat(perDelivery.values()).containsOnly(1);
    }

    private List<String> leaseOwners(List<String> ids) {
        return jdbc.queryForList(
                "select lease_owner from webhook_subscription where subscription_id = any (?)",
                String.class,
                (Object) ids.toArray(String[]::new));
    }

    @Test
    void admin_badInput_answers400NamingTheField_andUnknownIds404() {
        Map<String, Object[]> bad = Map.of(
                "url", new Object[] {"url", "ftp://x.example/hook"},
                "measures[0]",
                        new Object[] {"url", "http://x.example/", "measures", List.of("pos")},
                "dataSources[1]",
                        new Object[] {"url", "http://x.example/", "dataSources", List.of("a", "b.c")
                        },
                "secret", new Object[] {"url", "http://x.example/", "secret", "short"},
                "after", new Object[] {"url", "http://x.example/", "after", "soon"});
        bad.forEach((field, body) -> {
            IvsClient.Response answer =
                    client.post(webhooks(), IvsClient.json(IvsClient.map(body)));
            assertThat(answer.status()).as(field + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.json().path("detail").asString()).as(field).contains(field);
        });
        IvsClient.Response badKey = client.post(
                webhooks(),
                IvsClient.json(IvsClient.map(
                        "url", "http://x.example/", "secret", "whsec_not-standard-base64-at-all")));
        assertThat(badKey.status()).as(badKey.body()).isEqualTo(400);
        assertThat(badKey.json().path("detail").asString()).contains("secret", "base64");
        IvsClient.Response noUrl = client.post(webhooks(), "{}");
        assertThat(noUrl.status()).isEqualTo(400);
        assertThat(noUrl.body()).contains("url");
        assertThat(client.get(webhooks()).json()).isEmpty();

        assertThat(client.get(webhooks() + "/wh_nope").status()).isEqualTo(404);
        assertThat(client.post(webhooks() + "/wh_nope/pause", null).status()).isEqualTo(404);
        assertThat(client.get("/admin/environments/no-such-env/webhooks").status())
                .isEqualTo(404);
        assertThat(client.withoutAuth().get(webhooks()).status()).isEqualTo(401);

        String id = subscribe("url", "http://127.0.0.1:9/hook").path("id").asString();
        IvsClient.Response replay = client.post(webhooks() + "/" + id + "/replay", "{}");
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.body()).contains("after");
        IvsClient.Response generated = client.post(
                webhooks(), IvsClient.json(IvsClient.map("url", "https://x.example/h")));
        assertThat(generated.json().path("secret").asString())
                .startsWith("whsec_")
                .hasSizeGreaterThan(40);
        assertThat(client.delete(webhooks() + "/" + id, null).status()).isEqualTo(204);
        assertThat(client.get(webhooks() + "/" + id).status()).isEqualTo(404);
        assertThat(client.get(webhooks()).json()).hasSize(1);
    }
}
