package io.ivs.core.allocation;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Allocation buckets, written under the same per-product locks as reservations, so allocation,
 * consumption and reservation of one product never interleave (spec C-B12).
 */
public interface AllocationStore {
    <T> T withProductsLocked(
            EnvironmentId environmentId, SortedSet<UUID> productKeys, Function<Tx, T> work);

    /** A change to one bucket, applied at the end of the transaction. */
    record BucketDelta(
            RecordKey record,
            List<String> path,
            BigDecimal allocated,
            BigDecimal consumed,
            BigDecimal cumulativeAllocated,
            BigDecimal cumulativeConsumed) {}

    /** Operations inside the locked transaction. */
    interface Tx {
        /** The allocation answers given per event id, in this transaction. */
        ProcessedEvents<AllocationResult> events();

        Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures);

        Optional<Bucket> bucket(RecordKey record, List<String> path);

        /** Applies on-hand deltas (and reservation ledgers where named) and bucket deltas. */
        void apply(List<ReservationStore.Delta> deltas, List<BucketDelta> buckets);
    }

    /** Buckets at exactly {@code record}'s dimensions whose path starts with {@code prefix}. */
    List<Bucket> query(RecordKey record, List<String> prefix);

    /** True while some bucket of the environment still holds an allocated balance. */
    boolean hasBuckets(EnvironmentId environmentId);
}
