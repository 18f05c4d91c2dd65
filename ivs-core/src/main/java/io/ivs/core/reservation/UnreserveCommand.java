package io.ivs.core.reservation;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.Map;

/** An unreserve event as the client sent it (spec §1.3 UnreserveEvent). */
public record UnreserveCommand(
        String id,
        String organizationId,
        String productId,
        @Nullable String dimensionDataSource,
        Map<String, String> dimensions,
        String reservationId,
        BigDecimal offsetQuantity) {
    public UnreserveCommand {
        dimensions = Map.copyOf(dimensions);
    }
}
