package io.ivs.server.adjustment;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.Limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The periodic sync (the original's "periodically synchronize transaction to IV"): applies the
 * adjustments posted without immediate sync, oldest first, in bounded batches. Rows are locked
 * with SKIP LOCKED, so every instance may run it at once.
 */
@Component
class AdjustmentSync {
    private static final Logger log = LoggerFactory.getLogger(AdjustmentSync.class);
    static final int ENVIRONMENTS_PER_RUN_MAX = 100;
    static final int BATCHES_PER_ENVIRONMENT_MAX = 20;

    private final Adjustments adjustments;

    AdjustmentSync(Adjustments adjustments) {
        this.adjustments = adjustments;
    }

    @Scheduled(
            initialDelayString = "PT30S",
            fixedDelayString = "${ivs.adjustments.sync-interval:PT5M}")
    void run() {
        for (String env : adjustments.environmentsWithCreated(ENVIRONMENTS_PER_RUN_MAX)) {
            try {
                int synced = syncEnvironment(EnvironmentId.of(env));
                if (synced > 0) {
                    log.info("applied {} adjustments of environment {}", synced, env);
                }
            } catch (RuntimeException e) {
                log.warn("adjustment sync of environment {} failed: {}", env, e.toString());
            }
        }
    }

    int syncEnvironment(EnvironmentId environment) {
        int total = 0;
        for (int batch = 0; batch < BATCHES_PER_ENVIRONMENT_MAX; batch++) {
            int synced = adjustments.syncCreated(environment, Limits.BULK_ITEMS_MAX);
            total += synced;
            if (synced < Limits.BULK_ITEMS_MAX) {
                break;
            }
        }
        return total;
    }
}
