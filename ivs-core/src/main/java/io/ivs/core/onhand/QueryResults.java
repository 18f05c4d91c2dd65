package io.ivs.core.onhand;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.function.ObjIntConsumer;
import java.util.stream.IntStream;

/**
 * Turns aggregated physical values into IV result rows: calculated measures are evaluated on the
 * aggregated row and appear when at least one component has a value (A13); with
 * {@code returnNegative} false a negative calculated value is shown as 0 (A12).
 */
public final class QueryResults {
    private QueryResults() {}

    public static List<ResultRow> assemble(
            RuntimeConfiguration config, OnHandQuery query, List<AggregatedRow> rows) {
        Measures measures = new Measures(config);
        // Many rows share their group-by values (the same warehouses for every product): their
        // dimensions are made once, shared (read-only), and ranked once for the sort; so are
        // organizations and products, so that the sort orders numbers.
        Map<List<String>, Group> groups = new HashMap<>();
        Map<String, Rank> organizations = new HashMap<>();
        Map<String, Rank> products = new HashMap<>();
        int count = rows.size();
        ResultRow[] built = new ResultRow[count];
        Group[] groupOf = new Group[count];
        Rank[] organizationOf = new Rank[count];
        Rank[] productOf = new Rank[count];
        for (int i = 0; i < count; i++) {
            AggregatedRow row = rows.get(i);
            groupOf[i] = groups.computeIfAbsent(
                    row.groupValues(), values -> Group.of(query.groupBy(), values));
            organizationOf[i] =
                    organizations.computeIfAbsent(row.organizationId(), key -> new Rank());
            productOf[i] = products.computeIfAbsent(row.productId(), key -> new Rank());
            built[i] = new ResultRow(
                    row.organizationId(),
                    row.productId(),
                    groupOf[i].dimensions,
                    measures.quantities(row.physical(), query.returnNegative()));
        }
        Group.rank(groups.values());
        Rank.number(organizations);
        Rank.number(products);
        // The order of ORDER: organization, warehouse, product, then the dimension values. Each
        // is a rank below the number of rows, so the rows are sorted by one stable counting
        // sort per key, from the last key to the first (a radix sort): a few passes over arrays
        // of numbers instead of about n log n comparisons of rows.
        int[] order = IntStream.range(0, count).toArray();
        order = byRank(order, i -> groupOf[i].valuesRank, groups.size());
        order = byRank(order, i -> productOf[i].number, products.size());
        order = byRank(order, i -> groupOf[i].warehouseRank, groups.size());
        order = byRank(order, i -> organizationOf[i].number, organizations.size());
        List<ResultRow> result = new ArrayList<>(count);
        for (int i : order) {
            result.add(built[i]);
        }
        return result;
    }

    /**
     * {@code order} (row numbers) stably sorted by the rows' ranks, each below {@code ranks}: a
     * counting sort.
     */
    private static int[] byRank(int[] order, IntUnaryOperator rankOf, int ranks) {
        int[] start = new int[ranks + 1];
        for (int row : order) {
            start[rankOf.applyAsInt(row) + 1]++;
        }
        for (int r = 0; r < ranks; r++) {
            start[r + 1] += start[r];
        }
        int[] sorted = new int[order.length];
        for (int row : order) {
            sorted[start[rankOf.applyAsInt(row)]++] = row;
        }
        return sorted;
    }

    /** One result row of an aggregated row. */
    public static ResultRow row(RuntimeConfiguration config, OnHandQuery query, AggregatedRow row) {
        return new ResultRow(
                row.organizationId(),
                row.productId(),
                dimensions(query.groupBy(), row.groupValues()),
                new Measures(config).quantities(row.physical(), query.returnNegative()));
    }

    /** The place of a distinct value among an answer's distinct values, in their order. */
    private static final class Rank {
        int number;

        static void number(Map<String, Rank> ranks) {
            QueryResults.number(
                    new ArrayList<>(ranks.entrySet()),
                    Map.Entry.comparingByKey(),
                    (entry, rank) -> entry.getValue().number = rank);
        }
    }

    /** Sorts {@code items} and numbers them in that order from 0, equal items alike. */
    private static <T> void number(List<T> items, Comparator<T> order, ObjIntConsumer<T> setRank) {
        items.sort(order);
        int rank = 0;
        for (int i = 0; i < items.size(); i++) {
            if (i > 0 && order.compare(items.get(i - 1), items.get(i)) != 0) {
                rank++;
            }
            setRank.accept(items.get(i), rank);
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
            .thenComparing((a, b) -> compareDimensionValues(a.dimensions(), b.dimensions()));

    /** Dimension values compared one by one, in the maps' order (group-by order). */
    private static int compareDimensionValues(Map<String, String> a, Map<String, String> b) {
        Iterator<String> left = a.values().iterator();
        Iterator<String> right = b.values().iterator();
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
     * The rows that share their group-by values: their dimensions (read-only) and the ranks of
     * those values among the answer's groups, by site and location and by all the values in
     * group-by order; equal values have equal ranks.
     */
    private static final class Group {
        private static final Comparator<Group> WAREHOUSE =
                Comparator.comparing(Group::site).thenComparing(Group::location);

        final Map<String, String> dimensions;
        int warehouseRank;
        int valuesRank;

        private Group(Map<String, String> dimensions) {
            this.dimensions = dimensions;
        }

        static Group of(List<String> groupBy, List<String> values) {
            return new Group(Collections.unmodifiableMap(dimensions(groupBy, values)));
        }

        String site() {
            return dimensions.getOrDefault(BaseDimension.SITE, "");
        }

        String location() {
            return dimensions.getOrDefault(BaseDimension.LOCATION, "");
        }

        static void rank(Collection<Group> groups) {
            List<Group> sorted = new ArrayList<>(groups);
            number(sorted, WAREHOUSE, (group, rank) -> group.warehouseRank = rank);
            number(sorted, Group::compareValues, (group, rank) -> group.valuesRank = rank);
        }

        private static int compareValues(Group a, Group b) {
            return compareDimensionValues(a.dimensions, b.dimensions);
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

        private final Map<Set<MeasureRef>, Layout> layouts = new HashMap<>();

        /** The layout of the previous row, which the next one most likely has too. */
        private @Nullable Layout last;

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

        /**
         * The quantities of one row. Which measures a row shows, and in what order, depends
         * only on which physical measures it has, and the rows of one answer mostly have the
         * same ones: the names are arranged once per such set ({@link Layout}) and each row
         * only computes its values.
         */
        Quantities quantities(Map<MeasureRef, BigDecimal> physical, boolean returnNegative) {
            Layout previous = last;
            BigDecimal[] values = previous == null ? null : previous.values(physical);
            if (previous != null && values != null) {
                return previous.quantities(values, returnNegative);
            }
            Layout layout = layouts.get(physical.keySet());
            if (layout == null) {
                layout = layout(physical.keySet());
                layouts.put(Set.copyOf(physical.keySet()), layout);
            }
            last = layout;
            values = Objects.requireNonNull(layout.values(physical), "the row's own layout");
            return layout.quantities(values, returnNegative);
        }

        /**
         * The configured physical measures among {@code present} by data source, and the
         * calculated measures that have a component among them (A13), each source's measures
         * in name order, a calculated measure replacing a physical one of the same name.
         */
        private Layout layout(Set<MeasureRef> present) {
            MeasureRef[] refs = present.toArray(new MeasureRef[0]);
            Map<MeasureRef, Integer> position = new HashMap<>();
            for (int k = 0; k < refs.length; k++) {
                position.put(refs[k], k);
            }
            @SuppressWarnings("unchecked")
            Map<String, Slot>[] bySource = new Map[sources.size()];
            List<Calculated> evaluated = new ArrayList<>();
            boolean[] seen = new boolean[calculatedCount];
            for (int k = 0; k < refs.length; k++) {
                MeasureRef ref = refs[k];
                Integer index = sourceIndex.get(ref.dataSource());
                if (index != null
                        && sources.get(index).physicalMeasures().contains(ref.measure())) {
                    slots(bySource, index).put(ref.measure(), Slot.physical(k));
                }
                for (Calculated calculated : byComponent.getOrDefault(ref, List.of())) {
                    if (!seen[calculated.number()]) {
                        seen[calculated.number()] = true;
                        evaluated.add(calculated);
                    }
                }
            }
            for (Calculated calculated : evaluated) {
                CalculatedMeasure measure = calculated.measure();
                slots(bySource, calculated.source())
                        .put(
                                measure.name(),
                                new Slot(
                                        -1,
                                        positions(measure.additions(), position),
                                        positions(measure.subtractions(), position)));
            }
            Quantities.Builder names = Quantities.builder();
            List<Slot> slots = new ArrayList<>();
            for (int i = 0; i < bySource.length; i++) {
                if (bySource[i] == null) {
                    continue;
                }
                for (Map.Entry<String, Slot> measure : bySource[i].entrySet()) {
                    names.add(sources.get(i).name(), measure.getKey(), BigDecimal.ZERO);
                    slots.add(measure.getValue());
                }
            }
            return new Layout(refs, names.build(), slots.toArray(new Slot[0]));
        }

        /**
         * Where the components present in a row are among its values, in formula order
         * (repeats kept); a component the row lacks counts 0 (spec §3.6) and is left out.
         */
        private static int[] positions(List<MeasureRef> components, Map<MeasureRef, Integer> at) {
            return components.stream()
                    .map(at::get)
                    .filter(Objects::nonNull)
                    .mapToInt(Integer::intValue)
                    .toArray();
        }

        private static Map<String, Slot> slots(Map<String, Slot>[] bySource, int i) {
            if (bySource[i] == null) {
                bySource[i] = new TreeMap<>();
            }
            return bySource[i];
        }
    }

    /**
     * Where a shown quantity comes from: the row's value at {@code physical}, or (when that is
     * negative) a calculated measure, the sum of the values at {@code additions} minus those at
     * {@code subtractions}: its formula compiled for one layout, so a row adds only the
     * components it has, read from an array instead of looked up by name. Leaving out an
     * absent component (0) changes the value's scale at most, and {@link #plain} shows equal
     * values alike whatever their scale, so a row shows what {@link CalculatedMeasure#evaluate}
     * gives.
     */
    private record Slot(int physical, int[] additions, int[] subtractions) {
        private static final int[] NONE = new int[0];

        static Slot physical(int position) {
            return new Slot(position, NONE, NONE);
        }

        BigDecimal value(BigDecimal[] values, boolean returnNegative) {
            if (physical >= 0) {
                return plain(values[physical]);
            }
            // The first addition is the start, not 0 plus it: one number less per row, and
            // plain() shows a value the same whatever its scale.
            BigDecimal value = additions.length > 0 ? values[additions[0]] : BigDecimal.ZERO;
            for (int i = 1; i < additions.length; i++) {
                value = value.add(values[additions[i]]);
            }
            for (int k : subtractions) {
                value = value.subtract(values[k]);
            }
            // Not a repair: a negative calculated value is real (oversold stock), and the
            // caller asked to see it as zero (returnNegative false, A12).
            return plain(!returnNegative && value.signum() < 0 ? BigDecimal.ZERO : value);
        }
    }

    /**
     * The names a row with a given set of physical measures ({@code present}) shows, and where
     * each one's quantity comes from.
     */
    private record Layout(MeasureRef[] present, Quantities names, Slot[] slots) {
        /**
         * A row's physical values in the order of {@code present}, or null when the row's
         * measures are not exactly this layout's.
         */
        BigDecimal @Nullable [] values(Map<MeasureRef, BigDecimal> physical) {
            if (physical.size() != present.length) {
                return null;
            }
            BigDecimal[] values = new BigDecimal[present.length];
            for (int k = 0; k < present.length; k++) {
                BigDecimal value = physical.get(present[k]);
                if (value == null) {
                    return null;
                }
                values[k] = value;
            }
            return values;
        }

        Quantities quantities(BigDecimal[] values, boolean returnNegative) {
            BigDecimal[] shown = new BigDecimal[slots.length];
            for (int i = 0; i < slots.length; i++) {
                shown[i] = slots[i].value(values, returnNegative);
            }
            return names.withQuantities(shown);
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
        Set<String> selected = new java.util.HashSet<>(warehouses.subList((int) from, (int) to));
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
