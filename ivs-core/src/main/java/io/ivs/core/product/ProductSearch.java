package io.ivs.core.product;

import io.ivs.core.Invariants;
import io.ivs.core.onhand.Limits;

import org.jspecify.annotations.Nullable;

/**
 * The {@code productSearch} of a query: a product filter, an attribute filter, or both, which a
 * product must then both satisfy. The bounds keep the one SQL statement a search compiles to
 * small: at most {@link #DEPTH_MAX} levels of filters and {@link #CONDITIONS_MAX} conditions in
 * all, each with at most {@link #VALUES_PER_CONDITION_MAX} values.
 */
public record ProductSearch(
        @Nullable SearchFilter productFilter, @Nullable SearchFilter attributeFilter) {
    /** Levels of filters, the top filter included. */
    public static final int DEPTH_MAX = 4;

    /** Conditions in one search, both filters and all their sub-filters together. */
    public static final int CONDITIONS_MAX = 64;

    public static final int VALUES_PER_CONDITION_MAX = 100;

    /**
     * Products one search may select: the most an on-hand query takes (spec A27). A search that
     * selects more is refused with a request to narrow it, since an answer for a silently cut
     * list would look complete.
     */
    public static final int MATCHED_PRODUCTS_MAX = Limits.QUERY_PRODUCTS_MAX;

    public ProductSearch {
        Invariants.check(
                productFilter != null || attributeFilter != null, "a search without filters");
    }
}
