package io.ivs.core.imports;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.Limits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header of a product catalogue file and the conversion of its rows. Columns:
 * {@code organizationId} and {@code itemNumber} (required), any of {@link #FIELDS}, and attribute
 * columns named {@code attr:<Area>:<attributeTypeName>:<attributeName>} whose cell holds the
 * values separated by {@code |} (Area is ProductAttribute, DimensionAttribute or
 * BatchAttribute). Names of the fixed columns are matched case-insensitively.
 */
public final class ProductColumns {
    public static final List<String> FIELDS = List.of(
            "organizationId",
            "itemNumber",
            "productName",
            "productSearchName",
            "productType",
            "productDescription",
            "inventoryUnitSymbol",
            "salesUnitSymbol",
            "purchaseUnitSymbol");
    public static final List<String> AREAS =
            List.of("ProductAttribute", "DimensionAttribute", "BatchAttribute");
    public static final String ATTRIBUTE_PREFIX = "attr:";

    private final int count;
    private final Map<Integer, String> fields;
    private final Map<Integer, ProductRow.Attribute> attributes;
    private final int organizationColumn;
    private final int itemColumn;

    private ProductColumns(
            int count, Map<Integer, String> fields, Map<Integer, ProductRow.Attribute> attributes) {
        this.count = count;
        this.fields = fields;
        this.attributes = attributes;
        this.organizationColumn = columnOf(fields, "organizationId");
        this.itemColumn = columnOf(fields, "itemNumber");
    }

    public static ProductColumns parse(List<String> header) {
        Map<String, String> known = new HashMap<>();
        FIELDS.forEach(f -> known.put(f.toLowerCase(Locale.ROOT), f));
        Map<Integer, String> fields = new LinkedHashMap<>();
        Map<Integer, ProductRow.Attribute> attributes = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException("header", "column '" + name + "' appears twice");
            }
            String field = known.get(name.toLowerCase(Locale.ROOT));
            if (field != null) {
                fields.put(i, field);
            } else if (name.regionMatches(
                    true, 0, ATTRIBUTE_PREFIX, 0, ATTRIBUTE_PREFIX.length())) {
                attributes.put(i, attribute(name));
            } else {
                throw new InvalidInputException(
                        "header",
                        "unknown column '" + name
                                + "'; a product file has " + String.join(", ", FIELDS)
                                + " and attr:<Area>:<attributeTypeName>:<attributeName>");
            }
        }
        for (String required : List.of("organizationId", "itemNumber")) {
            if (!fields.containsValue(required)) {
                throw new InvalidInputException("header", "has no column '" + required + "'");
            }
        }
        return new ProductColumns(header.size(), fields, attributes);
    }

    private static ProductRow.Attribute attribute(String name) {
        String[] parts = name.split(":", -1);
        if (parts.length != 4 || parts[2].isBlank() || parts[3].isBlank()) {
            throw new InvalidInputException(
                    "header", "column '" + name + "' is not attr:<Area>:<typeName>:<name>");
        }
        String area = AREAS.stream()
                .filter(a -> a.equalsIgnoreCase(parts[1].strip()))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "header",
                        "column '" + name + "': the area must be one of "
                                + String.join(", ", AREAS)));
        return new ProductRow.Attribute(area, parts[2].strip(), parts[3].strip(), List.of());
    }

    private static int columnOf(Map<Integer, String> fields, String field) {
        return fields.entrySet().stream()
                .filter(e -> e.getValue().equals(field))
                .mapToInt(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    public RowOutcome<ProductRow> convert(CsvRecord record) {
        try {
            return new RowOutcome.Accepted<>(record.line(), row(record));
        } catch (InvalidInputException e) {
            return new RowOutcome.Rejected<>(record.line(), e.getMessage());
        }
    }

    private ProductRow row(CsvRecord record) {
        String malformed = record.malformed();
        if (malformed != null) {
            throw new InvalidInputException("", malformed);
        }
        List<String> cells = record.fields();
        if (cells.size() != count) {
            throw new InvalidInputException(
                    "", "has " + cells.size() + " fields; the header has " + count);
        }
        String organization = Limits.requireText("organizationId", cells.get(organizationColumn));
        String item = Limits.requireText("itemNumber", cells.get(itemColumn));
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach((column, field) -> {
            String value = cells.get(column).strip();
            if (!value.isEmpty()) {
                values.put(field, Limits.requireLength(field, value));
            }
        });
        List<ProductRow.Attribute> found = new ArrayList<>();
        attributes.forEach((column, attribute) -> {
            List<String> split = new ArrayList<>();
            for (String value : cells.get(column).split("\\|", -1)) {
                if (!value.isBlank()) {
                    split.add(Limits.requireLength(attribute.name(), value.strip()));
                }
            }
            if (!split.isEmpty()) {
                found.add(new ProductRow.Attribute(
                        attribute.area(), attribute.typeName(), attribute.name(), split));
            }
        });
        return new ProductRow(record.line(), organization, item, values, found);
    }
}
