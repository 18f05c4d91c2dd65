package io.ivs.core.onhand;

import io.ivs.core.measure.Quantities;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * An on-hand change or set event as the client sent it, names not yet resolved. For a change the
 * quantities are deltas; for a set they are absolute values observed at {@code modifiedAt}.
 */
public record OnHandChange(
        String id,
        String organizationId,
        String productId,
        @Nullable String dimensionDataSource,
        Map<String, String> dimensions,
        Quantities quantities,
        @Nullable Instant modifiedAt) {
    public OnHandChange {
        dimensions = Map.copyOf(dimensions);
    }
}
