package io.ivs.core.allocation;

import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A validated allocation write: the exact record, the target (and for reallocate the source)
 * group path by level, the quantity (> 0) and, for consume, each real measure with its sign.
 */
public record ResolvedAllocation(
        AllocationCommand.Operation operation,
        EventId eventId,
        RecordKey record,
        String partitionId,
        List<String> path,
        List<String> sourcePath,
        BigDecimal quantity,
        Map<MeasureRef, Integer> consumeSigns,
        String fingerprint) {
    public ResolvedAllocation {
        path = List.copyOf(path);
        sourcePath = List.copyOf(sourcePath);
        consumeSigns = Map.copyOf(consumeSigns);
    }
}
