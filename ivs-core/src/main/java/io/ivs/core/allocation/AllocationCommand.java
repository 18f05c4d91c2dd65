package io.ivs.core.allocation;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.Map;

/**
 * An allocation request as the client sent it (spec B.4). {@code groups} is the target group
 * path by name (also {@code targetGroups}); {@code sourceGroups} only for reallocate;
 * {@code physicalMeasures} only for consume: data source → measure → Addition | Subtraction.
 */
public record AllocationCommand(
        Operation operation,
        String id,
        String organizationId,
        String productId,
        @Nullable String dimensionDataSource,
        Map<String, String> dimensions,
        Map<String, String> groups,
        Map<String, String> sourceGroups,
        BigDecimal quantity,
        Map<String, Map<String, String>> physicalMeasures) {
    public AllocationCommand {
        dimensions = Map.copyOf(dimensions);
        groups = Map.copyOf(groups);
        sourceGroups = Map.copyOf(sourceGroups);
        physicalMeasures = Map.copyOf(physicalMeasures);
    }

    /** The four writes of spec B.3, each its own idempotency family. */
    public enum Operation {
        ALLOCATE,
        UNALLOCATE,
        REALLOCATE,
        CONSUME;

        public String family() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
