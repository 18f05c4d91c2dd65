package io.ivs.core.measure;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
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
        BigDecimal total = BigDecimal.ZERO;
        for (MeasureRef ref : additions) {
            total = total.add(physical.getOrDefault(ref, BigDecimal.ZERO));
        }
        for (MeasureRef ref : subtractions) {
            total = total.subtract(physical.getOrDefault(ref, BigDecimal.ZERO));
        }
        return total;
    }

    /**
     * The additions, then the subtractions. Without a stream: an answer asks each calculated
     * measure for its components, and each checked reservation its availability measure's,
     * and the stream's set-up was 1.4 % of a 1,000-row answer's time (docs/performance.md,
     * 2026-12-07).
     */
    public List<MeasureRef> components() {
        List<MeasureRef> all = new ArrayList<>(additions.size() + subtractions.size());
        all.addAll(additions);
        all.addAll(subtractions);
        return Collections.unmodifiableList(all);
    }
}
