package io.ivs.core.product;

import io.ivs.core.Invariants;

import java.util.List;

/**
 * A filter: its conditions and sub-filters joined by one logical operator. A product filter holds
 * only {@link SearchCondition.OnProduct} conditions, an attribute filter only {@link
 * SearchCondition.OnAttribute} ones, at every depth.
 */
public record SearchFilter(
        LogicalOperator operator, List<SearchCondition> conditions, List<SearchFilter> subFilters) {
    public SearchFilter {
        conditions = List.copyOf(conditions);
        subFilters = List.copyOf(subFilters);
        Invariants.check(
                !conditions.isEmpty() || !subFilters.isEmpty(),
                "a filter without conditions or sub-filters");
    }

    /** The depth of the filter: 1 without sub-filters. */
    public int depth() {
        int deepest = 0;
        for (SearchFilter sub : subFilters) {
            deepest = Math.max(deepest, sub.depth());
        }
        return deepest + 1;
    }

    /** The number of conditions at every depth. */
    public int conditionCount() {
        int count = conditions.size();
        for (SearchFilter sub : subFilters) {
            count += sub.conditionCount();
        }
        return count;
    }
}
