package io.ivs.core.onhand;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
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
        List<DataSourceConfig> sources = sortedSources(config);
        for (AggregatedRow row : rows) {
            keyed.add(new SortKey(new ResultRow(
                    row.organizationId(),
                    row.productId(),
                    dimensions(query.groupBy(), row.groupValues()),
                    quantities(sources, row.physical(), query.returnNegative()))));
        }
        // Sort keys are computed once per row rather than once per comparison.
        keyed.sort(null);
        List<ResultRow> result = new ArrayList<>(keyed.size());
        keyed.forEach(k -> result.add(k.row()));
        return result;
    }

    private static List<DataSourceConfig> sortedSources(RuntimeConfiguration config) {
        List<DataSourceConfig> sources = new ArrayList<>(config.dataSources().values());
        sources.sort(Comparator.comparing(DataSourceConfig::key));
        return sources;
    }

    /** One result row of an aggregated row. */
    public static ResultRow row(RuntimeConfiguration config, OnHandQuery query, AggregatedRow row) {
        return new ResultRow(
                row.organizationId(),
                row.productId(),
                dimensions(query.groupBy(), row.groupValues()),
                quantities(sortedSources(config), row.physical(), query.returnNegative()));
    }

    /** A row with the values {@link #ORDER} compares, extracted once. */
    private record SortKey(
            String organizationId,
            String site,
            String location,
            String productId,
            String dimensions,
            ResultRow row)
            implements Comparable<SortKey> {
        SortKey(ResultRow row) {
            this(
                    row.organizationId(),
                    row.dimensions().getOrDefault(BaseDimension.SITE, ""),
                    row.dimensions().getOrDefault(BaseDimension.LOCATION, ""),
                    row.productId(),
                    row.dimensions().toString(),
                    row);
        }

        @Override
        public int compareTo(SortKey other) {
            int c = organizationId.compareTo(other.organizationId);
            if (c == 0) {
                c = site.compareTo(other.site);
            }
            if (c == 0) {
                c = location.compareTo(other.location);
            }
            if (c == 0) {
                c = productId.compareTo(other.productId);
            }
            return c != 0 ? c : dimensions.compareTo(other.dimensions);
        }
    }

    /** Organization, then site and location (the warehouse order of paging), then the rest. */
    public static final Comparator<ResultRow> ORDER = Comparator.comparing(
                    ResultRow::organizationId)
            .thenComparing(row -> row.dimensions().getOrDefault(BaseDimension.SITE, ""))
            .thenComparing(row -> row.dimensions().getOrDefault(BaseDimension.LOCATION, ""))
            .thenComparing(ResultRow::productId)
            .thenComparing(row -> row.dimensions().toString());

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

    /** @param sources the configured data sources, sorted by key once per query */
    private static Map<String, Map<String, BigDecimal>> quantities(
            List<DataSourceConfig> sources,
            Map<MeasureRef, BigDecimal> physical,
            boolean returnNegative) {
        Map<String, Map<String, BigDecimal>> out = new LinkedHashMap<>();
        for (DataSourceConfig ds : sources) {
            String key = ds.key();
            Map<String, BigDecimal> values = new TreeMap<>();
            physical.forEach((ref, value) -> {
                if (ref.dataSource().equals(key) && ds.physicalMeasures().contains(ref.measure())) {
                    values.put(ref.measure(), plain(value));
                }
            });
            for (CalculatedMeasure calculated : ds.calculatedMeasures().values()) {
                if (calculated.hasAnyComponentIn(physical)) {
                    BigDecimal value = calculated.evaluate(physical);
                    if (!returnNegative && value.signum() < 0) {
                        value = BigDecimal.ZERO;
                    }
                    values.put(calculated.name(), plain(value));
                }
            }
            if (!values.isEmpty()) {
                out.put(ds.name(), values);
            }
        }
        return out;
    }

    /**
     * The IV {@code quantities} object of one set of physical values: configured physical
     * measures by data source, and the calculated measures that have a component among them.
     */
    public static Map<String, Map<String, BigDecimal>> quantities(
            RuntimeConfiguration config,
            Map<MeasureRef, BigDecimal> physical,
            boolean returnNegative) {
        return quantities(sortedSources(config), physical, returnNegative);
    }

    /** Without exponent notation, which a trailing-zero strip would otherwise produce. */
    public static BigDecimal plain(BigDecimal value) {
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
