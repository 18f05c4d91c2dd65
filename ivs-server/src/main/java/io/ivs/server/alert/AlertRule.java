package io.ivs.server.alert;

import io.ivs.core.measure.MeasureRef;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stock alert rule of one environment.
 *
 * @param measure the measure watched, physical or calculated
 * @param productId the one product watched; null: every product of the organization
 * @param dimensions the level: base dimension (lower-case) to value, e.g. siteid and locationid;
 *     empty: the organization as a whole
 * @param threshold the level below which (at or below) the rule reports {@code stock.below};
 *     0 reports only {@code stock.out} / {@code stock.back}
 * @param hysteresis how far above the threshold (or 0) the value must rise again before the
 *     rule reports a recovery, so that a value hovering at the level does not flap
 */
record AlertRule(
        String name,
        MeasureRef measure,
        String organizationId,
        @Nullable String productId,
        Map<String, String> dimensions,
        BigDecimal threshold,
        BigDecimal hysteresis) {
    AlertRule {
        dimensions = Map.copyOf(new TreeMap<>(dimensions));
    }

    boolean appliesTo(String organization, String product) {
        return organizationId.equals(organization)
                && (productId == null || productId.equals(product));
    }
}
