package io.ivs.server.inventorylog;

import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents;

import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The processed events of one locked transaction, remembering the events it applied (claimed),
 * so that the log lines of its deltas name their events. Replayed events are found, not claimed,
 * and so never logged.
 */
public final class ClaimedEvents<A> implements ProcessedEvents<A> {
    private final ProcessedEvents<A> events;
    private final Function<A, @Nullable String> reservationOf;
    private final Map<String, String> eventByReservation = new LinkedHashMap<>();
    private final Set<String> claimed = new java.util.LinkedHashSet<>();

    /** @param reservationOf the reservation id an answer names, if any */
    public ClaimedEvents(ProcessedEvents<A> events, Function<A, @Nullable String> reservationOf) {
        this.events = events;
        this.reservationOf = reservationOf;
    }

    @Override
    public Map<EventId, Stored<A>> find(String family, Collection<EventId> eventIds) {
        return events.find(family, eventIds);
    }

    @Override
    public Set<EventId> claim(String family, List<Claim<A>> claims) {
        Set<EventId> recorded = events.claim(family, claims);
        for (Claim<A> claim : claims) {
            if (recorded.contains(claim.eventId())) {
                claimed.add(claim.eventId().value());
                String reservationId = reservationOf.apply(claim.answer());
                if (reservationId != null) {
                    eventByReservation.put(reservationId, claim.eventId().value());
                }
            }
        }
        return recorded;
    }

    /** Logs the deltas this transaction applies, naming the events it claimed. */
    public void logDeltas(
            Connection con, String env, List<io.ivs.core.reservation.ReservationStore.Delta> deltas)
            throws SQLException {
        String only = claimed.size() == 1 ? claimed.iterator().next() : null;
        InventoryLog.deltas(con, env, deltas, eventByReservation, only);
    }
}
