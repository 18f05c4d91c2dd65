package io.ivs.core.allocation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One allocation bucket (spec B.5): the quota of a group path at an exact dimension set, with
 * what remains allocated, what was consumed, and the cumulative counters.
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
    }
}
