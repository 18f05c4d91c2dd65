package io.ivs.core.atp;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * A change schedule as the client sent it (spec A.3.2): dated, uncommitted changes to physical
 * measures, keyed by date text, then data source, then measure.
 */
public record ScheduleCommand(
        String id,
        String organizationId,
        String productId,
        @Nullable String dimensionDataSource,
        Map<String, String> dimensions,
        QuantitiesByDate quantitiesByDate) {
    public ScheduleCommand {
        dimensions = Map.copyOf(dimensions);
    }
}
