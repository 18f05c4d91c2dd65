package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.measure.Quantities;

import org.junit.jupiter.api.Test;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class QuantitiesJsonTest {
    private static String written(Quantities quantities) {
        StringWriter out = new StringWriter();
        Map<String, SerializedString> names = new HashMap<>();
        try (JsonGenerator json = Json.mapper().createGenerator(out)) {
            json.writeStartArray();
            // Twice through the same names cache, as the rows of one answer are written.
            QuantitiesJson.write(json, quantities, names);
            QuantitiesJson.write(json, quantities, names);
            json.writeEndArray();
        }
        return out.toString();
    }

    @Test
    void write_nestsByDataSourceInOrderWithEmptySourcesKept() {
        Quantities quantities = Quantities.builder()
                .add("pos", "inbound", new BigDecimal("5"))
                .add("pos", "outbound", new BigDecimal("2.5"))
                .dataSource("iv")
                .add("Crossé \"Channel\"", "avail", new BigDecimal("-1"))
                .build();

        String one = "{\"pos\":{\"inbound\":5,\"outbound\":2.5},\"iv\":{},"
                + "\"Crossé \\\"Channel\\\"\":{\"avail\":-1}}";
        assertThat(written(quantities)).isEqualTo("[" + one + "," + one + "]");
    }

    @Test
    void write_everyQuantityAsBigDecimalSpellsIt() {
        // Whole numbers that fit a long are written as longs: the text must be the decimal's
        // own, on both sides of the limit, negative, zero and with a scale.
        List<String> values = List.of(
                "0",
                "-0",
                "7",
                "-7",
                "999999999999999999",
                "-999999999999999999",
                "1000000000000000000",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890",
                "1.50",
                "0.001",
                "1E+3",
                "-2.5E-8");
        for (String value : values) {
            BigDecimal quantity = new BigDecimal(value);

            String json = written(Quantities.of("pos", "inbound", quantity));

            String one = "{\"pos\":{\"inbound\":" + quantity + "}}";
            assertThat(json).as(value).isEqualTo("[" + one + "," + one + "]");
        }
    }
}
