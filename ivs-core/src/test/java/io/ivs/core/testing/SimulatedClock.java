package io.ivs.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test moves it, so that a simulation replays the same times from
 * the same seed and "now" never depends on how fast the machine runs.
 */
public final class SimulatedClock extends Clock {
    private Instant now;

    public SimulatedClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock does not run backwards: " + by);
        }
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Time zones do not matter to the core, which reads instants only. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
