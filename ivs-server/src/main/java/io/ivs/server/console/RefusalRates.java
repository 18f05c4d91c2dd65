package io.ivs.server.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Refused items over the last hour, from the counter {@code ivs.api.items} (outcome
 * {@code refused}) that the API's and the console's writes increment: a refused item claims no
 * event id, so the database does not know it. The counter's totals by reason are sampled once a
 * minute and the last hour of samples kept in memory, so a rate costs no query. The figures are
 * this instance's, over all environments, since it started; the page says so.
 */
@Component
class RefusalRates {
    static final String COUNTER = "ivs.api.items";
    static final Duration SAMPLE_INTERVAL = Duration.ofMinutes(1);

    /** One more than an hour of minutes, so the oldest bucket has a sample at its start. */
    static final int SAMPLES_MAX = 62;

    record Sample(Instant at, Map<String, Double> byReason) {
        double total() {
            return byReason.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final MeterRegistry meters;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();

    RefusalRates(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
        sample();
    }

    @Scheduled(fixedRateString = "PT1M", initialDelayString = "PT1M")
    synchronized void sample() {
        samples.addLast(now());
        while (samples.size() > SAMPLES_MAX) {
            samples.removeFirst();
        }
    }

    /** The counter's totals by reason now. */
    Sample now() {
        Map<String, Double> byReason = new TreeMap<>();
        for (Counter counter : meters.find(COUNTER).tag("outcome", "refused").counters()) {
            String reason = counter.getId().getTag("reason");
            byReason.merge(reason == null ? "unknown" : reason, counter.count(), Double::sum);
        }
        return new Sample(clock.instant(), byReason);
    }

    /** Refused items per bucket from {@code from}, {@code buckets} buckets of {@code width}. */
    synchronized long[] perBucket(Instant from, Duration width, int buckets) {
        List<Sample> all = new ArrayList<>(samples);
        all.add(now());
        long[] counts = new long[buckets];
        for (int b = 0; b < buckets; b++) {
            Instant start = from.plus(width.multipliedBy(b));
            Instant end = start.plus(width);
            counts[b] = Math.round(Math.max(0, total(all, end) - total(all, start)));
        }
        return counts;
    }

    /** Refused items by reason over the samples kept (at most the last hour). */
    synchronized Map<String, Long> byReason() {
        Sample first = samples.isEmpty() ? now() : samples.getFirst();
        Map<String, Long> counts = new TreeMap<>();
        now().byReason().forEach((reason, total) -> {
            long count = Math.round(total - first.byReason().getOrDefault(reason, 0.0));
            if (count > 0) {
                counts.put(reason, count);
            }
        });
        return counts;
    }

    /** The total of the last sample at or before {@code at}; the first sample before any. */
    private static double total(List<Sample> samples, Instant at) {
        double total = samples.get(0).total();
        for (Sample sample : samples) {
            if (sample.at().isAfter(at)) {
                break;
            }
            total = sample.total();
        }
        return total;
    }
}
