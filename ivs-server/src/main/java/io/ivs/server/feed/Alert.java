package io.ivs.server.feed;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;

/**
 * The payload of an {@code alert} change: a stock alert rule saw its measure cross a level.
 *
 * @param type the event type, one of {@link EventTypes#ALERTS}
 * @param rule the name of the rule that fired
 * @param measure the measure the rule watches, {@code ds.measure}
 * @param threshold the level crossed: {@code 0} for {@code stock.out} / {@code stock.back}, the
 *     rule's threshold for {@code stock.below} / {@code stock.recovered}
 * @param value the measure at the rule's level when the crossing was seen
 * @param previous the value the rule saw before; null when it had not seen the product yet
 */
public record Alert(
        String type,
        String rule,
        String measure,
        BigDecimal threshold,
        BigDecimal value,
        @Nullable BigDecimal previous) {}
