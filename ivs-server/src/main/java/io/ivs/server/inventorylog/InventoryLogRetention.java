package io.ivs.server.inventorylog;

import io.ivs.server.postgres.AgedRowDeleter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * Deletes log lines older than the retention period ({@code ivs.inventory-log.retention-days})
 * in bounded batches, so that a large backlog never holds long locks, and reports older than
 * {@code ivs.inventory-log.report-retention-hours}. Safe to run on every instance at once.
 */
@Component
class InventoryLogRetention {
    private static final Logger log = LoggerFactory.getLogger(InventoryLogRetention.class);

    private final AgedRowDeleter lines;
    private final JdbcInventoryLogStore store;
    private final int retentionDays;
    private final int reportRetentionHours;

    InventoryLogRetention(
            JdbcTemplate jdbc,
            JdbcInventoryLogStore store,
            @Value("${ivs.inventory-log.retention-days:90}") int retentionDays,
            @Value("${ivs.inventory-log.report-retention-hours:24}") int reportRetentionHours) {
        this.lines = new AgedRowDeleter(
                jdbc, "inventory_log", "logged_at", List.of("product_key", "log_id"));
        this.store = store;
        this.retentionDays = retentionDays;
        this.reportRetentionHours = reportRetentionHours;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void run() {
        int total = lines.deleteOlderThan(Duration.ofDays(retentionDays));
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
