package io.ivs.server.console;

import io.ivs.core.onhand.QueryRequest;

import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The explorer's query form, as sent (GET parameters, so a query can be bookmarked and
 * downloaded as CSV). Lists are comma-separated; other dimensions are lines of
 * {@code dimension = value, value}.
 */
public record OnHandForm(
        @Nullable String organizationId,
        @Nullable String productIds,
        @Nullable String siteIds,
        @Nullable String locationIds,
        @Nullable String dimensions,
        @Nullable String groupBy,
        @Nullable String dimensionDataSource,
        @Nullable Boolean returnNegative) {
    static final String GROUP_BY_DEFAULT = "siteId, locationId";

    public static OnHandForm empty() {
        return new OnHandForm(null, null, null, null, null, GROUP_BY_DEFAULT, null, true);
    }

    /** Whether negative values are shown; an unticked box is not sent at all. */
    public boolean negative() {
        return Boolean.TRUE.equals(returnNegative);
    }

    /** Whether the form was submitted (an organization is required to query). */
    public boolean submitted() {
        return organizationId != null;
    }

    /** The index query this form asks for, with names unresolved, as the API receives it. */
    QueryRequest request() {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        filters.put("organizationId", List.of(Objects.requireNonNullElse(organizationId, "")));
        put(filters, "productId", productIds);
        put(filters, "siteId", siteIds);
        put(filters, "locationId", locationIds);
        ConfigurationEditor.pairLines("dimensions", text(dimensions))
                .forEach((name, values) ->
                        filters.put(name, ConfigurationEditor.list("dimensions." + name, values)));
        String source = dimensionDataSource == null || dimensionDataSource.isBlank()
                ? null
                : dimensionDataSource.strip();
        return new QueryRequest(
                source,
                filters,
                ConfigurationEditor.list("groupBy", text(groupBy)),
                negative(),
                null,
                List.of());
    }

    private static void put(Map<String, List<String>> filters, String name, @Nullable String text) {
        List<String> values = ConfigurationEditor.list(name, text(text));
        if (!values.isEmpty()) {
            filters.put(name, values);
        }
    }

    private static String text(@Nullable String value) {
        return value == null ? "" : value;
    }
}
