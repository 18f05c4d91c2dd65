package io.ivs.core.onhand;

import java.util.List;
import java.util.Map;

/**
 * A validated on-hand query in base dimensions. A stored record matches when its organization and
 * product are listed (an empty product list means all products), its value of every filter
 * dimension is listed, and, when tuples are given, it equals at least one tuple. Matching records
 * are summed per organization, product and the values of {@code groupBy}.
 *
 * @param tuples exact-query tuples; keys are base dimensions or {@code organizationid}
 */
public record OnHandQuery(
        List<String> organizationIds,
        List<String> productIds,
        Map<String, List<String>> filters,
        List<Map<String, String>> tuples,
        List<String> groupBy,
        boolean returnNegative) {
    public static final String ORGANIZATION_KEY = "organizationid";

    public OnHandQuery {
        organizationIds = List.copyOf(organizationIds);
        productIds = List.copyOf(productIds);
        filters = Map.copyOf(filters);
        tuples = List.copyOf(tuples);
        groupBy = List.copyOf(groupBy);
    }
}
