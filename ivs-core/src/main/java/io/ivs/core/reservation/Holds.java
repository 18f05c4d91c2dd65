package io.ivs.core.reservation;

import io.ivs.core.Rejection;
import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents.Claim;
import io.ivs.core.reservation.ReservationStore.Delta;
import io.ivs.core.reservation.ReservationStore.Expiry;
import io.ivs.core.reservation.ReservationStore.HeldLedger;
import io.ivs.core.reservation.ReservationStore.LapsedHold;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.UUID;

/**
 * Releases lapsed holds inside a transaction that holds their products' locks. A lapsed hold's
 * remaining quantity is released as an unreserve whose event id is derived from the reservation
 * and the expiry ({@link #eventId}), recorded in a family of its own so that no client id can
 * take it. Two instances that find the same lapsed hold serialise on the product lock; the second
 * finds the expiry cleared (or the event id taken) and releases nothing, so a hold is released
 * exactly once.
 */
final class Holds {
    /** The family of the derived event ids of hold releases, apart from clients' unreserves. */
    static final String EXPIRE = "expire";

    private Holds() {}

    /** The derived id of the release of a hold: the same on every instance, for one expiry. */
    static EventId eventId(String reservationId, Instant expiresAt) {
        return EventId.of("expire:" + reservationId + ":" + expiresAt.toEpochMilli());
    }

    /**
     * Releases the holds of the locked products that have lapsed at {@code now}, and clears their
     * expiry; applied at once, so that what the transaction reads next no longer counts them.
     * Answers how many holds ended, those that held nothing any more included.
     */
    static int releaseLapsed(ReservationStore.Tx tx, SortedSet<UUID> products, Instant now) {
        List<LapsedHold> lapsed = tx.lapsedHolds(products, now);
        if (lapsed.isEmpty()) {
            return 0;
        }
        List<Delta> deltas = new ArrayList<>();
        List<LapsedHold> releases = new ArrayList<>();
        List<Expiry> cleared = new ArrayList<>();
        for (LapsedHold hold : lapsed) {
            HeldLedger ledger = hold.ledger();
            UUID product = ledger.record().productKey();
            cleared.add(new Expiry(product, ledger.reservationId(), null));
            // A ledger at zero or below (released, or cancelled by an unchecked negative
            // reserve) has nothing left to release; the hold just ends.
            BigDecimal released = ledger.quantity().max(BigDecimal.ZERO);
            if (released.signum() > 0 && claim(tx, ledger, hold.expiresAt(), released)) {
                deltas.add(new Delta(
                        ledger.record(),
                        ledger.partitionId(),
                        ledger.measure(),
                        released.negate(),
                        ledger.reservationId()));
                releases.add(hold);
            }
        }
        tx.apply(deltas);
        tx.expire(cleared);
        if (!releases.isEmpty()) {
            tx.released(releases);
        }
        return cleared.size();
    }

    /**
     * Why a hold's expiry may not change to {@code expiresAt} (null: confirm), or null when it
     * may. A lapsed hold no longer counts even before it is released, so it cannot be revived;
     * only a hold can be extended; confirming a reservation that does not expire changes nothing.
     */
    static @Nullable HoldResult refuseChange(
            ReservationStore.Ledger ledger, @Nullable Instant expiresAt, Instant now) {
        Instant current = ledger.expiresAt();
        if (current != null && !current.isAfter(now)) {
            return new HoldResult.Refused(
                    ledger.reservationId(),
                    Rejection.CONFLICT,
                    "the hold lapsed at " + current + "; reserve again");
        }
        if (current == null && expiresAt != null) {
            return new HoldResult.Refused(
                    ledger.reservationId(),
                    Rejection.CONFLICT,
                    "the reservation does not expire (it was confirmed, or reserved without"
                            + " expiresAt or ttlSeconds); there is no hold to extend");
        }
        return null;
    }

    /** Records the release under its derived id; false when it was released before. */
    private static boolean claim(
            ReservationStore.Tx tx, HeldLedger ledger, Instant expiresAt, BigDecimal released) {
        EventId id = eventId(ledger.reservationId(), expiresAt);
        ReservationResult answer = new ReservationResult.Unreserved(
                id.value(), ledger.reservationId(), released, BigDecimal.ZERO);
        Claim<ReservationResult> claim = new Claim<>(
                id,
                ledger.record().productKey(),
                "expire=" + released.toPlainString(),
                ledger.partitionId(),
                answer);
        return tx.events().claim(EXPIRE, List.of(claim)).contains(id);
    }
}
