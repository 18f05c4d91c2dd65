package io.ivs.core.testing;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every event id the in-memory stores have processed, with the fingerprint of its content, the
 * partition its effect lies in and the answer it got, per environment and family (spec A1). All
 * event-id bookkeeping of the in-memory stores lives here, shaped like a port with {@link #find}
 * and {@link #claim}, so that the stores hold no idempotency rules of their own.
 *
 * <p>Changes belong to the transaction of {@link InMemoryInventory} and roll back with it, as
 * the {@code processed_event} rows of the PostgreSQL stores do.
 */
public final class InMemoryProcessedEvents {
    /** What an event id was recorded with. */
    public record Stored<A>(String fingerprint, A answer) {}

    /** An event id to record, unless it is recorded already. */
    public record Claim<A>(String eventId, String fingerprint, String partitionId, A answer) {}

    private record Key(String environmentId, String family, String eventId) {}

    private record Entry(String fingerprint, String partitionId, Object answer) {}

    private final TransactionalMap<Key, Entry> entries = new TransactionalMap<>(entry -> entry);

    /** The recorded answers of those of {@code eventIds} that were processed before. */
    @SuppressWarnings("unchecked")
    public <A> Map<String, Stored<A>> find(
            String environmentId, String family, Collection<String> eventIds) {
        Map<String, Stored<A>> found = new HashMap<>();
        for (String eventId : eventIds) {
            Entry entry = entries.get(new Key(environmentId, family, eventId));
            if (entry != null) {
                found.put(eventId, new Stored<>(entry.fingerprint(), (A) entry.answer()));
            }
        }
        return found;
    }

    /**
     * Records each claim whose id is new (the first claim of an id in the list counts); answers
     * the ids this call recorded. An id recorded before keeps its fingerprint and answer.
     */
    public <A> Set<String> claim(String environmentId, String family, List<Claim<A>> claims) {
        Set<String> claimed = new HashSet<>();
        for (Claim<A> claim : claims) {
            Key key = new Key(environmentId, family, claim.eventId());
            if (entries.get(key) == null) {
                entries.put(
                        key, new Entry(claim.fingerprint(), claim.partitionId(), claim.answer()));
                claimed.add(claim.eventId());
            }
        }
        return claimed;
    }

    /** Replaces the answer of an id claimed earlier in the same transaction. */
    public <A> void answer(String environmentId, String family, String eventId, A answer) {
        Key key = new Key(environmentId, family, eventId);
        Entry entry = entries.get(key);
        if (entry == null) {
            throw new IllegalStateException("event id '" + eventId + "' was never claimed");
        }
        entries.put(key, new Entry(entry.fingerprint(), entry.partitionId(), answer));
    }

    /** Forgets the ids whose effects lay in the partitions, as a partition clean-up does. */
    public int forgetPartitions(String environmentId, Collection<String> partitionIds) {
        Set<String> doomed = new HashSet<>(partitionIds);
        return entries.removeIf(e -> e.getKey().environmentId().equals(environmentId)
                && doomed.contains(e.getValue().partitionId()));
    }

    public int forgetAll(String environmentId) {
        return entries.removeIf(e -> e.getKey().environmentId().equals(environmentId));
    }

    void commit() {
        entries.commit();
    }

    void rollback() {
        entries.rollback();
    }
}
