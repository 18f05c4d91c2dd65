package io.ivs.core.atp;

import io.ivs.core.measure.Quantities;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A change schedule's {@code quantitiesByDate} as the client sent it: per date text, not yet
 * parsed, the quantities of that day, in the order given. The resolver parses and checks the
 * dates, so a date is kept as text and a day may be empty.
 */
public final class QuantitiesByDate {
    private static final QuantitiesByDate EMPTY = new QuantitiesByDate(Map.of());

    private final Map<String, Quantities> byDate;

    private QuantitiesByDate(Map<String, Quantities> byDate) {
        this.byDate = byDate;
    }

    public static QuantitiesByDate empty() {
        return EMPTY;
    }

    /** The days in the map's iteration order; date texts are distinct as map keys are. */
    public static QuantitiesByDate of(Map<String, Quantities> byDate) {
        if (byDate.isEmpty()) {
            return EMPTY;
        }
        Map<String, Quantities> copy = new LinkedHashMap<>();
        byDate.forEach((date, quantities) -> copy.put(
                Objects.requireNonNull(date, "date"),
                Objects.requireNonNull(quantities, "quantities")));
        return new QuantitiesByDate(Collections.unmodifiableMap(copy));
    }

    /** The wire's nested shape: date text, data source, measure. */
    public static QuantitiesByDate fromNested(
            Map<String, ? extends Map<String, ? extends Map<String, BigDecimal>>> nested) {
        Map<String, Quantities> byDate = new LinkedHashMap<>();
        nested.forEach((date, quantities) -> byDate.put(date, Quantities.fromNested(quantities)));
        return of(byDate);
    }

    /** Each date text, in order, with its quantities; read-only. */
    public Map<String, Quantities> asMap() {
        return byDate;
    }

    /** The quantities of a date, the text compared exactly; null when the date is absent. */
    public @Nullable Quantities get(String date) {
        return byDate.get(date);
    }

    /** The number of dates. */
    public int size() {
        return byDate.size();
    }

    public boolean isEmpty() {
        return byDate.isEmpty();
    }

    /** The nested shape, date text then data source then measure, in order; read-only. */
    public Map<String, Map<String, Map<String, BigDecimal>>> toNested() {
        Map<String, Map<String, Map<String, BigDecimal>>> nested = new LinkedHashMap<>();
        byDate.forEach((date, quantities) -> nested.put(date, quantities.toNested()));
        return Collections.unmodifiableMap(nested);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other == this
                || other instanceof QuantitiesByDate that && byDate.equals(that.byDate);
    }

    @Override
    public int hashCode() {
        return byDate.hashCode();
    }

    @Override
    public String toString() {
        return byDate.toString();
    }
}
