package io.ivs.core.imports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One accepted row of a product catalogue file: the product's fields by their API names (only
 * the non-empty ones) and its attributes.
 */
public record ProductRow(
        long line,
        String organizationId,
        String itemNumber,
        Map<String, String> fields,
        List<Attribute> attributes) {
    public ProductRow {
        // The order of the file's columns is kept, so that the JSON sent follows it.
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        attributes = List.copyOf(attributes);
    }

    /**
     * @param area ProductAttribute, DimensionAttribute or BatchAttribute
     */
    public record Attribute(String area, String typeName, String name, List<String> values) {
        public Attribute {
            values = List.copyOf(values);
        }
    }

    /** The key that keeps one product's rows in order when batches go out in parallel. */
    public String partitionKey() {
        return organizationId + '\u0000' + itemNumber;
    }
}
