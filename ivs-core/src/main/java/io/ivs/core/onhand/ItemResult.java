package io.ivs.core.onhand;

import io.ivs.core.Rejection;

/** The answer for one item of a write request, in request order. */
public sealed interface ItemResult {
    String eventId();

    /** Applied now, or an identical retry of an applied event. */
    record Accepted(String eventId, String message) implements ItemResult {}

    /** Not applied; {@code reason} maps to an HTTP status in one place. */
    record Rejected(String eventId, Rejection reason, String message) implements ItemResult {}
}
