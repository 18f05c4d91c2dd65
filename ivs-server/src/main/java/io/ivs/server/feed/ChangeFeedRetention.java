package io.ivs.server.feed;

import io.ivs.server.postgres.AgedRowDeleter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Removes change-log rows older than {@code ivs.feed.retention} (default 7 days), in bounded
 * batches. A consumer whose cursor falls below what was removed is told so (410) instead of
 * silently missing changes.
 */
@Component
public class ChangeFeedRetention {
    static final int BATCH_ROWS = AgedRowDeleter.BATCH_ROWS;
    static final int BATCHES_PER_RUN_MAX = AgedRowDeleter.BATCHES_PER_RUN_MAX;
    private static final Logger log = LoggerFactory.getLogger(ChangeFeedRetention.class);

    private final ChangeFeedStore store;
    private final Duration retention;

    public ChangeFeedRetention(
            ChangeFeedStore store, @Value("${ivs.feed.retention:P7D}") Duration retention) {
        this.store = store;
        this.retention = retention;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT5M")
    public void run() {
        prune(Clock.systemUTC().instant().minus(retention));
    }

    /** Removes what was committed before {@code cutoff}; answers how many rows. */
    public int prune(Instant cutoff) {
        int total = AgedRowDeleter.inBatches(
                BATCH_ROWS, BATCHES_PER_RUN_MAX, rows -> store.prune(cutoff, rows));
        if (total > 0) {
            log.info("removed {} change-feed rows committed before {}", total, cutoff);
        }
        return total;
    }
}
