package io.ivs.server.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.server.web.Json;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The times a set on-hand's {@code modifiedDateTimeUTC} may name. A later observation wins over
 * an earlier one (A5), so a time far ahead of the server's clock would make every later count
 * of the record look stale until that time; and times beyond PostgreSQL's range cannot be
 * stored at all. Times more than {@code ivs.onhand.modified-ahead-max} ahead of the server's
 * clock, or before 1970 (no inventory system counted stock then; such times are broken clocks),
 * are refused per item, so the other items of a bulk still apply.
 */
@Component
final class ModifiedTimeWindow {
    static final String FIELD = "modifiedDateTimeUTC";
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    /** Bounds the setting so that adding it to the clock can never overflow. */
    private static final Duration AHEAD_LIMIT = Duration.ofDays(3650);

    private final Clock clock;
    private final Duration aheadMax;

    ModifiedTimeWindow(
            Clock clock, @Value("${ivs.onhand.modified-ahead-max:P1D}") Duration aheadMax) {
        if (aheadMax.isNegative() || aheadMax.compareTo(AHEAD_LIMIT) > 0) {
            throw new IllegalArgumentException("ivs.onhand.modified-ahead-max must be between"
                    + " PT0S and " + AHEAD_LIMIT + ", not " + aheadMax);
        }
        this.clock = clock;
        this.aheadMax = aheadMax;
    }

    /** Answers {@code change} when its time is acceptable; {@code path} locates the item. */
    OnHandChange check(OnHandChange change, String path) {
        Instant at = change.modifiedAt();
        if (at == null) {
            return change;
        }
        if (at.isBefore(EARLIEST)) {
            throw new InvalidInputException(
                    Json.join(path, FIELD), "'" + at + "' is before " + EARLIEST);
        }
        Instant now = clock.instant();
        if (at.isAfter(now.plus(aheadMax))) {
            throw new InvalidInputException(
                    Json.join(path, FIELD),
                    "'" + at + "' is more than " + aheadMax + " ahead of the server's time (" + now
                            + "); check the sender's clock");
        }
        return change;
    }
}
