package io.ivs.core.reservation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Rejection;

/** A reserve or unreserve refused for a reason other than plain bad input. */
public final class ReservationRejectedException extends InvalidInputException {
    private final Rejection reason;

    public ReservationRejectedException(Rejection reason, String field, String message) {
        super(field, message);
        this.reason = reason;
    }

    public Rejection reason() {
        return reason;
    }
}
