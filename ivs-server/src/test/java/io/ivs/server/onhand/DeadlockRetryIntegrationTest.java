package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.RecordKey;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * A change event whose transaction PostgreSQL aborts as a deadlock victim is run again and
 * answered as if nothing had happened (regression: ivs-bench's warm-up got a 409 "deadlock
 * detected" for a valid event once in 12,879 mixed requests).
 */
class DeadlockRetryIntegrationTest extends QueryTestSupport {
    private static final Duration WAIT_MAX = Duration.ofSeconds(30);

    @Autowired
    private DataSource dataSource;

    private static String event(String id, int inbound) {
        return IvsClient.json(QueryTestSupport.event(
                id,
                "usmf",
                "D",
                dims("siteId", "1", "locationId", "11"),
                "pos",
                "inbound",
                inbound));
    }

    @Test
    void changeEvent_abortedAsDeadlockVictim_isRunAgainAndAppliedOnce() throws Exception {
        assertThat(client.post(api("/onhand"), event("seed", 1)).status()).isEqualTo(200);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                // IVS's backend detects the deadlock after its default second, so it is the
                // victim, not this transaction.
                st.execute("set local deadlock_timeout = '60s'");
            }
            try (PreparedStatement lock = other.prepareStatement(
                    "update onhand_quantity set quantity = quantity where product_key = ?")) {
                lock.setObject(1, RecordKey.productKey(EnvironmentId.of(env), "usmf", "D"));
                assertThat(lock.executeUpdate()).isEqualTo(1);
            }

            // IVS claims the event id, then waits for the quantity row held here.
            CompletableFuture<IvsClient.Response> write = CompletableFuture.supplyAsync(
                    () -> client.post(api("/onhand"), event("E1", 2)));
            awaitWaitingFor("processed_event");

            // This transaction now waits for IVS's claim of the same event id: a deadlock.
            CompletableFuture<Void> claim = CompletableFuture.runAsync(() -> {
                try (PreparedStatement insert = other.prepareStatement(
                        "insert into processed_event (environment_id, family, event_id,"
                                + " fingerprint) values (?, 'onhand', 'E1', 'other')")) {
                    insert.setString(1, env);
                    insert.executeUpdate();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // PostgreSQL aborts IVS's statement; its claim is gone, so this insert goes through.
            claim.get(WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
            assertThat(write).as("IVS waits again, now for this transaction").isNotDone();
            other.rollback();

            IvsClient.Response response = write.get(WAIT_MAX.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().path("processingStatus").asString()).isEqualTo("success");
        }
        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["D"],
                             "siteId": ["1"], "locationId": ["11"]}}""");
        assertThat(totals(rows, "pos", "inbound", "productId")).isEqualTo(Map.of("D", "3"));
    }

    /** Waits until a backend running a statement that mentions {@code text} waits for a lock. */
    private void awaitWaitingFor(String text) throws Exception {
        long deadline = System.nanoTime() + WAIT_MAX.toNanos();
        try (Connection con = dataSource.getConnection();
                PreparedStatement ps = con.prepareStatement("select count(*) from"
                        + " pg_stat_activity where wait_event_type = 'Lock' and query like ?")) {
            ps.setString(1, "%" + text + "%");
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("no statement on " + text + " waited for a lock");
    }
}
