package io.ivs.core.onhand;

import io.ivs.core.measure.Quantities;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An on-hand change or set event as the client sent it, names not yet resolved. For a change the
 * quantities are deltas; for a set they are absolute values observed at {@code modifiedAt}, and
 * {@code reservationOffsets} names reservations the set's stock consumed (sets only).
 */
public record OnHandChange(
        String id,
        String organizationId,
        String productId,
        @Nullable String dimensionDataSource,
        Map<String, String> dimensions,
        Quantities quantities,
        @Nullable Instant modifiedAt,
        List<ReservationOffset> reservationOffsets) {
    public OnHandChange {
        dimensions = Map.copyOf(dimensions);
        reservationOffsets = List.copyOf(reservationOffsets);
    }

    /** An event without reservation offsets. */
    public OnHandChange(
            String id,
            String organizationId,
            String productId,
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions,
            Quantities quantities,
            @Nullable Instant modifiedAt) {
        this(
                id,
                organizationId,
                productId,
                dimensionDataSource,
                dimensions,
                quantities,
                modifiedAt,
                List.of());
    }
}
