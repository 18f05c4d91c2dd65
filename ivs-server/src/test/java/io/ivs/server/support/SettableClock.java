package io.ivs.server.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand, so that "today" (and with it the schedule window) can be set
 * to the dates of the spec's examples. Views made by {@link #withZone} share the instant.
 */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> instant;
    private volatile ZoneId zone;

    public SettableClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private SettableClock(AtomicReference<Instant> instant, ZoneId zone) {
        this.instant = instant;
        this.zone = zone;
    }

    /** Sets the time to {@code instant}. */
    public void set(Instant value) {
        instant.set(value);
    }

    /** Sets the zone this clock reports; the instant, and so the UTC date, stay as they are. */
    public void setZone(ZoneId value) {
        zone = value;
    }

    /** Sets the time to 10:00 UTC of {@code date} and the zone to UTC. */
    public void setDate(LocalDate date) {
        set(date.atTime(10, 0).toInstant(ZoneOffset.UTC));
        setZone(ZoneOffset.UTC);
    }

    /** The same instant seen from {@code newZone}; setting either clock moves both. */
    @Override
    public SettableClock withZone(ZoneId newZone) {
        return new SettableClock(instant, newZone);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Instant instant() {
        return instant.get();
    }

    /**
     * Provides a {@link SettableClock} as the primary {@link Clock} (the service's own
     * {@code clock} bean stays defined but is not injected). Importing this creates a Spring
     * context of its own.
     */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock(Instant.parse("2022-02-01T10:00:00Z"));
        }
    }
}
