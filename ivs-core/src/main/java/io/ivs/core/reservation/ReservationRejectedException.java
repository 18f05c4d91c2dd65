package io.ivs.core.reservation;

import io.ivs.core.InvalidInputException;

/** A reserve or unreserve refused for a reason other than plain bad input. */
public final class ReservationRejectedException extends InvalidInputException {
    private final ReservationResult.Reason reason;

    public ReservationRejectedException(
            ReservationResult.Reason reason, String field, String message) {
        super(field, message);
        this.reason = reason;
    }

    public ReservationResult.Reason reason() {
        return reason;
    }
}
