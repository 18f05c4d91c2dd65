package io.ivs.core.reservation;

import io.ivs.core.InvalidInputException;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;

/**
 * When a hold lapses, as the client gave it: an instant ({@code expiresAt}) or a time to live
 * from now ({@code ttlSeconds}), exactly one of the two. An IVS extension to the reserve body
 * (docs/api-notes.md, "Holds that expire"), also used by extend.
 */
public record HoldTerms(
        @Nullable Instant expiresAt, @Nullable Long ttlSeconds) {
    /** The longest a hold may last: a month covers any checkout, and bounds forgotten holds. */
    public static final long TTL_SECONDS_MAX = Duration.ofDays(30).toSeconds();

    public static HoldTerms at(Instant expiresAt) {
        return new HoldTerms(expiresAt, null);
    }

    public static HoldTerms forSeconds(long ttlSeconds) {
        return new HoldTerms(null, ttlSeconds);
    }

    /**
     * The instant the hold lapses, seen at {@code now}.
     *
     * @throws InvalidInputException naming the field when both or neither are given, when the
     *     instant is not after now, or when the hold would last longer than the maximum
     */
    public Instant expiry(Instant now) {
        Instant at = expiresAt;
        Long ttl = ttlSeconds;
        if (at != null && ttl != null) {
            throw new InvalidInputException(
                    "ttlSeconds", "give either expiresAt or ttlSeconds, not both");
        }
        if (ttl != null) {
            if (ttl <= 0 || ttl > TTL_SECONDS_MAX) {
                throw new InvalidInputException(
                        "ttlSeconds", "must be 1 to " + TTL_SECONDS_MAX + " (30 days)");
            }
            return now.plusSeconds(ttl);
        }
        if (at == null) {
            throw new InvalidInputException("expiresAt", "give expiresAt or ttlSeconds");
        }
        if (!at.isAfter(now)) {
            throw new InvalidInputException("expiresAt", "must be in the future, not " + at);
        }
        if (at.isAfter(now.plusSeconds(TTL_SECONDS_MAX))) {
            throw new InvalidInputException(
                    "expiresAt", "must be at most 30 days ahead, not " + at);
        }
        return at;
    }

    /** The terms as given, for the event's fingerprint: a retry gives the same text. */
    String fingerprint() {
        return expiresAt != null ? "expiresAt=" + expiresAt : "ttlSeconds=" + ttlSeconds;
    }
}
