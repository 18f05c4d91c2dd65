package io.ivs.core.port;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationResult;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
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
            String environmentId, SortedSet<UUID> productKeys, Function<Tx, T> work);

    /** An earlier answer to an event id: its content fingerprint and result. */
    record Processed(String fingerprint, ReservationResult result) {}

    /** The reservation ledger of one reservation id: what it holds, on which measure and record. */
    record Ledger(
            String reservationId, MeasureRef measure, String recordKey, BigDecimal quantity) {}

    /**
     * A change to apply at the end of the transaction; with a reservation id it also moves that
     * reservation's ledger.
     */
    record Delta(
            RecordKey record,
            String partitionId,
            MeasureRef measure,
            BigDecimal quantity,
            @Nullable String reservationId) {}

    /** Operations inside the locked transaction. */
    interface Tx {
        Optional<Processed> processed(String family, String eventId);

        /**
         * Records the answer to an event id, with the partition its effect lies in (a partition
         * clean-up forgets it); false when another request took the id meanwhile.
         */
        boolean markProcessed(
                String family,
                String eventId,
                String fingerprint,
                String partitionId,
                ReservationResult result);

        /** Physical values summed over every record of the product whose dimensions include the level's. */
        Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures);

        Optional<Ledger> ledger(UUID productKey, String reservationId);

        /** Adds the deltas to the physical measures and the reservation ledgers. */
        void apply(List<Delta> deltas);

        /** The earlier answers to any of {@code eventIds}, by event id, in one look-up. */
        default Map<String, Processed> processedAll(String family, Collection<String> eventIds) {
            Map<String, Processed> found = new java.util.HashMap<>();
            for (String eventId : eventIds) {
                processed(family, eventId).ifPresent(p -> found.put(eventId, p));
            }
            return found;
        }

        /**
         * Records the answers to distinct event ids; false when another request took any of them
         * meanwhile, and then the caller must roll the transaction back.
         */
        default boolean markAllProcessed(String family, List<Mark> marks) {
            for (Mark mark : marks) {
                if (!markProcessed(
                        family,
                        mark.eventId(),
                        mark.fingerprint(),
                        mark.partitionId(),
                        mark.result())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** An answer to record for an event id. */
    record Mark(String eventId, String fingerprint, String partitionId, ReservationResult result) {}

    /** The reservations of an environment, filtered and bounded, for operators. */
    record Holding(
            String reservationId,
            String organizationId,
            String productId,
            MeasureRef measure,
            Map<String, String> dimensions,
            BigDecimal quantity,
            java.time.Instant updatedAt) {}

    List<Holding> list(
            String environmentId,
            java.util.Optional<String> organizationId,
            java.util.Optional<String> productId,
            java.util.Optional<String> reservationId,
            int limit);

    /**
     * Reverses every reservation held on measures of the given data sources (all when empty),
     * product by product; answers how many reservations were reversed.
     */
    int reverseAll(String environmentId, java.util.Set<String> dataSources);
}
