package io.ivs.core.event;

import io.ivs.core.Rejection;

import org.jspecify.annotations.Nullable;

/**
 * What happened to one write: applied now, or the answer of an earlier write with the same event
 * id, or rejected because the id was used before for different content, or refused by a rule
 * that only the store can check (a reservation offset beyond what the reservation holds), with
 * its {@code reason}. A refused write is not recorded under its id, so a retry is decided anew.
 */
public record WriteOutcome(
        EventId eventId,
        Status status,
        String message,
        @Nullable Rejection reason) {
    public enum Status {
        APPLIED,
        DUPLICATE,
        CONFLICT,
        REFUSED
    }

    public WriteOutcome(EventId eventId, Status status, String message) {
        this(eventId, status, message, null);
    }

    public static WriteOutcome refused(EventId eventId, Rejection reason, String message) {
        return new WriteOutcome(eventId, Status.REFUSED, message, reason);
    }
}
