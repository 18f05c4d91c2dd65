package io.ivs.core.event;

import io.ivs.core.event.ProcessedEvents.Stored;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule of event ids (spec A1), for every write family: an id never seen is processed; an
 * id seen with the same content fingerprint answers its stored answer and changes nothing; an id
 * seen with other content, or taken by a concurrent request meanwhile, is a conflict.
 */
public final class Idempotency {
    private Idempotency() {}

    /** An event of a batch: its id and the fingerprint of its content. */
    public record Event(EventId eventId, String fingerprint) {}

    /** The verdict on an event given what its id was stored with, if anything. */
    public static <A> Verdict<A> decide(
            EventId eventId, String fingerprint, @Nullable Stored<A> stored) {
        if (stored == null) {
            return new Verdict.Fresh<>();
        }
        return stored.fingerprint().equals(fingerprint)
                ? new Verdict.Replay<>(stored.answer())
                : conflict(eventId);
    }

    /** The verdict on an event whose id a concurrent request recorded between look-up and claim. */
    public static <A> Verdict.Conflict<A> conflict(EventId eventId) {
        return new Verdict.Conflict<>(conflictMessage(eventId));
    }

    /** What a client is told when it reuses an event id for different content. */
    public static String conflictMessage(EventId eventId) {
        return "event id '" + eventId
                + "' was already used for a different event; use a new id for a new event";
    }

    /** The fingerprint of each id's first occurrence, in the order ids first occur. */
    public static Map<EventId, String> firstFingerprints(List<Event> events) {
        Map<EventId, String> first = new LinkedHashMap<>();
        for (Event event : events) {
            first.putIfAbsent(event.eventId(), event.fingerprint());
        }
        return first;
    }

    /**
     * The outcome of each event of a batch whose distinct ids were claimed at once, in order.
     * The first occurrence of an id this batch claimed is applied (with its message, if any); a
     * repeat with the same content is a duplicate of it, as is an event whose id an earlier
     * request stored with the same content; other content is a conflict. An id the batch did
     * not claim and finds no stored answer for is a conflict too: retention or a partition
     * clean-up deleted the row between the claim and the read, and the id was taken, so the
     * event is not applied.
     *
     * @param claimed ids this batch recorded
     * @param earlier stored answers (messages) of the ids it did not record
     * @param messages answers of the claimed ids that have one
     */
    public static List<WriteOutcome> outcomes(
            List<Event> events,
            Set<EventId> claimed,
            Map<EventId, Stored<String>> earlier,
            Map<EventId, String> messages) {
        Map<EventId, String> first = firstFingerprints(events);
        List<WriteOutcome> outcomes = new ArrayList<>(events.size());
        Set<EventId> answered = new HashSet<>();
        for (Event event : events) {
            EventId id = event.eventId();
            boolean firstOccurrence = answered.add(id);
            boolean ours = claimed.contains(id);
            String firstFingerprint = first.get(id);
            Stored<String> stored = ours && firstFingerprint != null
                    ? new Stored<>(firstFingerprint, messages.getOrDefault(id, ""))
                    : earlier.get(id);
            outcomes.add(
                    switch (decide(id, event.fingerprint(), stored)) {
                        case Verdict.Replay<String> replay ->
                            new WriteOutcome(
                                    id,
                                    firstOccurrence && ours
                                            ? WriteOutcome.Status.APPLIED
                                            : WriteOutcome.Status.DUPLICATE,
                                    replay.answer());
                        case Verdict.Fresh<String> fresh -> conflictOutcome(id);
                        case Verdict.Conflict<String> conflict -> conflictOutcome(id);
                    });
        }
        return outcomes;
    }

    private static WriteOutcome conflictOutcome(EventId eventId) {
        return new WriteOutcome(eventId, WriteOutcome.Status.CONFLICT, conflictMessage(eventId));
    }
}
