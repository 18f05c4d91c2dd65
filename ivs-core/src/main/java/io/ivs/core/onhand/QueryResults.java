package io.ivs.core.onhand;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns aggregated physical values into IV result rows: calculated measures are evaluated on the
 * aggregated row and appear when at least one component has a value (A13); with
 * {@code returnNegative} false a negative calculated value is shown as 0 (A12).
 */
public final class QueryResults {
    private QueryResults() {}

    public static List<ResultRow> assemble(
            RuntimeConfiguration config, OnHandQuery query, List<AggregatedRow> rows) {
        List<SortKey> keyed = new ArrayList<>(rows.size());
        Measures measures = new Measures(config);
        // Many rows share their group-by values (the same warehouses for every product): their
        // dimensions and the tail of their sort key are made once and shared (read-only).
        Map<List<String>, Dimensions> shared = new HashMap<>();
        for (AggregatedRow row : rows) {
            Dimensions dims = shared.computeIfAbsent(
                    row.groupValues(), values -> Dimensions.of(query.groupBy(), values));
            keyed.add(new SortKey(
                    new ResultRow(
                            row.organizationId(),
                            row.productId(),
                            dims.map(),
                            measures.quantities(row.physical(), query.returnNegative())),
                    dims.sortTail()));
        }
        // Sort keys are computed once per row rather than once per comparison.
        keyed.sort(null);
        List<ResultRow> result = new ArrayList<>(keyed.size());
        keyed.forEach(k -> result.add(k.row()));
        return result;
    }

    /** One result row of an aggregated row. */
    public static ResultRow row(RuntimeConfiguration config, OnHandQuery query, AggregatedRow row) {
        return new ResultRow(
                row.organizationId(),
                row.productId(),
                dimensions(query.groupBy(), row.groupValues()),
                new Measures(config).quantities(row.physical(), query.returnNegative()));
    }

    /**
     * A row and the values {@link #ORDER} compares, joined once into one string with U+0000
     * between them. Stored values cannot contain U+0000 (PostgreSQL text refuses it, and the API
     * refuses it on input), and it sorts before every other character, so comparing the joined
     * strings orders rows exactly as comparing the values one by one does, at one comparison.
     */
    private record SortKey(String key, ResultRow row) implements Comparable<SortKey> {
        SortKey(ResultRow row, String dimensionValues) {
            this(
                    new StringBuilder(64 + dimensionValues.length())
                            .append(row.organizationId())
                            .append('\u0000')
                            .append(row.dimensions().getOrDefault(BaseDimension.SITE, ""))
                            .append('\u0000')
                            .append(row.dimensions().getOrDefault(BaseDimension.LOCATION, ""))
                            .append('\u0000')
                            .append(row.productId())
                            .append(dimensionValues)
                            .toString(),
                    row);
        }

        @Override
        public int compareTo(SortKey other) {
            return key.compareTo(other.key);
        }
    }

    /**
     * Organization, then site and location (the warehouse order of paging), then product, then
     * the dimension values.
     */
    public static final Comparator<ResultRow> ORDER = Comparator.comparing(
                    ResultRow::organizationId)
            .thenComparing(row -> row.dimensions().getOrDefault(BaseDimension.SITE, ""))
            .thenComparing(row -> row.dimensions().getOrDefault(BaseDimension.LOCATION, ""))
            .thenComparing(ResultRow::productId)
            .thenComparing(QueryResults::compareDimensionValues);

    /** The rows' dimension values compared one by one, in the rows' order (group-by order). */
    private static int compareDimensionValues(ResultRow a, ResultRow b) {
        Iterator<String> left = a.dimensions().values().iterator();
        Iterator<String> right = b.dimensions().values().iterator();
        while (left.hasNext() && right.hasNext()) {
            int order = left.next().compareTo(right.next());
            if (order != 0) {
                return order;
            }
        }
        return Boolean.compare(left.hasNext(), right.hasNext());
    }

    /** Output names (A14): site and location lower-case, other dimensions in documented casing. */
    private static Map<String, String> dimensions(List<String> groupBy, List<String> values) {
        Map<String, String> dims = new LinkedHashMap<>();
        for (int i = 0; i < groupBy.size(); i++) {
            String name = groupBy.get(i);
            dims.put(
                    BaseDimension.isPartition(name) ? name : BaseDimension.canonical(name),
                    values.get(i));
        }
        return dims;
    }

    /**
     * A row's dimensions (read-only, shared by the rows with the same group-by values) and the
     * last part of their sort key: each value after U+0000, in group-by order.
     */
    private record Dimensions(Map<String, String> map, String sortTail) {
        static Dimensions of(List<String> groupBy, List<String> values) {
            Map<String, String> map = dimensions(groupBy, values);
            StringBuilder tail = new StringBuilder(32);
            for (String value : map.values()) {
                tail.append('\u0000').append(value);
            }
            return new Dimensions(Collections.unmodifiableMap(map), tail.toString());
        }
    }

    /**
     * The IV {@code quantities} object of one set of physical values: configured physical
     * measures by data source, and the calculated measures that have a component among them.
     */
    public static Quantities quantities(
            RuntimeConfiguration config,
            Map<MeasureRef, BigDecimal> physical,
            boolean returnNegative) {
        return new Measures(config).quantities(physical, returnNegative);
    }

    /**
     * The configuration's measures arranged once for many rows: data sources in key order, and
     * each calculated measure under each of its components, so a row evaluates only the
     * calculated measures it has a component of (A13) instead of testing every one.
     */
    private static final class Measures {
        private final List<DataSourceConfig> sources;
        private final Map<String, Integer> sourceIndex = new HashMap<>();
        private final Map<MeasureRef, List<Calculated>> byComponent = new HashMap<>();

        /** A calculated measure, its data source and its number among all of them. */
        private record Calculated(int source, CalculatedMeasure measure, int number) {}

        private int calculatedCount;

        Measures(RuntimeConfiguration config) {
            sources = new ArrayList<>(config.dataSources().values());
            sources.sort(Comparator.comparing(DataSourceConfig::key));
            for (int i = 0; i < sources.size(); i++) {
                sourceIndex.put(sources.get(i).key(), i);
                for (CalculatedMeasure calculated :
                        sources.get(i).calculatedMeasures().values()) {
                    Calculated entry = new Calculated(i, calculated, calculatedCount++);
                    for (MeasureRef component : calculated.components()) {
                        List<Calculated> list =
                                byComponent.computeIfAbsent(component, k -> new ArrayList<>());
                        if (!list.contains(entry)) {
                            list.add(entry);
                        }
                    }
                }
            }
        }

        Quantities quantities(Map<MeasureRef, BigDecimal> physical, boolean returnNegative) {
            @SuppressWarnings("unchecked")
            Map<String, BigDecimal>[] bySource = new Map[sources.size()];
            List<Calculated> evaluated = new ArrayList<>();
            boolean[] seen = new boolean[calculatedCount];
            physical.forEach((ref, value) -> {
                Integer index = sourceIndex.get(ref.dataSource());
                if (index != null
                        && sources.get(index).physicalMeasures().contains(ref.measure())) {
                    values(bySource, index).put(ref.measure(), plain(value));
                }
                for (Calculated calculated : byComponent.getOrDefault(ref, List.of())) {
                    if (!seen[calculated.number()]) {
                        seen[calculated.number()] = true;
                        evaluated.add(calculated);
                    }
                }
            });
            for (Calculated calculated : evaluated) {
                BigDecimal value = calculated.measure().evaluate(physical);
                // Not a repair: a negative calculated value is real (oversold stock), and the
                // caller asked to see it as zero (returnNegative false, A12).
                if (!returnNegative && value.signum() < 0) {
                    value = BigDecimal.ZERO;
                }
                values(bySource, calculated.source())
                        .put(calculated.measure().name(), plain(value));
            }
            Quantities.Builder out = Quantities.builder();
            for (int i = 0; i < bySource.length; i++) {
                if (bySource[i] != null) {
                    out.addAll(sources.get(i).name(), bySource[i]);
                }
            }
            return out.build();
        }

        private static Map<String, BigDecimal> values(Map<String, BigDecimal>[] bySource, int i) {
            if (bySource[i] == null) {
                bySource[i] = new TreeMap<>();
            }
            return bySource[i];
        }
    }

    /** Without exponent notation, which a trailing-zero strip would otherwise produce. */
    public static BigDecimal plain(BigDecimal value) {
        if (value.scale() == 0) {
            return value;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** The rows of page {@code pageNumber} (1-based), a page being {@code pageSize} warehouses. */
    public static Page page(List<ResultRow> sortedRows, int pageNumber, int pageSize) {
        List<String> warehouses =
                sortedRows.stream().map(QueryResults::warehouse).distinct().toList();
        long from = (long) (pageNumber - 1) * pageSize;
        long to = Math.min(warehouses.size(), from + pageSize);
        if (from >= warehouses.size()) {
            return new Page(List.of(), false);
        }
        java.util.Set<String> selected =
                new java.util.HashSet<>(warehouses.subList((int) from, (int) to));
        List<ResultRow> rows =
                sortedRows.stream().filter(r -> selected.contains(warehouse(r))).toList();
        return new Page(rows, to < warehouses.size());
    }

    private static String warehouse(ResultRow row) {
        return row.organizationId()
                + '\u0000'
                + row.dimensions().getOrDefault(BaseDimension.SITE, "")
                + '\u0000'
                + row.dimensions().getOrDefault(BaseDimension.LOCATION, "");
    }

    public record Page(List<ResultRow> rows, boolean hasNext) {}
}
