package io.ivs.core.measure;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A named formula owned by one data source: the sum of its addition components minus the sum of
 * its subtraction components, all physical measures (spec §3.6). Missing components count as 0.
 */
public record CalculatedMeasure(
        String name, List<MeasureRef> additions, List<MeasureRef> subtractions) {
    public CalculatedMeasure {
        additions = List.copyOf(additions);
        subtractions = List.copyOf(subtractions);
    }

    /** True when at least one component has a value in the row (spec A13). */
    public boolean hasAnyComponentIn(Map<MeasureRef, BigDecimal> physical) {
        for (MeasureRef ref : additions) {
            if (physical.containsKey(ref)) {
                return true;
            }
        }
        for (MeasureRef ref : subtractions) {
            if (physical.containsKey(ref)) {
                return true;
            }
        }
        return false;
    }

    public BigDecimal evaluate(Map<MeasureRef, BigDecimal> physical) {
        // Indexed loops: an answer of 1,000 rows evaluates this thousands of times, and the
        // lists' iterators were 6 % of such an answer's allocation (docs/performance.md,
        // 2026-12-07).
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < additions.size(); i++) {
            total = total.add(physical.getOrDefault(additions.get(i), BigDecimal.ZERO));
        }
        for (int i = 0; i < subtractions.size(); i++) {
            total = total.subtract(physical.getOrDefault(subtractions.get(i), BigDecimal.ZERO));
        }
        return total;
    }

    public List<MeasureRef> components() {
        return java.util.stream.Stream.concat(additions.stream(), subtractions.stream())
                .toList();
    }
}
