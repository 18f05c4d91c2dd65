package io.ivs.core.allocation;

import io.ivs.core.Rejection;

import org.jspecify.annotations.Nullable;

/** The answer to an allocation write. */
public sealed interface AllocationResult {
    String eventId();

    /** Applied; a consume that raised a reservation measure also names its reservation id. */
    record Done(String eventId, @Nullable String reservationId) implements AllocationResult {}

    /** Not applied; nothing changed. */
    record Rejected(String eventId, Rejection reason, String message) implements AllocationResult {}
}
