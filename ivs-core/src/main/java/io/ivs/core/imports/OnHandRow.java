package io.ivs.core.imports;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One accepted row as an on-hand item: the fields of a change event or a set-on-hand record
 * ({@code quantities} by data source, then measure), and the line it came from.
 */
public record OnHandRow(
        long line,
        String id,
        String organizationId,
        String productId,
        Map<String, String> dimensions,
        Map<String, Map<String, BigDecimal>> quantities) {
    public OnHandRow {
        dimensions = Map.copyOf(dimensions);
        quantities = Map.copyOf(quantities);
    }

    /** The key that keeps one product's rows in order when batches go out in parallel. */
    public String partitionKey() {
        return organizationId + '\u0000' + productId;
    }
}
