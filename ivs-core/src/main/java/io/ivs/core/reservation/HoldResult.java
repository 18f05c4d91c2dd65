package io.ivs.core.reservation;

import io.ivs.core.Rejection;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;

/** The answer to extending or confirming a hold. */
public sealed interface HoldResult {
    /** The reservation now lapses at {@code expiresAt}, or never (confirmed) when null. */
    record Held(
            String reservationId,
            BigDecimal quantity,
            @Nullable Instant expiresAt) implements HoldResult {}

    /** Nothing changed, for the reason given. */
    record Refused(String reservationId, Rejection reason, String message) implements HoldResult {}
}
