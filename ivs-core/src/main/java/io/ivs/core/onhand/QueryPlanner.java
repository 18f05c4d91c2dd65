package io.ivs.core.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.DimensionResolver;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates index and exact queries against the configuration and the documented limits, and
 * plans them as an {@link OnHandQuery} in base dimensions (spec §2.7–§2.9, A15, A16, A23, A27).
 */
public final class QueryPlanner {
    public static final String NO_INDEX_MESSAGE = "No index hierarchy has been set.";
    private static final String ORGANIZATION = "organizationid";
    private static final String PRODUCT = "productid";

    private QueryPlanner() {}

    public static OnHandQuery plan(
            RuntimeConfiguration config, QueryRequest request, int apiVersion) {
        if (!config.hasQueryIndex()) {
            throw new InvalidInputException("", NO_INDEX_MESSAGE);
        }
        return request.exactKeys() == null
                ? planIndex(config, request, apiVersion)
                : planExact(config, request, apiVersion);
    }

    private static OnHandQuery planIndex(
            RuntimeConfiguration config, QueryRequest request, int apiVersion) {
        Map<String, List<String>> raw = lowerKeys(request.filters());
        List<String> orgs = organizations(raw, apiVersion, true);
        List<String> products = products(config, raw);
        DimensionResolver resolver = DimensionResolver.of(config, request.dimensionDataSource());
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : request.filters().entrySet()) {
            String lower = entry.getKey().strip().toLowerCase(Locale.ROOT);
            if (lower.equals(ORGANIZATION) || lower.equals(PRODUCT)) {
                continue;
            }
            String field = "filters." + entry.getKey();
            String base = resolver.resolve(field, entry.getKey());
            if (entry.getValue().size() > Limits.QUERY_FILTER_VALUES_MAX) {
                throw new InvalidInputException(
                        field, "lists more than " + Limits.QUERY_FILTER_VALUES_MAX + " values");
            }
            if (filters.containsKey(base)) {
                throw new InvalidInputException(
                        field,
                        "filters base dimension '" + BaseDimension.canonical(base)
                                + "' a second time");
            }
            if (!entry.getValue().isEmpty()) {
                filters.put(base, List.copyOf(new LinkedHashSet<>(entry.getValue())));
            }
        }
        checkPartitionFilters(config, products, filters, apiVersion);
        List<String> groupBy = groupBy(config, resolver, request.groupBy(), List.of());
        return new OnHandQuery(
                orgs, products, filters, List.of(), groupBy, request.returnNegative());
    }

    private static void checkPartitionFilters(
            RuntimeConfiguration config,
            List<String> products,
            Map<String, List<String>> filters,
            int apiVersion) {
        if (!config.partitionRule().byLocation()) {
            return;
        }
        List<String> sites = filters.getOrDefault(BaseDimension.SITE, List.of());
        List<String> locations = filters.getOrDefault(BaseDimension.LOCATION, List.of());
        if (products.isEmpty() && (sites.isEmpty() || locations.isEmpty())) {
            throw new InvalidInputException(
                    "filters",
                    "under the " + config.partitionRule().label() + " partition rule,"
                            + " give productId values or both siteId and locationId values");
        }
        long pairs = (long) Math.max(1, sites.size()) * Math.max(1, locations.size());
        if (apiVersion < 2 && pairs > Limits.QUERY_SITE_LOCATION_PAIRS_MAX) {
            throw new InvalidInputException(
                    "filters",
                    "siteId x locationId gives " + pairs
                            + " combinations; at most " + Limits.QUERY_SITE_LOCATION_PAIRS_MAX
                            + " are allowed (use Api-Version 2.0 for more)");
        }
    }

    private static OnHandQuery planExact(
            RuntimeConfiguration config, QueryRequest request, int apiVersion) {
        Map<String, List<String>> raw = lowerKeys(request.filters());
        List<String> products = products(config, raw);
        DimensionResolver resolver = DimensionResolver.of(config, request.dimensionDataSource());
        List<String> rawKeys = request.exactKeys();
        String keysField = apiVersion >= 2 ? "filters.keys" : "filters.dimensions";
        for (String name : request.filters().keySet()) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (!lower.equals(ORGANIZATION) && !lower.equals(PRODUCT)) {
                throw new InvalidInputException(
                        "filters." + name,
                        "is not a filter of an exact query; list the dimension in " + keysField
                                + " and its values in filters.values");
            }
        }
        List<String> keys = new ArrayList<>();
        for (String key : rawKeys == null ? List.<String>of() : rawKeys) {
            String lower = key.strip().toLowerCase(Locale.ROOT);
            String base = lower.equals(ORGANIZATION) && apiVersion >= 2
                    ? ORGANIZATION
                    : resolver.resolve(keysField, key);
            if (keys.contains(base)) {
                throw new InvalidInputException(keysField, "'" + key + "' is listed twice");
            }
            keys.add(base);
        }
        if (config.partitionRule().byLocation()
                && !(keys.contains(BaseDimension.SITE) && keys.contains(BaseDimension.LOCATION))) {
            throw new InvalidInputException(
                    keysField,
                    "must contain siteId and locationId under the "
                            + config.partitionRule().label() + " partition rule");
        }
        List<Map<String, String>> tuples = tuples(keys, request.exactValues());
        if (keys.contains(ORGANIZATION) && raw.containsKey(ORGANIZATION)) {
            throw new InvalidInputException(
                    "filters.organizationId",
                    "give the organizations" + " either in " + keysField
                            + " or in filters.organizationId, not both");
        }
        List<String> orgs = keys.contains(ORGANIZATION)
                ? tuples.stream().map(t -> t.get(ORGANIZATION)).distinct().toList()
                : organizations(raw, apiVersion, false);
        List<String> dims = keys.stream().filter(k -> !k.equals(ORGANIZATION)).toList();
        List<String> groupBy = groupBy(config, resolver, request.groupBy(), dims);
        return new OnHandQuery(orgs, products, Map.of(), tuples, groupBy, request.returnNegative());
    }

    private static List<Map<String, String>> tuples(List<String> keys, List<List<String>> values) {
        if (values.isEmpty()) {
            throw new InvalidInputException("filters.values", "must contain at least one tuple");
        }
        if (values.size() > Limits.EXACT_QUERY_TUPLES_MAX) {
            throw new InvalidInputException(
                    "filters.values", "has more than " + Limits.EXACT_QUERY_TUPLES_MAX + " tuples");
        }
        Set<Map<String, String>> tuples = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            List<String> tuple = values.get(i);
            if (tuple.size() != keys.size()) {
                throw new InvalidInputException(
                        "filters.values[" + i + "]",
                        "has " + tuple.size() + " values but " + keys.size()
                                + " dimensions are listed");
            }
            Map<String, String> entry = new LinkedHashMap<>();
            for (int k = 0; k < keys.size(); k++) {
                entry.put(
                        keys.get(k),
                        Limits.requireLength("filters.values[" + i + "]", tuple.get(k)));
            }
            tuples.add(entry);
        }
        return List.copyOf(tuples);
    }

    private static List<String> organizations(
            Map<String, List<String>> raw, int apiVersion, boolean indexQuery) {
        List<String> orgs = raw.get(ORGANIZATION);
        if (orgs == null || orgs.isEmpty()) {
            throw new InvalidInputException("filters.organizationId", "is required");
        }
        if (apiVersion < 2 && orgs.size() != 1) {
            throw new InvalidInputException(
                    "filters.organizationId",
                    "must have exactly one value"
                            + (indexQuery ? " (use Api-Version 2.0 for several)" : ""));
        }
        for (String org : orgs) {
            Limits.requireText("filters.organizationId", org);
        }
        return List.copyOf(new LinkedHashSet<>(orgs));
    }

    private static List<String> products(
            RuntimeConfiguration config, Map<String, List<String>> raw) {
        List<String> products = raw.getOrDefault(PRODUCT, List.of());
        if (products.size() > Limits.QUERY_PRODUCTS_MAX) {
            throw new InvalidInputException(
                    "filters.productId",
                    "lists more than " + Limits.QUERY_PRODUCTS_MAX + " products");
        }
        if (config.partitionRule().productsRequiredOnQueries() && products.isEmpty()) {
            throw new InvalidInputException(
                    "filters.productId",
                    "must list at least one product under the by-product partition rule");
        }
        for (String product : products) {
            Limits.requireText("filters.productId", product);
        }
        return List.copyOf(new LinkedHashSet<>(products));
    }

    private static List<String> groupBy(
            RuntimeConfiguration config,
            DimensionResolver resolver,
            List<String> requested,
            List<String> exactDims) {
        Set<String> groupBy = new LinkedHashSet<>();
        if (config.partitionRule().byLocation()) {
            groupBy.add(BaseDimension.SITE);
            groupBy.add(BaseDimension.LOCATION);
        }
        groupBy.addAll(exactDims);
        for (String name : requested) {
            groupBy.add(resolver.resolve("groupByValues", name));
        }
        return List.copyOf(groupBy);
    }

    private static Map<String, List<String>> lowerKeys(Map<String, List<String>> filters) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        filters.forEach((key, values) -> {
            String name = key.strip().toLowerCase(Locale.ROOT);
            if (lower.put(name, values) != null) {
                throw new InvalidInputException("filters." + key, "is given twice");
            }
        });
        return lower;
    }
}
