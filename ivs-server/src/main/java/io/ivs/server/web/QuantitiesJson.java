package io.ivs.server.web;

import io.ivs.core.InvalidInputException;
import io.ivs.core.measure.Quantities;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Map;

/**
 * IV's {@code quantities} object ({@code {"pos": {"inbound": 5}}}) read from a request and
 * written into an answer. Names are read as the client spelled them, since the core matches them
 * against the configuration and names them in its messages; entries keep the object's order.
 */
public final class QuantitiesJson {
    /** Every number of this many digits fits a long. */
    private static final int MAX_LONG_DIGITS = 18;

    private QuantitiesJson() {}

    /**
     * Reads a quantities object at {@code field}: an object of data sources, each an object of
     * measures with numeric values. A data source without measures is kept, for the core to
     * check its name.
     */
    public static Quantities read(JsonNode node, String field) {
        Json.object(node, field);
        Quantities.Builder quantities = Quantities.builder();
        for (Map.Entry<String, JsonNode> source : node.properties()) {
            String sourceField = field + "." + source.getKey();
            Json.object(source.getValue(), sourceField);
            quantities.dataSource(source.getKey());
            for (Map.Entry<String, JsonNode> measure : source.getValue().properties()) {
                String measureField = sourceField + "." + measure.getKey();
                if (measure.getValue().isNull()) {
                    throw new InvalidInputException(measureField, "must be a number");
                }
                quantities.add(
                        source.getKey(),
                        measure.getKey(),
                        Json.decimal(measure.getValue(), measureField));
            }
        }
        return quantities.build();
    }

    /**
     * Writes the quantities as a nested object in their order. Names repeat on every row of an
     * answer, so each is encoded once, through {@code names}.
     */
    public static void write(
            JsonGenerator json, Quantities quantities, Map<String, SerializedString> names) {
        json.writeStartObject();
        quantities.forEachDataSource((source, measures) -> {
            json.writeName(name(names, source));
            json.writeStartObject();
            // By index: a list iterator's class is shared by every immutable list in the
            // process, so its calls here were not inlined (the 2026-12-07 profile).
            for (int i = 0; i < measures.size(); i++) {
                Quantities.Entry measure = measures.get(i);
                json.writeName(name(names, measure.measure()));
                writeQuantity(json, measure.quantity());
            }
            json.writeEndObject();
        });
        json.writeEndObject();
    }

    /**
     * A quantity as {@link BigDecimal#toString()} spells it; a whole number that fits a long
     * (almost every stock figure) as that long, which is the same text written without
     * building a string.
     */
    private static void writeQuantity(JsonGenerator json, BigDecimal quantity) {
        if (quantity.scale() == 0 && quantity.precision() <= MAX_LONG_DIGITS) {
            json.writeNumber(quantity.longValue());
        } else {
            json.writeNumber(quantity);
        }
    }

    private static SerializedString name(Map<String, SerializedString> names, String name) {
        return names.computeIfAbsent(name, SerializedString::new);
    }
}
