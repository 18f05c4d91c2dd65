package io.ivs.server.alert;

import io.ivs.server.feed.EventTypes;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rule last saw of one product: the value, whether it was out of stock and whether it was
 * at or below the threshold. {@link #next} is the whole crossing logic, a plain function.
 */
record AlertState(BigDecimal value, boolean out, boolean below) {
    /** The state a rule assumes for a product it has not seen: in stock, above the threshold. */
    static final AlertState UNSEEN = new AlertState(BigDecimal.ZERO, false, false);

    /** The next state and the alerts that moving to it reports. */
    record Step(AlertState state, List<String> alerts) {}

    /**
     * Moves to {@code value}. Out of stock is {@code value <= 0}; below is {@code value <=
     * threshold} (only when the threshold is above 0). Leaving either needs the value to rise
     * above the level plus {@code hysteresis}. A value that crosses nothing reports nothing.
     */
    static Step next(@Nullable AlertState previous, BigDecimal value, AlertRule rule) {
        AlertState from = previous == null ? UNSEEN : previous;
        List<String> alerts = new ArrayList<>(2);
        boolean out = from.out() ? value.compareTo(rule.hysteresis()) <= 0 : value.signum() <= 0;
        boolean watchesThreshold = rule.threshold().signum() > 0;
        boolean below = watchesThreshold
                && (from.below()
                        ? value.compareTo(rule.threshold().add(rule.hysteresis())) <= 0
                        : value.compareTo(rule.threshold()) <= 0);
        // Falling: below, then out; rising: back, then recovered.
        if (from.out() && !out) {
            alerts.add(EventTypes.STOCK_BACK);
        }
        if (watchesThreshold && below != from.below()) {
            alerts.add(below ? EventTypes.STOCK_BELOW : EventTypes.STOCK_RECOVERED);
        }
        if (!from.out() && out) {
            alerts.add(EventTypes.STOCK_OUT);
        }
        return new Step(new AlertState(value, out, below), List.copyOf(alerts));
    }
}
