package io.ivs.server.onhand;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Refused items in {@code refused_item_minute} (V32): once a minute each instance upserts, in
 * one statement, the growth of its refusal counters by reason since its last successful flush,
 * into the minute of the flush, and deletes minutes older than {@link #KEPT}. A refusal thus
 * shows on every instance's pages at most a minute after it happened; a failed flush is retried
 * by the next one, as the totals flushed move only when the upsert succeeded.
 */
@Component
class JdbcItemRefusals implements ItemRefusals {
    private static final Logger log = LoggerFactory.getLogger(JdbcItemRefusals.class);
    static final String COUNTER = "ivs.api.items";
    static final Duration KEPT = Duration.ofHours(3);

    /** Minutes times reasons read at most: three hours of every rejection reason. */
    static final int ROWS_MAX = 10_000;

    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Clock clock;

    /** The counter's totals by reason at the last successful flush; guarded by {@code this}. */
    private final Map<String, Double> flushed = new HashMap<>();

    JdbcItemRefusals(JdbcClient jdbc, MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    @Scheduled(
            fixedRateString = "${ivs.refusals.flush-interval:PT1M}",
            initialDelayString = "${ivs.refusals.flush-interval:PT1M}")
    public synchronized void flush() {
        Map<String, Double> totals = totals();
        List<String> reasons = new ArrayList<>();
        List<Long> items = new ArrayList<>();
        totals.forEach((reason, total) -> {
            long added = Math.round(total - flushed.getOrDefault(reason, 0.0));
            if (added > 0) {
                reasons.add(reason);
                items.add(added);
            }
        });
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        if (!reasons.isEmpty()) {
            jdbc.sql("insert into refused_item_minute (minute, reason, items)"
                            + " select ?, r, n from unnest(?::text[], ?::bigint[]) as t(r, n)"
                            + " on conflict (minute, reason) do update"
                            + " set items = refused_item_minute.items + excluded.items")
                    .params(utc(minute), reasons.toArray(String[]::new), items.toArray(Long[]::new))
                    .update();
        }
        flushed.clear();
        flushed.putAll(totals);
        jdbc.sql("delete from refused_item_minute where minute < ?")
                .param(utc(minute.minus(KEPT)))
                .update();
    }

    /** Flushes what this instance counted since the last flush before it stops. */
    @PreDestroy
    void flushAtStop() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("could not flush the refused items of this instance: {}", e.toString());
        }
    }

    @Override
    public List<MinuteCount> perMinute(Instant from, Instant to) {
        return jdbc.sql("select minute, reason, items from refused_item_minute"
                        + " where minute >= ? and minute < ? limit ?")
                .params(utc(from), utc(to), ROWS_MAX)
                .query((rs, n) -> new MinuteCount(
                        rs.getObject(1, OffsetDateTime.class).toInstant(),
                        rs.getString(2),
                        rs.getLong(3)))
                .list();
    }

    /** The counter's totals by reason now, on this instance. */
    private Map<String, Double> totals() {
        Map<String, Double> byReason = new TreeMap<>();
        for (Counter counter : meters.find(COUNTER).tag("outcome", "refused").counters()) {
            String reason = counter.getId().getTag("reason");
            byReason.merge(reason == null ? "unknown" : reason, counter.count(), Double::sum);
        }
        return byReason;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
