package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Accepted events per minute: settled minutes are counted once from processed_event into
 * event_minute and read from there afterwards; the minutes not settled yet are counted live;
 * other environments' events never count.
 */
class EventRatesIntegrationTest extends HttpTestSupport {
    @Autowired
    EventRates rates;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void perMinute_settledMinutesCountedOnce_liveMinutesOnEveryRead() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant halfHourAgo = minute.minus(30, ChronoUnit.MINUTES);
        Instant tenMinutesAgo = minute.minus(10, ChronoUnit.MINUTES);
        claim(env, "onhand", halfHourAgo.plusSeconds(5));
        claim(env, "onhand", halfHourAgo.plusSeconds(59));
        claim(env, "reserve", tenMinutesAgo.plusSeconds(1));
        claim("other-" + env, "onhand", tenMinutesAgo.plusSeconds(1));
        claim(env, "setonhand", Instant.now());
        Instant from = minute.minus(60, ChronoUnit.MINUTES);
        Instant to = minute.plus(5, ChronoUnit.MINUTES);

        List<EventRates.MinuteCount> first = rates.perMinute(env, from, to);

        assertThat(first)
                .containsExactlyInAnyOrder(
                        new EventRates.MinuteCount(halfHourAgo, "onhand", 2),
                        new EventRates.MinuteCount(tenMinutesAgo, "reserve", 1),
                        liveMinute(first));
        assertThat(jdbc.queryForObject(
                        "select sum(events) from event_minute where environment_id = ?",
                        Long.class,
                        env))
                .isEqualTo(3);

        // A settled minute is read from its counted row: an id claimed in it later is not seen,
        // while the live minutes are counted again.
        claim(env, "onhand", halfHourAgo.plusSeconds(30));
        claim(env, "setonhand", Instant.now());
        List<EventRates.MinuteCount> second = rates.perMinute(env, from, to);
        assertThat(second).contains(new EventRates.MinuteCount(halfHourAgo, "onhand", 2));
        assertThat(second.stream()
                        .filter(c -> c.family().equals("setonhand"))
                        .mapToLong(EventRates.MinuteCount::events)
                        .sum())
                .isEqualTo(2);
    }

    @Test
    void perMinute_windowWithoutEvents_answersNothing() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);

        assertThat(rates.perMinute(env, minute.minus(60, ChronoUnit.MINUTES), minute))
                .isEmpty();
    }

    /** The one live count: the minute of the id claimed "now" (it may have just ticked). */
    private static EventRates.MinuteCount liveMinute(List<EventRates.MinuteCount> counts) {
        return counts.stream()
                .filter(c -> c.family().equals("setonhand"))
                .findFirst()
                .filter(c -> c.events() == 1)
                .orElseThrow(() -> new AssertionError("no live count in " + counts));
    }

    private void claim(String environmentId, String family, Instant at) {
        jdbc.update(
                "insert into processed_event (product_key, environment_id, family, event_id,"
                        + " fingerprint, processed_at) values (?, ?, ?, ?, 'f', ?)",
                UUID.randomUUID(),
                environmentId,
                family,
                UUID.randomUUID().toString(),
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    }
}
