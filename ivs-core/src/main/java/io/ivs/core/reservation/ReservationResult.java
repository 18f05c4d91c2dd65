package io.ivs.core.reservation;

import io.ivs.core.Rejection;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;

/** The answer for one reserve or unreserve, in request order. */
public sealed interface ReservationResult {
    String eventId();

    /** A reserve that was applied (now, or by an earlier identical request). */
    record Reserved(String eventId, String reservationId) implements ReservationResult {}

    /**
     * An unreserve that released {@code released}; {@code invalid} is the part of the offset that
     * exceeded what the reservation held (A9), zero for a full success.
     */
    record Unreserved(String eventId, String reservationId, BigDecimal released, BigDecimal invalid)
            implements ReservationResult {
        public boolean partial() {
            return invalid.signum() > 0;
        }
    }

    /** Not applied; nothing changed. */
    record Rejected(
            String eventId, @Nullable String reservationId, Rejection reason, String message)
            implements ReservationResult {}
}
