package io.ivs.core.testing;

import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.RecordKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which records an {@link OnHandQuery} selects and how it groups them, as {@code OnHandQuerySql}
 * does: a record without a value for a dimension has the empty string there, in filters, tuples
 * and group-by values alike.
 */
final class QueryMatch {
    private QueryMatch() {}

    static boolean matches(OnHandQuery query, RecordKey record) {
        if (!query.organizationIds().contains(record.organizationId())) {
            return false;
        }
        if (!query.productIds().isEmpty() && !query.productIds().contains(record.productId())) {
            return false;
        }
        for (Map.Entry<String, List<String>> filter : query.filters().entrySet()) {
            if (!filter.getValue().contains(value(record, filter.getKey()))) {
                return false;
            }
        }
        return matchesTuples(query, record);
    }

    /** Tuples whose keys are empty select every record, as the statement then has no condition. */
    private static boolean matchesTuples(OnHandQuery query, RecordKey record) {
        if (query.tuples().isEmpty() || query.tuples().get(0).isEmpty()) {
            return true;
        }
        List<String> keys = List.copyOf(query.tuples().get(0).keySet());
        for (Map<String, String> tuple : query.tuples()) {
            boolean all = true;
            for (String key : keys) {
                all &= value(record, key).equals(tuple.get(key));
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Organization, product, then the group-by values in order. */
    static List<String> group(OnHandQuery query, RecordKey record) {
        List<String> group = new ArrayList<>(2 + query.groupBy().size());
        group.add(record.organizationId());
        group.add(record.productId());
        for (String dimension : query.groupBy()) {
            group.add(value(record, dimension));
        }
        return group;
    }

    private static String value(RecordKey record, String key) {
        if (key.equals(OnHandQuery.ORGANIZATION_KEY)) {
            return record.organizationId();
        }
        String value = record.dimensions().get(key);
        return value == null ? "" : value;
    }
}
