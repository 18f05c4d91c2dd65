package io.ivs.core.measure;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Quantities by data source and measure, the {@code quantities} object of IV's events and
 * answers ({@code {"pos": {"inbound": 5}}}) as an immutable value.
 *
 * <p>Names are kept exactly as given: an event's names as the client spelled them, because the
 * resolvers match them against the configuration case-insensitively and name the client's
 * spelling in their messages; an answer's names as the configuration spells them. Entries keep
 * the order given, the entries of one data source together after its first mention (the order
 * a nested JSON object has anyway), so an answer lists them in the order it was built.
 *
 * <p>A data source may be named without measures ({@code {"pos": {}}}): the resolvers still
 * check that name, so it is kept ({@link #dataSources()}), although it adds no entry.
 *
 * <p>Equality is that of the nested map ({@link #toNested()}): the same data sources and the same
 * quantities under the same names, in any order; quantities compare with {@link
 * BigDecimal#equals}, so {@code 1} and {@code 1.0} differ.
 */
public final class Quantities implements Iterable<Quantities.Entry> {
    private static final Quantities EMPTY = new Quantities(List.of(), List.of());

    /** One quantity: a measure of a data source, names as given. */
    public record Entry(String dataSource, String measure, BigDecimal quantity) {
        public Entry {
            Objects.requireNonNull(dataSource, "dataSource");
            Objects.requireNonNull(measure, "measure");
            Objects.requireNonNull(quantity, "quantity");
        }
    }

    /** Every data source named, in order, including those without measures. */
    private final List<String> dataSources;

    /** Grouped by data source in the order of {@link #dataSources}. */
    private final List<Entry> entries;

    private Quantities(List<String> dataSources, List<Entry> entries) {
        this.dataSources = dataSources;
        this.entries = entries;
    }

    public static Quantities empty() {
        return EMPTY;
    }

    /** One quantity. */
    public static Quantities of(String dataSource, String measure, BigDecimal quantity) {
        return builder().add(dataSource, measure, quantity).build();
    }

    /** The wire's nested shape, data source then measure, in the maps' iteration order. */
    public static Quantities fromNested(Map<String, ? extends Map<String, BigDecimal>> nested) {
        Builder builder = builder();
        nested.forEach(builder::addAll);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The quantity of a measure of a data source, names compared exactly; null when absent. */
    public @Nullable BigDecimal get(String dataSource, String measure) {
        for (Entry entry : entries) {
            if (entry.dataSource().equals(dataSource) && entry.measure().equals(measure)) {
                return entry.quantity();
            }
        }
        return null;
    }

    /**
     * The same data sources and measures in the same order, with new quantities, one per entry
     * in entry order. An answer of many rows with the same names builds and checks those names
     * once and then only sets each row's quantities (QueryResults).
     */
    public Quantities withQuantities(BigDecimal[] quantities) {
        if (quantities.length != entries.size()) {
            throw new IllegalArgumentException(
                    quantities.length + " quantities for " + entries.size() + " entries");
        }
        if (quantities.length == 0) {
            return this;
        }
        Entry[] changed = new Entry[quantities.length];
        for (int i = 0; i < changed.length; i++) {
            Entry entry = entries.get(i);
            changed[i] = new Entry(entry.dataSource(), entry.measure(), quantities[i]);
        }
        // An immutable list like the builder's, not a read-only view of the array: every
        // answer's entries are then one list class, which keeps the loops that read them
        // (QuantitiesJson) free of a shared view's polluted type profile.
        return new Quantities(dataSources, List.of(changed));
    }

    /** The data sources named, in order, including those named without measures. */
    public List<String> dataSources() {
        return dataSources;
    }

    /** The entries, grouped by data source in the order of {@link #dataSources()}. */
    public List<Entry> entries() {
        return entries;
    }

    /** The number of quantities (data sources without measures add none). */
    public int size() {
        return entries.size();
    }

    /** True when there is no quantity, even if data sources are named without measures. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public Iterator<Entry> iterator() {
        return entries.iterator();
    }

    /**
     * Each data source in order with its entries (empty for a data source named without
     * measures): the nested shape for writers and validators, without building maps.
     */
    public void forEachDataSource(BiConsumer<String, List<Entry>> action) {
        int from = 0;
        for (int d = 0; d < dataSources.size(); d++) {
            String dataSource = dataSources.get(d);
            int to = from;
            while (to < entries.size() && entries.get(to).dataSource().equals(dataSource)) {
                to++;
            }
            action.accept(dataSource, entries.subList(from, to));
            from = to;
        }
    }

    /** The nested shape, data source then measure, in this value's order; read-only. */
    public Map<String, Map<String, BigDecimal>> toNested() {
        Map<String, Map<String, BigDecimal>> nested = new LinkedHashMap<>();
        forEachDataSource((dataSource, measures) -> {
            Map<String, BigDecimal> values = new LinkedHashMap<>();
            measures.forEach(entry -> values.put(entry.measure(), entry.quantity()));
            nested.put(dataSource, Collections.unmodifiableMap(values));
        });
        return Collections.unmodifiableMap(nested);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other == this
                || other instanceof Quantities that && toNested().equals(that.toNested());
    }

    @Override
    public int hashCode() {
        return toNested().hashCode();
    }

    @Override
    public String toString() {
        return toNested().toString();
    }

    /**
     * Collects quantities in order. A measure named twice under the same data source (names
     * compared exactly) is a programming error: the wire's nested objects cannot hold it.
     */
    public static final class Builder {
        private final List<String> dataSources = new ArrayList<>();
        private final List<Entry> entries = new ArrayList<>();

        /** Whether every data source's entries are together, in the order of dataSources. */
        private boolean grouped = true;

        private Builder() {}

        /** Names a data source, with or without measures to follow. */
        public Builder dataSource(String dataSource) {
            Objects.requireNonNull(dataSource, "dataSource");
            if (!isLast(dataSource) && !dataSources.contains(dataSource)) {
                dataSources.add(dataSource);
            }
            return this;
        }

        public Builder add(String dataSource, String measure, BigDecimal quantity) {
            Entry entry = new Entry(dataSource, measure, quantity);
            if (!isLast(dataSource)) {
                if (dataSources.contains(dataSource)) {
                    grouped = false;
                } else {
                    dataSources.add(dataSource);
                }
            }
            if (contains(dataSource, measure)) {
                throw new IllegalArgumentException("measure '" + measure + "' of data source '"
                        + dataSource + "' is given twice");
            }
            entries.add(entry);
            return this;
        }

        /** Names a data source and adds its measures in the map's iteration order. */
        public Builder addAll(String dataSource, Map<String, BigDecimal> measures) {
            if (dataSources.contains(dataSource)) {
                measures.forEach((measure, quantity) -> add(dataSource, measure, quantity));
                return this;
            }
            // A new data source goes last, and a map's keys are distinct: nothing to check.
            dataSources.add(dataSource);
            measures.forEach(
                    (measure, quantity) -> entries.add(new Entry(dataSource, measure, quantity)));
            return this;
        }

        public Quantities build() {
            if (dataSources.isEmpty()) {
                return EMPTY;
            }
            return new Quantities(List.copyOf(dataSources), List.copyOf(groupedEntries()));
        }

        private boolean isLast(String dataSource) {
            return !dataSources.isEmpty()
                    && dataSources.get(dataSources.size() - 1).equals(dataSource);
        }

        private boolean contains(String dataSource, String measure) {
            // While grouped, this data source's entries are the last ones.
            for (int i = entries.size() - 1; i >= 0; i--) {
                Entry entry = entries.get(i);
                boolean sameSource = entry.dataSource().equals(dataSource);
                if (sameSource && entry.measure().equals(measure)) {
                    return true;
                }
                if (grouped && !sameSource) {
                    return false;
                }
            }
            return false;
        }

        private List<Entry> groupedEntries() {
            if (grouped) {
                return entries;
            }
            List<Entry> result = new ArrayList<>(entries.size());
            for (String dataSource : dataSources) {
                for (Entry entry : entries) {
                    if (entry.dataSource().equals(dataSource)) {
                        result.add(entry);
                    }
                }
            }
            return result;
        }
    }
}
