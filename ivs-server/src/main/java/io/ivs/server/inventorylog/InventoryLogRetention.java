package io.ivs.server.inventorylog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes log lines older than the retention period ({@code ivs.inventory-log.retention-days})
 * in bounded batches, so that a large backlog never holds long locks, and reports older than
 * {@code ivs.inventory-log.report-retention-hours}. Safe to run on every instance at once.
 */
@Component
class InventoryLogRetention {
    private static final Logger log = LoggerFactory.getLogger(InventoryLogRetention.class);
    static final int BATCH_ROWS = 10_000;
    static final int BATCHES_PER_RUN_MAX = 100;

    private final JdbcInventoryLogStore store;
    private final int retentionDays;
    private final int reportRetentionHours;

    InventoryLogRetention(
            JdbcInventoryLogStore store,
            @Value("${ivs.inventory-log.retention-days:90}") int retentionDays,
            @Value("${ivs.inventory-log.report-retention-hours:24}") int reportRetentionHours) {
        this.store = store;
        this.retentionDays = retentionDays;
        this.reportRetentionHours = reportRetentionHours;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void run() {
        int total = 0;
        for (int batch = 0; batch < BATCHES_PER_RUN_MAX; batch++) {
            int deleted = store.deleteLinesOlderThan(retentionDays, BATCH_ROWS);
            total += deleted;
            if (deleted < BATCH_ROWS) {
                break;
            }
        }
        int reports = store.deleteReportsOlderThan(reportRetentionHours);
        if (total > 0 || reports > 0) {
            log.info(
                    "deleted {} inventory log lines older than {} days and {} reports",
                    total,
                    retentionDays,
                    reports);
        }
    }
}
