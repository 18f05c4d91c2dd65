package io.ivs.core.reservation;

import io.ivs.core.measure.Quantities;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A reserve event as the client sent it (spec §1.3 ReserveEvent). The measure is given either as
 * {@code quantityDataSource} + {@code modifier} + {@code quantity} or as a {@code quantities} map
 * with one entry (A26). With {@code hold}, the reservation becomes a hold that lapses (IVS).
 */
public record ReserveCommand(
        String id,
        String organizationId,
        String productId,
        @Nullable String dimensionDataSource,
        Map<String, String> dimensions,
        @Nullable String quantityDataSource,
        @Nullable String modifier,
        @Nullable BigDecimal quantity,
        Quantities quantities,
        boolean checkAvailability,
        @Nullable HoldTerms hold) {
    public ReserveCommand {
        dimensions = Map.copyOf(dimensions);
    }

    /** A reserve without a hold: the reservation does not expire. */
    public ReserveCommand(
            String id,
            String organizationId,
            String productId,
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions,
            @Nullable String quantityDataSource,
            @Nullable String modifier,
            @Nullable BigDecimal quantity,
            Quantities quantities,
            boolean checkAvailability) {
        this(
                id,
                organizationId,
                productId,
                dimensionDataSource,
                dimensions,
                quantityDataSource,
                modifier,
                quantity,
                quantities,
                checkAvailability,
                null);
    }
}
