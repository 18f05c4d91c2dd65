package io.ivs.core.event;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The event ids a write family has processed, with the answers they got (spec A1). Used inside
 * the transaction of the write, so that an answer is recorded exactly when its effect is. An id
 * is kept with the product its event names (so that, distributed by product, the write and its
 * id stay on one node): a look-up finds the ids of the products the transaction works on.
 */
public interface ProcessedEvents<A> {
    /** What an event id was first processed with: its content fingerprint and the answer given. */
    record Stored<A>(String fingerprint, A answer) {}

    /**
     * An answer to record for a new event id, with the product the event names and the
     * partition its effect lies in.
     */
    record Claim<A>(
            EventId eventId, UUID productKey, String fingerprint, String partitionId, A answer) {}

    /**
     * The stored answers of any of eventIds under the products of the transaction, by event id,
     * in one look-up.
     */
    Map<EventId, Stored<A>> find(String family, Collection<EventId> eventIds);

    /**
     * Records distinct ids in sorted order; answers the ids this call recorded (an id missing
     * from the answer was recorded by another request meanwhile).
     */
    Set<EventId> claim(String family, List<Claim<A>> claims);
}
