package io.ivs.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The digests of Kafka sync batches go once their sync ended longer ago than the event ids'
 * retention; those of syncs that ended since, or are still open, stay.
 */
class KafkaSyncBatchRetentionIntegrationTest extends HttpTestSupport {
    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    KafkaSyncBatchRetention retention;

    @Test
    void run_forgetsTheBatchesOfSyncsEndedBeforeTheRetention_keepsTheOthers() {
        Instant now = Instant.now();
        sync("ended-long-ago", "completed", now.minus(Duration.ofDays(8)));
        batches("ended-long-ago", "a", "b");
        sync("aborted-long-ago", "aborted", now.minus(Duration.ofDays(30)));
        batches("aborted-long-ago", "c");
        sync("ended-yesterday", "completed", now.minus(Duration.ofDays(1)));
        batches("ended-yesterday", "d");
        sync("open", "open", null);
        batches("open", "e");

        retention.run();

        assertThat(jdbc.queryForList(
                        "select sync_id from kafka_sync_batch where environment_id = ?"
                                + " order by sync_id",
                        String.class,
                        env))
                .containsExactly("ended-yesterday", "open");
        assertThat(retention.forgetEndedBefore(now.minus(Duration.ofDays(7)))).isZero();
        assertThat(retention.forgetEndedBefore(now)).isEqualTo(1);
    }

    private void sync(String syncId, String status, Instant finishedAt) {
        Instant started = finishedAt == null ? Instant.now() : finishedAt.minusSeconds(60);
        jdbc.update(
                "insert into erp_sync (environment_id, sync_id, data_source, status, started_at,"
                        + " timeout_seconds, expires_at, finished_at, producer_name)"
                        + " values (?, ?, ?, ?, ?, 600, ?, ?, ?)",
                env,
                syncId,
                "fno-" + syncId,
                status,
                Timestamp.from(started),
                Timestamp.from(started.plusSeconds(600)),
                finishedAt == null ? null : Timestamp.from(finishedAt),
                syncId);
    }

    private void batches(String syncId, String... bodies) {
        for (String body : List.of(bodies)) {
            jdbc.update(
                    "insert into kafka_sync_batch (environment_id, sync_id, body_sha256)"
                            + " values (?, ?, ?)",
                    env,
                    syncId,
                    body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
