package io.ivs.server.summary;

import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.config.SummarySettings;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.RecordKey;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.BackgroundLoop;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.feed.FeedConsumers;
import io.ivs.server.feed.FeedCursor;
import io.ivs.server.postgres.Columns;
import io.ivs.server.web.UnknownEnvironmentException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The immediate mode of the summary and preload tables: follows the change feed of every
 * environment with {@code "refreshMode": "immediate"} and refreshes the products of each page of
 * changes, in the transaction that moves the environment's cursor ({@code feed_cursor}), so a
 * page is applied exactly once, by one instance (the others skip the locked cursor row).
 *
 * <p>On its first look at an environment it refreshes everything and then follows the feed from
 * where it ended before that refresh. When retention removed changes the cursor had not reached,
 * the whole environment is refreshed and following resumes at the end.
 */
@Component
public class SummaryFeedFollower implements SmartLifecycle, FeedConsumers {
    static final String CONSUMER = "summary";
    static final int PAGE = ChangeFeed.LIMIT_MAX;
    static final Duration MIN_GAP = Duration.ofMillis(50);
    private static final Logger log = LoggerFactory.getLogger(SummaryFeedFollower.class);

    private final ChangeFeed feed;
    private final ChangeSignal signal;
    private final SummaryRefresher refresher;
    private final EnvironmentService environments;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BackgroundLoop loop;

    public SummaryFeedFollower(
            ChangeFeed feed,
            ChangeSignal signal,
            SummaryRefresher refresher,
            EnvironmentService environments,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            @Value("${ivs.summary.feed-poll-interval:PT0.2S}") Duration poll) {
        this.feed = feed;
        this.signal = signal;
        this.refresher = refresher;
        this.environments = environments;
        this.jdbc = jdbc;
        this.tx = tx;
        this.loop = new BackgroundLoop("ivs-summary-follower", log, Duration.ofSeconds(1), () -> {
            followNow();
            // At most one round per MIN_GAP however often new positions are handed out.
            Thread.sleep(MIN_GAP);
            signal.await(poll);
        });
    }

    /** One round over every environment in immediate mode; answers the changes applied. */
    public int followNow() {
        int applied = 0;
        for (String environmentId : environments.environments()) {
            try {
                if (immediate(environments.configuration(environmentId))) {
                    applied += follow(environmentId);
                }
            } catch (UnknownEnvironmentException deletedMeanwhile) {
                // Nothing to follow.
            }
        }
        return applied;
    }

    static boolean immediate(RuntimeConfiguration config) {
        SummarySettings settings = config.summary();
        return settings.anyEnabled() && settings.mode() == SummarySettings.RefreshMode.IMMEDIATE;
    }

    /** Applies the environment's pages of changes until none is left or another instance has it. */
    private int follow(String environmentId) {
        if (!following(environmentId)) {
            // First look: what was committed before the feed's current end is brought up to date
            // by a whole refresh; the feed is followed from that end.
            long end = feed.cursor("after", "latest");
            refresher.refreshAll(environmentId, false, () -> {});
            jdbc.update(
                    "insert into feed_cursor (consumer, environment_id, position)"
                            + " values (?, ?, ?) on conflict do nothing",
                    CONSUMER,
                    environmentId,
                    end);
        }
        int applied = 0;
        while (true) {
            Integer done = tx.execute(status -> page(environmentId));
            if (done == null || done <= 0) {
                return applied;
            }
            applied += done;
        }
    }

    private boolean following(String environmentId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from feed_cursor"
                        + " where consumer = ? and environment_id = ?)",
                Boolean.class,
                CONSUMER,
                environmentId));
    }

    /** One page in one transaction; -1 when the cursor is taken by another instance. */
    private int page(String environmentId) {
        List<Long> cursor = Columns.notNull(jdbc.queryForList(
                "select position from feed_cursor where consumer = ? and environment_id = ?"
                        + " for update skip locked",
                Long.class,
                CONSUMER,
                environmentId));
        if (cursor.isEmpty()) {
            return -1; // another instance is at it
        }
        ChangeFeed.Page page;
        try {
            page = feed.read(environmentId, cursor.getFirst(), PAGE, Duration.ZERO);
        } catch (ChangeFeed.CursorExpiredException e) {
            log.warn("summary of {}: {}; refreshing everything", environmentId, e.getMessage());
            long end = feed.cursor("after", "latest");
            refresher.refreshAll(environmentId, false, () -> {});
            move(environmentId, end);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (page.changes().isEmpty()) {
            // Entries of other kinds only (stock alerts): move past them, or the cursor would
            // stay before them, read them again on every poll and report them as lag.
            if (page.next() != cursor.getFirst()) {
                move(environmentId, page.next());
            }
            return 0;
        }
        Set<UUID> products = new LinkedHashSet<>();
        for (ChangeFeed.Change change : page.changes()) {
            products.add(RecordKey.productKey(
                    EnvironmentId.of(environmentId), change.organizationId(), change.productId()));
        }
        refresher.refreshChanged(environmentId, products);
        move(environmentId, page.next());
        return page.changes().size();
    }

    private void move(String environmentId, long position) {
        jdbc.update(
                "update feed_cursor set position = ?, updated_at = now()"
                        + " where consumer = ? and environment_id = ?",
                position,
                CONSUMER,
                environmentId);
    }

    /** The cursor of every environment followed, for the feed's lag metrics. */
    @Override
    public List<FeedCursor> cursors(int max) {
        return feed.cursors(CONSUMER, max);
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
