package io.ivs.core.imports;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.Limits;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The header of an on-hand file and the conversion of its rows. Columns: {@code organizationId}
 * and {@code productId}; {@code dataSource.measure} for each quantity (e.g. {@code pos.inbound});
 * optionally {@code id}; any other name is a dimension (e.g. {@code siteId}, {@code colorId}).
 * Names are matched case-insensitively. An empty cell leaves its dimension or measure out.
 */
public final class OnHandColumns {
    private final int count;
    private final int organizationColumn;
    private final int productColumn;
    private final int idColumn;
    private final Map<Integer, String> dimensions;
    private final Map<Integer, Measure> measures;
    private final ImportIds ids;

    private record Measure(String dataSource, String measure, String column) {}

    private OnHandColumns(
            int count,
            Map<String, Integer> fixed,
            Map<Integer, String> dimensions,
            Map<Integer, Measure> measures,
            ImportIds ids) {
        this.count = count;
        this.organizationColumn = fixed.getOrDefault("organizationid", -1);
        this.productColumn = fixed.getOrDefault("productid", -1);
        this.idColumn = fixed.getOrDefault("id", -1);
        this.dimensions = dimensions;
        this.measures = measures;
        this.ids = ids;
    }

    /**
     * Reads the header; a header that cannot work (a missing or repeated column, a measure column
     * without data source, another data source's column in a set) fails the whole file.
     *
     * @param dataSource the data source a set or sync writes, null for change events
     */
    public static OnHandColumns parse(
            List<String> header, ImportMode mode, @Nullable String dataSource, ImportIds ids) {
        if (mode == ImportMode.PRODUCTS) {
            throw new IllegalArgumentException("a product file has ProductColumns");
        }
        if (mode.setsValues() && (dataSource == null || dataSource.isBlank())) {
            throw new InvalidInputException("dataSource", "is required to " + mode.wireName());
        }
        Map<String, Integer> fixed = new HashMap<>();
        Map<Integer, String> dimensions = new LinkedHashMap<>();
        Map<Integer, Measure> measures = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            String key = name.toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new InvalidInputException("header", "column " + (i + 1) + " has no name");
            }
            if (!seen.add(key)) {
                throw new InvalidInputException("header", "column '" + name + "' appears twice");
            }
            if (key.equals("organizationid") || key.equals("productid") || key.equals("id")) {
                fixed.put(key, i);
            } else if (name.contains(".")) {
                measures.put(i, measure(name, mode, dataSource));
            } else {
                dimensions.put(i, name);
            }
        }
        for (String required : List.of("organizationId", "productId")) {
            if (!fixed.containsKey(required.toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException("header", "has no column '" + required + "'");
            }
        }
        if (measures.isEmpty()) {
            throw new InvalidInputException(
                    "header", "has no quantity column (dataSource.measure, e.g. pos.inbound)");
        }
        return new OnHandColumns(header.size(), fixed, dimensions, measures, ids);
    }

    private static Measure measure(String name, ImportMode mode, @Nullable String dataSource) {
        int dot = name.indexOf('.');
        String source = name.substring(0, dot).strip();
        String measure = name.substring(dot + 1).strip();
        if (source.isEmpty() || measure.isEmpty() || measure.contains(".")) {
            throw new InvalidInputException(
                    "header", "column '" + name + "' is not dataSource.measure");
        }
        if (mode.setsValues() && !source.equalsIgnoreCase(dataSource)) {
            throw new InvalidInputException(
                    "header",
                    "column '" + name + "' belongs to data source '" + source + "'; a "
                            + mode.wireName() + " of '" + dataSource + "' takes only its own");
        }
        return new Measure(source, measure, name);
    }

    public int count() {
        return count;
    }

    /** Converts one record; every refusal names the column and the reason. */
    public RowOutcome<OnHandRow> convert(CsvRecord record) {
        long line = record.line();
        try {
            return new RowOutcome.Accepted<>(line, row(record));
        } catch (InvalidInputException e) {
            return new RowOutcome.Rejected<>(line, e.getMessage());
        }
    }

    private OnHandRow row(CsvRecord record) {
        String malformed = record.malformed();
        if (malformed != null) {
            throw new InvalidInputException("", malformed);
        }
        List<String> fields = record.fields();
        if (fields.size() != count) {
            throw new InvalidInputException(
                    "", "has " + fields.size() + " fields; the header has " + count);
        }
        String organization = Limits.requireText("organizationId", fields.get(organizationColumn));
        String product = Limits.requireText("productId", fields.get(productColumn));
        String given = idColumn < 0 ? "" : fields.get(idColumn).strip();
        String id = given.isEmpty() ? ids.id(record.line()) : Limits.requireText("id", given);
        Map<String, String> dimensionValues = new LinkedHashMap<>();
        dimensions.forEach((column, name) -> {
            String value = fields.get(column).strip();
            if (!value.isEmpty()) {
                dimensionValues.put(name, Limits.requireLength(name, value));
            }
        });
        return new OnHandRow(
                record.line(), id, organization, product, dimensionValues, quantities(fields));
    }

    private Map<String, Map<String, BigDecimal>> quantities(List<String> fields) {
        Map<String, Map<String, BigDecimal>> quantities = new LinkedHashMap<>();
        measures.forEach((column, measure) -> {
            String text = fields.get(column).strip();
            if (!text.isEmpty()) {
                quantities
                        .computeIfAbsent(measure.dataSource(), k -> new LinkedHashMap<>())
                        .put(measure.measure(), number(measure.column(), text));
            }
        });
        if (quantities.isEmpty()) {
            throw new InvalidInputException("", "has no quantity (every measure column is empty)");
        }
        return quantities;
    }

    private static BigDecimal number(String column, String text) {
        try {
            return Limits.requireQuantity(column, new BigDecimal(text));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(column, "'" + text + "' is not a number");
        }
    }

    /** The names of the columns, for messages: dimensions then measures. */
    public List<String> describe() {
        List<String> names = new ArrayList<>(dimensions.values());
        measures.values().forEach(m -> names.add(m.column()));
        return names;
    }
}
