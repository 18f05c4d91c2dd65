package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.feed.FeedLagMetrics;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.PrometheusScrape;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The change feed's lag gauges for a webhook subscription, read from {@code /actuator/prometheus}
 * of a running IVS: a paused subscription is behind by exactly the changes written after its
 * cursor (and not by changes of another environment), for as long as the oldest of them waits;
 * once resumed it catches up and reads 0.
 */
class FeedLagIntegrationTest extends HttpTestSupport {
    static final String SECRET = WebhookIntegrationTest.SECRET;

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    FeedLagMetrics lag;

    Receiver receiver;

    /** See {@link WebhookIntegrationTest#compileVerifier()}. */
    @BeforeAll
    static void compileVerifier() {
        assertThat(ReadmeVerifier.verify(SECRET, "wh_1-1", "1", "v1,AA==", new byte[0], 1, 0))
                .isFalse();
    }

    @BeforeEach
    void startReceiver() {
        receiver = new Receiver(SECRET);
    }

    @AfterEach
    void stopReceiver() {
        for (JsonNode subscription : client.get(webhooks()).json()) {
            client.delete(webhooks() + "/" + subscription.path("id").asString(), null);
        }
        receiver.close();
    }

    @Test
    void pausedSubscription_lagsByTheChangesAfterItsCursor_andReadsZeroOnceCaughtUp()
            throws InterruptedException {
        String id = subscribe();
        assertThat(client.post(webhooks() + "/" + id + "/pause", null).status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            onhand(api("/onhand"), event("e" + i, "shirt", "red", i + 1));
        }
        // One bulk request: one transaction holding three changes, three positions.
        onhand(
                api("/onhand/bulk"),
                List.of(
                        event("b1", "pants", "red", 1),
                        event("b2", "pants", "blue", 2),
                        event("b3", "socks", "red", 3)));
        writeElsewhere();
        sequencer.sequenceNow();
        long behind = changesAfter(subscription(id).path("cursor").asLong());
        assertThat(behind).isEqualTo(6);

        lag.refresh();
        assertThat(gauge("ivs_feed_lag_positions", id)).isEqualTo(6.0);
        Thread.sleep(1_100);
        lag.refresh();
        assertThat(gauge("ivs_feed_lag_seconds", id)).isBetween(1.0, 60.0);

        assertThat(client.post(webhooks() + "/" + id + "/resume", null).status())
                .isEqualTo(200);
        receiver.await(
                "six deliveries",
                all -> all.stream().filter(Receiver.Delivery::delivered).count() >= 6);
        awaitCaughtUp(id);
        lag.refresh();
        assertThat(gauge("ivs_feed_lag_positions", id)).isZero();
        assertThat(gauge("ivs_feed_lag_seconds", id)).isZero();
    }

    @Test
    void deletedSubscription_hasNoGaugeAfterTheNextRefresh() {
        String id = subscribe();
        lag.refresh();
        assertThat(gauge("ivs_feed_lag_positions", id)).isZero();

        assertThat(client.delete(webhooks() + "/" + id, null).status()).isEqualTo(204);
        lag.refresh();
        assertThat(PrometheusScrape.of(port)
                        .value("ivs_feed_lag_positions", Map.of("subscription", id)))
                .isEmpty();
    }

    private String webhooks() {
        return "/admin/environments/" + env + "/webhooks";
    }

    private String subscribe() {
        IvsClient.Response created = client.post(
                webhooks(),
                IvsClient.json(IvsClient.map("url", receiver.url("/lag"), "secret", SECRET)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private JsonNode subscription(String id) {
        IvsClient.Response response = client.get(webhooks() + "/" + id);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static Map<String, Object> event(String id, String product, String color, int qty) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                product,
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11", "colorId", color),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", qty)));
    }

    private void onhand(String path, Object body) {
        IvsClient.Response response = client.post(path, IvsClient.json(body));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** Two changes in another environment, which no subscription of this one has to handle. */
    private void writeElsewhere() {
        String other = "test-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);
        String path = "/api/environment/" + other + "/onhand";
        onhand(path, event("x1", "shirt", "red", 1));
        onhand(path, event("x2", "shirt", "blue", 1));
    }

    /** The changes of this test's environment after {@code cursor}, as the feed answers them. */
    private long changesAfter(long cursor) {
        JsonNode page = client.get(api("/changes?limit=1000&after=" + cursor)).json();
        return page.path("changes").size();
    }

    private void awaitCaughtUp(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (changesAfter(subscription(id).path("cursor").asLong()) > 0) {
            assertThat(System.nanoTime()).as("subscription catches up").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private double gauge(String name, String subscription) {
        return PrometheusScrape.of(port)
                .value(
                        name,
                        Map.of(
                                "consumer", "webhook",
                                "environment", env,
                                "subscription", subscription))
                .orElseThrow(() -> new AssertionError(name + " of " + subscription + " missing"));
    }
}
