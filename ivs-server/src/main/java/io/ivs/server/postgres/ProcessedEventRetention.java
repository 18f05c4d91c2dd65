package io.ivs.server.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets processed event ids older than the retention period (spec A1), in bounded batches so
 * that a large backlog never holds long locks. Safe to run on every instance at once. It also
 * tells {@link ProcessedEventsSql} whether ids recorded before they were kept by product are
 * left, at start and after each run, so that look-ups stop searching them once they are gone.
 */
@Component
public class ProcessedEventRetention implements SmartInitializingSingleton {
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
            log.warn("could not check for event ids kept before V26: {}", e.getMessage());
        }
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
        checkLegacyRows();
    }

    /** By key, not by ctid: under Citus a ctid is only unique within one shard. */
    int deleteBatch() {
        return jdbc.update(
                "delete from processed_event where (product_key, environment_id, family, event_id)"
                        + " in (select product_key, environment_id, family, event_id"
                        + " from processed_event"
                        + " where processed_at < now() - make_interval(days => ?) limit ?)",
                retentionDays,
                BATCH_ROWS);
    }
}
