package io.ivs.core.event;

/**
 * What happened to one write: applied now, or the answer of an earlier write with the same event
 * id, or rejected because the id was used before for different content.
 */
public record WriteOutcome(EventId eventId, Status status, String message) {
    public enum Status {
        APPLIED,
        DUPLICATE,
        CONFLICT
    }
}
