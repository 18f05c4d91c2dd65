package io.ivs.server.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * Forgets processed event ids older than the retention period (spec A1), in bounded batches so
 * that a large backlog never holds long locks. Safe to run on every instance at once. It also
 * tells {@link ProcessedEventsSql} whether ids recorded before they were kept by product are
 * left, at start and after each run, so that look-ups stop searching them once they are gone.
 */
@Component
public class ProcessedEventRetention implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(ProcessedEventRetention.class);

    private final JdbcTemplate jdbc;
    private final AgedRowDeleter deleter;
    private final int retentionDays;

    public ProcessedEventRetention(
            JdbcTemplate jdbc, @Value("${ivs.idempotency.retention-days:7}") int retentionDays) {
        this.jdbc = jdbc;
        this.deleter = new AgedRowDeleter(
                jdbc,
                "processed_event",
                "processed_at",
                List.of("product_key", "environment_id", "family", "event_id"));
        this.retentionDays = retentionDays;
    }

    @Override
    public void afterSingletonsInstantiated() {
        checkLegacyRows();
    }

    /** A failed check leaves the look-ups searching old ids too, which is always correct. */
    void checkLegacyRows() {
        try {
            ProcessedEventsSql.legacyRows(Boolean.TRUE.equals(jdbc.queryForObject(
                    "select exists (select 1 from processed_event where product_key = ?)",
                    Boolean.class,
                    ProcessedEventsSql.LEGACY_PRODUCT)));
        } catch (DataAccessException e) {
            log.warn("could not check for event ids kept before V34: {}", e.getMessage());
        }
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    public void run() {
        int total = deleter.deleteOlderThan(Duration.ofDays(retentionDays));
        if (total > 0) {
            log.info("forgot {} processed event ids older than {} days", total, retentionDays);
        }
        checkLegacyRows();
    }
}
