package io.ivs.server.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets processed event ids older than the retention period (spec A1), in bounded batches so
 * that a large backlog never holds long locks. Safe to run on every instance at once.
 */
@Component
public class ProcessedEventRetention {
    private static final Logger log = LoggerFactory.getLogger(ProcessedEventRetention.class);
    static final int BATCH_ROWS = 10_000;
    static final int BATCHES_PER_RUN_MAX = 100;

    private final JdbcTemplate jdbc;
    private final int retentionDays;

    public ProcessedEventRetention(
            JdbcTemplate jdbc, @Value("${ivs.idempotency.retention-days:7}") int retentionDays) {
        this.jdbc = jdbc;
        this.retentionDays = retentionDays;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    public void run() {
        int total = 0;
        for (int batch = 0; batch < BATCHES_PER_RUN_MAX; batch++) {
            int deleted = deleteBatch();
            total += deleted;
            if (deleted < BATCH_ROWS) {
                break;
            }
        }
        if (total > 0) {
            log.info("forgot {} processed event ids older than {} days", total, retentionDays);
        }
    }

    int deleteBatch() {
        return jdbc.update(
                "delete from processed_event where ctid = any(array("
                        + " select ctid from processed_event"
                        + " where processed_at < now() - make_interval(days => ?) limit ?))",
                retentionDays,
                BATCH_ROWS);
    }
}
