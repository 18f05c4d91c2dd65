package io.ivs.server.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How far each consumer of the change feed is behind, as two gauges per consumer (tags
 * {@code consumer}, {@code environment}, {@code subscription}):
 *
 * <ul>
 *   <li>{@code ivs.feed.lag.positions}: changes of the consumer's environment after its cursor,
 *       that is, changes it has still to handle (a webhook subscription handles a change its
 *       filters skip too, by moving past it);
 *   <li>{@code ivs.feed.lag.seconds}: the age of the oldest of those changes (since it got its
 *       position), 0 when there is none.
 * </ul>
 *
 * <p>Cursors live in PostgreSQL, so every instance reports every consumer, whichever instance
 * runs it (dashboards take the maximum over instances). The values are computed every
 * {@code ivs.feed.lag-interval} (default 5 seconds) by a background loop, not while Prometheus
 * scrapes, so that a scrape never waits for the database however many consumers there are; the
 * age keeps growing between two computations. Each computation is one indexed query per consumer
 * (about 1 ms for a consumer a few changes behind, tens of milliseconds at the bound of
 * {@link ChangeFeedStore#BACKLOG_CHANGES_MAX} changes).
 */
@Component
public class FeedLagMetrics implements SmartLifecycle {
    /** Consumers reported at most, over all features. */
    static final int CONSUMERS_MAX = 10_000;

    private static final Logger log = LoggerFactory.getLogger(FeedLagMetrics.class);

    /** One consumer's lag when last computed; gauges read it, so it is kept referenced here. */
    record Lag(FeedCursor cursor, ChangeFeedStore.Backlog backlog, long computedAtNanos) {
        double positions() {
            return backlog.changes();
        }

        double seconds() {
            if (backlog.changes() == 0) {
                return 0;
            }
            return backlog.oldestAgeSeconds() + (System.nanoTime() - computedAtNanos) / 1e9;
        }
    }

    private final List<FeedConsumers> sources;
    private final ChangeFeedStore store;
    private final MultiGauge positions;
    private final MultiGauge seconds;
    private final BackgroundLoop loop;
    private volatile List<Lag> lags = List.of();

    FeedLagMetrics(
            List<FeedConsumers> sources,
            ChangeFeedStore store,
            MeterRegistry meters,
            @Value("${ivs.feed.lag-interval:PT5S}") Duration interval) {
        this.sources = List.copyOf(sources);
        this.store = store;
        this.positions = MultiGauge.builder("ivs.feed.lag.positions")
                .description("Changes of the environment after the consumer's cursor")
                .register(meters);
        this.seconds = MultiGauge.builder("ivs.feed.lag.seconds")
                .description("Age of the oldest change the consumer has still to handle")
                .baseUnit("seconds")
                .register(meters);
        this.loop = new BackgroundLoop("ivs-feed-lag", log, interval, () -> {
            refresh();
            Thread.sleep(interval);
        });
    }

    /** Computes every consumer's lag now and publishes it to the gauges. */
    public synchronized void refresh() {
        List<Lag> now = new ArrayList<>();
        for (FeedConsumers source : sources) {
            for (FeedCursor cursor : source.cursors(CONSUMERS_MAX - now.size())) {
                ChangeFeedStore.Backlog backlog =
                        store.backlog(cursor.environmentId(), cursor.position());
                now.add(new Lag(cursor, backlog, System.nanoTime()));
            }
        }
        lags = List.copyOf(now);
        positions.register(rows(lags, true), true);
        seconds.register(rows(lags, false), true);
    }

    private static List<MultiGauge.Row<?>> rows(List<Lag> lags, boolean positions) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(lags.size());
        for (Lag lag : lags) {
            FeedCursor cursor = lag.cursor();
            Tags tags = Tags.of(
                    "consumer", cursor.consumer(),
                    "environment", cursor.environmentId(),
                    "subscription", cursor.subscription());
            rows.add(MultiGauge.Row.of(tags, lag, positions ? Lag::positions : Lag::seconds));
        }
        return rows;
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
