package io.ivs.server.web;

import io.ivs.core.Rejection;

/**
 * The HTTP status of each rejection code, for every endpoint. By default a refused checked
 * reservation, a negative checked quantity and missing partition dimensions answer 500, as the
 * original service does (A3); with {@code ivs.reservation.rejection-status=409} they answer
 * proper codes: 409 for the refusal, 400 for the two kinds of bad input.
 */
public final class RejectionStatus {
    /** What the original service answers for a refused reservation. */
    public static final int IV_REJECTION_STATUS = 500;

    private RejectionStatus() {}

    /**
     * @param reservationRejection {@code ivs.reservation.rejection-status}: 500 or 409
     */
    public static int of(Rejection reason, int reservationRejection) {
        boolean ivStatuses = reservationRejection == IV_REJECTION_STATUS;
        return switch (reason) {
            case INVALID, DISABLED -> 400;
            case MISSING_PARTITION, NEGATIVE_CHECKED -> ivStatuses ? IV_REJECTION_STATUS : 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT, INSUFFICIENT_TO_ALLOCATE, ORDER_REFUSED -> 409;
            case INSUFFICIENT_AVAILABILITY -> reservationRejection;
        };
    }
}
