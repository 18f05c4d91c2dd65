package io.ivs.core.onhand;

import io.ivs.core.measure.Quantities;

import java.util.Map;

/**
 * One row of a query result in IV's shape: dimensions keyed by their output names, quantities
 * keyed by data source (configured case) and lower-case measure name, physical and calculated.
 */
public record ResultRow(
        String organizationId,
        String productId,
        Map<String, String> dimensions,
        Quantities quantities) {}
