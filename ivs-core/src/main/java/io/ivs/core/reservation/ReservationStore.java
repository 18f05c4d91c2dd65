package io.ivs.core.reservation;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Durable soft reservations. All work on a set of products runs in one transaction that first
 * takes a lock per product in sorted order, so that checks and writes on one product never
 * interleave, across any number of instances (DESIGN D4).
 */
public interface ReservationStore {
    /** Runs {@code work} in one transaction holding the locks of {@code productKeys}. */
    <T> T withProductsLocked(
            EnvironmentId environmentId, SortedSet<UUID> productKeys, Function<Tx, T> work);

    /**
     * The reservation ledger of one reservation id: what it holds, on which measure and record,
     * and, for a hold, when it lapses.
     */
    record Ledger(
            String reservationId,
            MeasureRef measure,
            String recordKey,
            BigDecimal quantity,
            @Nullable Instant expiresAt) {
        public Ledger(
                String reservationId, MeasureRef measure, String recordKey, BigDecimal quantity) {
            this(reservationId, measure, recordKey, quantity, null);
        }
    }

    /**
     * A change to apply at the end of the transaction; with a reservation id it also moves that
     * reservation's ledger.
     *
     * @param eventId the event that asked for the change, when one did: the inventory log's line
     *     names it (a reservation id does not name one event: every reservation of a measure on a
     *     record has the same id when the client gives none)
     */
    record Delta(
            RecordKey record,
            String partitionId,
            MeasureRef measure,
            BigDecimal quantity,
            @Nullable String reservationId,
            @Nullable String eventId) {
        /** A change no event of the transaction asked for directly (a ledger reversed, say). */
        public Delta(
                RecordKey record,
                String partitionId,
                MeasureRef measure,
                BigDecimal quantity,
                @Nullable String reservationId) {
            this(record, partitionId, measure, quantity, reservationId, null);
        }
    }

    /** A ledger that holds something, with the record and partition its quantity lies in. */
    record HeldLedger(
            String reservationId,
            MeasureRef measure,
            RecordKey record,
            String partitionId,
            BigDecimal quantity) {}

    /** A hold's new expiry, or none: the reservation no longer lapses. */
    record Expiry(
            UUID productKey, String reservationId, @Nullable Instant expiresAt) {}

    /** A hold whose expiry has passed, as the sweeper finds it before locking its product. */
    record DueHold(
            EnvironmentId environmentId,
            UUID productKey,
            String reservationId,
            Instant expiresAt) {}

    /** Operations inside the locked transaction. */
    interface Tx {
        /** The reserve and unreserve answers given per event id, in this transaction. */
        ProcessedEvents<ReservationResult> events();

        /**
         * Physical values summed over every record of the product whose dimensions include the
         * level's.
         */
        Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures);

        Optional<Ledger> ledger(UUID productKey, String reservationId);

        /** The ledgers of a locked product whose quantity is not zero. */
        List<HeldLedger> heldLedgers(UUID productKey);

        /** Adds the deltas to the physical measures and the reservation ledgers. */
        void apply(List<Delta> deltas);

        /**
         * The holds of the locked products that have lapsed at {@code now}, whatever they hold
         * (zero too), sorted by product and reservation id.
         */
        List<LapsedHold> lapsedHolds(SortedSet<UUID> productKeys, Instant now);

        /** Sets or clears the expiry of existing ledgers. */
        void expire(List<Expiry> expiries);

        /**
         * Notes the holds this transaction released, so that operators can tell a lapse from a
         * client's unreserve among the transaction's changes.
         */
        void released(List<LapsedHold> releases);
    }

    /** A lapsed hold with the record and partition its quantity lies in. */
    record LapsedHold(HeldLedger ledger, Instant expiresAt) {}

    /** The reservations of an environment, filtered and bounded, for operators. */
    record Holding(
            String reservationId,
            String organizationId,
            String productId,
            MeasureRef measure,
            Map<String, String> dimensions,
            BigDecimal quantity,
            Instant updatedAt,
            @Nullable Instant expiresAt) {
        public Holding(
                String reservationId,
                String organizationId,
                String productId,
                MeasureRef measure,
                Map<String, String> dimensions,
                BigDecimal quantity,
                Instant updatedAt) {
            this(
                    reservationId,
                    organizationId,
                    productId,
                    measure,
                    dimensions,
                    quantity,
                    updatedAt,
                    null);
        }
    }

    List<Holding> list(
            EnvironmentId environmentId,
            java.util.Optional<String> organizationId,
            java.util.Optional<String> productId,
            java.util.Optional<String> reservationId,
            int limit);

    /** The products of an environment that hold some reservation not at zero, sorted. */
    List<UUID> productsHoldingReservations(EnvironmentId environmentId);

    /**
     * Holds of every environment whose expiry is at or before {@code now}, soonest first, at
     * most {@code limit}; read without locks, so the caller checks each again under its lock.
     */
    List<DueHold> dueHolds(Instant now, int limit);
}
