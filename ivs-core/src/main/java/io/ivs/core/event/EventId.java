package io.ivs.core.event;

import java.util.Objects;

/**
 * The id a client gave an event, once the event passed validation: the key of exactly-once
 * processing (spec A1). A type of its own, so that it cannot be mixed up with the fingerprints,
 * partition ids and reservation ids that travel beside it.
 */
public record EventId(String value) implements Comparable<EventId> {
    public EventId {
        Objects.requireNonNull(value, "value");
    }

    public static EventId of(String value) {
        return new EventId(value);
    }

    @Override
    public int compareTo(EventId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
