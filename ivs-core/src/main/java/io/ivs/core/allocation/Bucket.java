package io.ivs.core.allocation;

import io.ivs.core.Invariants;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One allocation bucket (spec B.5): the quota of a group path at an exact dimension set, with
 * what remains allocated, what was consumed, and the cumulative counters.
 *
 * <p>Every bucket, however it was read, holds {@code 0 <= allocated <= cumulativeAllocated} and
 * {@code 0 <= consumed <= cumulativeConsumed}: quantities are above zero, allocate and reallocate
 * add to a balance and its cumulative counter together, and unallocate, reallocate and consume
 * take from a balance only what it holds. A bucket outside these bounds is a bug or damaged data.
 */
public record Bucket(
        String organizationId,
        String productId,
        Map<String, String> dimensions,
        List<String> path,
        BigDecimal allocated,
        BigDecimal consumed,
        BigDecimal cumulativeAllocated,
        BigDecimal cumulativeConsumed) {
    public Bucket {
        dimensions = Map.copyOf(dimensions);
        path = List.copyOf(path);
        Invariants.check(
                allocated.signum() >= 0 && allocated.compareTo(cumulativeAllocated) <= 0,
                "bucket %s of product '%s' %s: allocated %s, cumulative allocated %s",
                path,
                productId,
                dimensions,
                allocated,
                cumulativeAllocated);
        Invariants.check(
                consumed.signum() >= 0 && consumed.compareTo(cumulativeConsumed) <= 0,
                "bucket %s of product '%s' %s: consumed %s, cumulative consumed %s",
                path,
                productId,
                dimensions,
                consumed,
                cumulativeConsumed);
    }
}
