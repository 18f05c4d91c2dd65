package io.ivs.server.sync;

import io.ivs.server.postgres.AgedRowDeleter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Forgets the digests of the records batches a Kafka full sync applied ({@code kafka_sync_batch},
 * migration V31) once the sync ended longer ago than the event ids' retention
 * ({@code ivs.idempotency.retention-days}): a digest serves as a batch's event id, recognising a
 * copy delivered again after its sync ended. A copy delivered later still is refused as a batch
 * of an ended sync and goes to the dead-letter topic, so it never changes stock. Deletes in
 * bounded batches ({@link AgedRowDeleter#inBatches}), safe on every instance at once.
 */
@Component
public class KafkaSyncBatchRetention {
    private static final Logger log = LoggerFactory.getLogger(KafkaSyncBatchRetention.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration retention;

    public KafkaSyncBatchRetention(
            JdbcTemplate jdbc,
            Clock clock,
            @Value("${ivs.idempotency.retention-days:7}") int retentionDays) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = Duration.ofDays(retentionDays);
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    public void run() {
        int total = forgetEndedBefore(clock.instant().minus(retention));
        if (total > 0) {
            log.info("forgot {} digests of Kafka sync batches", total);
        }
    }

    /** Deletes the digests of syncs that ended before {@code cutoff}; answers how many. */
    int forgetEndedBefore(Instant cutoff) {
        Timestamp before = Timestamp.from(cutoff);
        return AgedRowDeleter.inBatches(
                AgedRowDeleter.BATCH_ROWS,
                AgedRowDeleter.BATCHES_PER_RUN_MAX,
                rows -> jdbc.update(
                        "delete from kafka_sync_batch where (environment_id, sync_id,"
                                + " body_sha256) in (select b.environment_id, b.sync_id,"
                                + " b.body_sha256 from kafka_sync_batch b join erp_sync s"
                                + " on s.environment_id = b.environment_id"
                                + " and s.sync_id = b.sync_id"
                                + " where s.status <> 'open' and s.finished_at < ? limit ?)",
                        before,
                        rows));
    }
}
