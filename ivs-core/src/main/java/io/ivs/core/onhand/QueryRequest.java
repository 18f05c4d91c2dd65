package io.ivs.core.onhand;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * An index or exact query as the client sent it: names not yet resolved. For an index query,
 * {@code filters} holds every filter list (organizationId and productId included) and
 * {@code exactKeys} is null; for an exact query, {@code exactKeys} and {@code exactValues} hold
 * the dimension names and tuples.
 */
public record QueryRequest(
        @Nullable String dimensionDataSource,
        Map<String, List<String>> filters,
        List<String> groupBy,
        boolean returnNegative,
        @Nullable List<String> exactKeys,
        List<List<String>> exactValues) {
    public QueryRequest {
        filters = Map.copyOf(filters);
        groupBy = List.copyOf(groupBy);
        exactKeys = exactKeys == null ? null : List.copyOf(exactKeys);
        exactValues = List.copyOf(exactValues);
    }
}
