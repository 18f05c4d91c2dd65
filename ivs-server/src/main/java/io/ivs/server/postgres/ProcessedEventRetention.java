package io.ivs.server.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * Forgets processed event ids older than the retention period (spec A1), in bounded batches so
 * that a large backlog never holds long locks. Safe to run on every instance at once.
 */
@Component
public class ProcessedEventRetention {
    private static final Logger log = LoggerFactory.getLogger(ProcessedEventRetention.class);

    private final AgedRowDeleter deleter;
    private final int retentionDays;

    public ProcessedEventRetention(
            JdbcTemplate jdbc, @Value("${ivs.idempotency.retention-days:7}") int retentionDays) {
        this.deleter = new AgedRowDeleter(
                jdbc,
                "processed_event",
                "processed_at",
                List.of("environment_id", "family", "event_id"));
        this.retentionDays = retentionDays;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    public void run() {
        int total = deleter.deleteOlderThan(Duration.ofDays(retentionDays));
        if (total > 0) {
            log.info("forgot {} processed event ids older than {} days", total, retentionDays);
        }
    }
}
