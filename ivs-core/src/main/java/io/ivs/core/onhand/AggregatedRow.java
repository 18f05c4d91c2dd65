package io.ivs.core.onhand;

import io.ivs.core.measure.MeasureRef;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Summed physical values of the records that share an organization, a product and the values of
 * the query's group-by dimensions ({@code groupValues}, aligned with {@link OnHandQuery#groupBy()};
 * a record without a value for a dimension contributes the empty string).
 */
public record AggregatedRow(
        String organizationId,
        String productId,
        List<String> groupValues,
        Map<MeasureRef, BigDecimal> physical) {
    public AggregatedRow {
        groupValues = List.copyOf(groupValues);
        physical = Map.copyOf(physical);
    }
}
