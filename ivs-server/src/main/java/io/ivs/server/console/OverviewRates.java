package io.ivs.server.console;

import io.ivs.server.onhand.EventRates;
import io.ivs.server.onhand.ItemRefusals;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The overview's rate charts over the last hour: accepted changes and reservations of the
 * environment per minute ({@link EventRates}) and refused items of every instance
 * ({@link ItemRefusals}), summed into the charts' buckets of five minutes.
 */
@Component
class OverviewRates {
    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration BUCKET = Duration.ofMinutes(5);
    static final int BUCKETS = (int) (WINDOW.toSeconds() / BUCKET.toSeconds());

    private static final Set<String> CHANGE_FAMILIES = Set.of("onhand", "setonhand");
    private static final Set<String> RESERVATION_FAMILIES = Set.of("reserve", "unreserve");

    /** The charts, and the refused items of the window by reason. */
    record Rates(List<RateChart> charts, Map<String, Long> refusedByReason) {}

    private final EventRates events;
    private final ItemRefusals refusals;
    private final Clock clock;

    OverviewRates(EventRates events, ItemRefusals refusals, Clock clock) {
        this.events = events;
        this.refusals = refusals;
        this.clock = clock;
    }

    Rates rates(String environmentId) {
        long bucketSeconds = BUCKET.toSeconds();
        // Buckets end at the next bucket boundary, so that the last one is the current one.
        Instant end = Instant.ofEpochSecond(
                (clock.instant().getEpochSecond() / bucketSeconds + 1) * bucketSeconds);
        Instant from = end.minus(WINDOW);
        long[] changes = new long[BUCKETS];
        long[] reservations = new long[BUCKETS];
        for (EventRates.MinuteCount count : events.perMinute(environmentId, from, end)) {
            int bucket = bucket(from, count.minute());
            if (CHANGE_FAMILIES.contains(count.family())) {
                changes[bucket] += count.events();
            } else if (RESERVATION_FAMILIES.contains(count.family())) {
                reservations[bucket] += count.events();
            }
        }
        long[] refused = new long[BUCKETS];
        Map<String, Long> byReason = new TreeMap<>();
        for (ItemRefusals.MinuteCount count : refusals.perMinute(from, end)) {
            refused[bucket(from, count.minute())] += count.items();
            byReason.merge(count.reason(), count.items(), Long::sum);
        }
        return new Rates(
                List.of(
                        RateChart.of(
                                "rate-changes", "On-hand changes", from, bucketSeconds, changes),
                        RateChart.of(
                                "rate-reservations",
                                "Reserves and unreserves",
                                from,
                                bucketSeconds,
                                reservations),
                        RateChart.of(
                                "rate-refusals",
                                "Refused items (all environments)",
                                from,
                                bucketSeconds,
                                refused)),
                byReason);
    }

    /** The bucket of a minute inside [from, from + WINDOW); the stores answer no other. */
    private static int bucket(Instant from, Instant minute) {
        long index = Duration.between(from, minute).toSeconds() / BUCKET.toSeconds();
        return (int) Math.clamp(index, 0, BUCKETS - 1);
    }
}
