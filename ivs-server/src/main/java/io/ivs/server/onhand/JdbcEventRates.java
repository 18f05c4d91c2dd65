package io.ivs.server.onhand;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Accepted events per minute, counted once and shared by every instance: a minute that ended at
 * least {@link #SETTLE} ago is counted from {@code processed_event} into {@code event_minute}
 * (V32) by the first reader that needs it, with {@code date_trunc} and {@code count} in SQL over
 * the index {@code processed_event_age}; later readers read the counted rows, at most one per
 * minute and family. Only the minutes not settled yet are counted on every read, bounded by
 * {@link #LIVE_EVENTS_MAX}. The settling delay leaves room for transactions that commit after
 * the minute their timestamp (the transaction's start) falls in; one that commits later still
 * is missing from the counts, which are for charts, not for accounting.
 */
@Repository
class JdbcEventRates implements EventRates {
    static final Duration SETTLE = Duration.ofMinutes(1);

    /** Counted minutes are deleted once they are this old; charts show the last hour. */
    static final Duration KEPT = Duration.ofHours(3);

    /** Events read at most per read of the minutes not settled yet. */
    static final int LIVE_EVENTS_MAX = 100_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    JdbcEventRates(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public List<MinuteCount> perMinute(String environmentId, Instant from, Instant to) {
        Instant settled = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(SETTLE);
        List<MinuteCount> counts = new ArrayList<>();
        if (from.isBefore(settled)) {
            countSettled(environmentId, from, settled);
            counts.addAll(counted(environmentId, from, min(to, settled)));
        }
        if (to.isAfter(settled)) {
            counts.addAll(aggregate(environmentId, max(from, settled), to, LIVE_EVENTS_MAX));
        }
        return counts;
    }

    /** Counts the environment's settled minutes in [from, settled) not counted yet. */
    private void countSettled(String environmentId, Instant from, Instant settled) {
        Instant start = watermark(environmentId).map(w -> max(w, from)).orElse(from);
        if (!start.isBefore(settled)) {
            return;
        }
        // Counted in one statement and written in another, so that under Citus a distributed
        // processed_event never meets the coordinator's event_minute in one statement.
        // No row limit: a cut minute would stay wrong; the span, at most the window asked for,
        // bounds what is read.
        List<MinuteCount> counts = aggregate(environmentId, start, settled, Integer.MAX_VALUE);
        tx.executeWithoutResult(status -> {
            // Two instances may count the same minutes at once: they count the same settled
            // rows, and the second one's rows conflict and are dropped.
            jdbc.sql("insert into event_minute (environment_id, minute, family, events)"
                            + " select ?, m::timestamptz, f, n from unnest(?::text[], ?::text[],"
                            + " ?::bigint[]) as c(m, f, n) on conflict do nothing")
                    .params(
                            environmentId,
                            counts.stream().map(c -> c.minute().toString()).toArray(String[]::new),
                            counts.stream().map(MinuteCount::family).toArray(String[]::new),
                            counts.stream().map(MinuteCount::events).toArray(Long[]::new))
                    .update();
            jdbc.sql("insert into event_minute_watermark (environment_id, counted_until)"
                            + " values (?, ?) on conflict (environment_id) do update"
                            + " set counted_until = greatest(event_minute_watermark.counted_until,"
                            + " excluded.counted_until)")
                    .params(environmentId, utc(settled))
                    .update();
            jdbc.sql("delete from event_minute where environment_id = ? and minute < ?")
                    .params(environmentId, utc(settled.minus(KEPT)))
                    .update();
        });
    }

    private Optional<Instant> watermark(String environmentId) {
        return jdbc.sql("select counted_until from event_minute_watermark"
                        + " where environment_id = ?")
                .param(environmentId)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional();
    }

    private List<MinuteCount> counted(String environmentId, Instant from, Instant to) {
        return jdbc.sql("select minute, family, events from event_minute"
                        + " where environment_id = ? and minute >= ? and minute < ?")
                .params(environmentId, utc(from), utc(to))
                .query(JdbcEventRates::minuteCount)
                .list();
    }

    /**
     * The environment's claimed ids per minute and family in [from, to), grouped in SQL over the
     * index {@code processed_event_age}, reading at most {@code eventsMax} of them.
     */
    private List<MinuteCount> aggregate(
            String environmentId, Instant from, Instant to, int eventsMax) {
        return jdbc.sql("select date_trunc('minute', processed_at, 'UTC'), family, count(*)"
                        + " from (select processed_at, family from processed_event"
                        + " where processed_at >= ? and processed_at < ? and environment_id = ?"
                        + " limit ?) e group by 1, 2")
                .params(utc(from), utc(to), environmentId, eventsMax)
                .query(JdbcEventRates::minuteCount)
                .list();
    }

    /** A row of (minute, family, events). */
    private static MinuteCount minuteCount(ResultSet rs, int row) throws SQLException {
        return new MinuteCount(
                rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getLong(3));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
