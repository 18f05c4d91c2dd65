package io.ivs.core.testing;

import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The processed event ids of one environment, as the {@link ProcessedEvents} port: the ids with
 * the fingerprint of their content, the partition their effect lies in and the answer they got
 * (spec A1). It only stores and finds; the rule of what a repeated id means is the core's
 * ({@link io.ivs.core.event.Idempotency}), applied by the services and the on-hand store alike.
 *
 * <p>The rows live in the {@link Table} of an {@link InMemoryInventory} and roll back with its
 * transaction, as the {@code processed_event} rows of the PostgreSQL stores do.
 */
public final class InMemoryProcessedEvents<A> implements ProcessedEvents<A> {
    private final Table table;
    private final String environmentId;
    private final Consumer<A> storable;

    /**
     * @param storable refuses (throws on) an answer the PostgreSQL store could not record
     */
    InMemoryProcessedEvents(Table table, String environmentId, Consumer<A> storable) {
        this.table = table;
        this.environmentId = environmentId;
        this.storable = storable;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<EventId, Stored<A>> find(String family, Collection<EventId> eventIds) {
        Map<EventId, Stored<A>> found = new HashMap<>();
        for (EventId eventId : eventIds) {
            Entry entry = table.entries.get(new Key(environmentId, family, eventId));
            if (entry != null) {
                found.put(eventId, new Stored<>(entry.fingerprint(), (A) entry.answer()));
            }
        }
        return found;
    }

    /**
     * Records each distinct id that is new, in sorted order, the first claim of an id in the
     * list counting (as the PostgreSQL store does); an id recorded before keeps its fingerprint
     * and answer.
     */
    @Override
    public Set<EventId> claim(String family, List<Claim<A>> claims) {
        TreeMap<EventId, Claim<A>> sorted = new TreeMap<>();
        claims.forEach(claim -> sorted.putIfAbsent(claim.eventId(), claim));
        Set<EventId> claimed = new HashSet<>();
        for (Claim<A> claim : sorted.values()) {
            storable.accept(claim.answer());
            Key key = new Key(environmentId, family, claim.eventId());
            if (table.entries.get(key) == null) {
                table.entries.put(
                        key, new Entry(claim.fingerprint(), claim.partitionId(), claim.answer()));
                claimed.add(claim.eventId());
            }
        }
        return claimed;
    }

    /** Replaces the answer of an id claimed earlier, as set on-hand records its messages. */
    void answer(String family, EventId eventId, A answer) {
        Key key = new Key(environmentId, family, eventId);
        Entry entry = table.entries.get(key);
        if (entry == null) {
            throw new IllegalStateException("event id '" + eventId + "' was never claimed");
        }
        storable.accept(answer);
        table.entries.put(key, new Entry(entry.fingerprint(), entry.partitionId(), answer));
    }

    private record Key(String environmentId, String family, EventId eventId) {}

    private record Entry(String fingerprint, String partitionId, Object answer) {}

    /** Every processed event id of every environment and family: the table the ports share. */
    public static final class Table {
        private final TransactionalMap<Key, Entry> entries = new TransactionalMap<>(e -> e);

        /** The ids of one environment, answers of any type accepted. */
        public <A> InMemoryProcessedEvents<A> of(String environmentId) {
            return new InMemoryProcessedEvents<>(this, environmentId, answer -> {});
        }

        <A> InMemoryProcessedEvents<A> of(String environmentId, Consumer<A> storable) {
            return new InMemoryProcessedEvents<>(this, environmentId, storable);
        }

        /** Forgets the ids whose effects lay in the partitions, as a partition clean-up does. */
        int forgetPartitions(String environmentId, Collection<String> partitionIds) {
            Set<String> doomed = new HashSet<>(partitionIds);
            return entries.removeIf(e -> e.getKey().environmentId().equals(environmentId)
                    && doomed.contains(e.getValue().partitionId()));
        }

        int forgetAll(String environmentId) {
            return entries.removeIf(e -> e.getKey().environmentId().equals(environmentId));
        }

        void commit() {
            entries.commit();
        }

        void rollback() {
            entries.rollback();
        }
    }
}
