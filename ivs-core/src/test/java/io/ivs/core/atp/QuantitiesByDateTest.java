package io.ivs.core.atp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.measure.Quantities;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

class QuantitiesByDateTest {
    @Test
    void fromNested_keepsDateTextsAndTheirOrder_emptyDaysToo() {
        Map<String, Map<String, Map<String, BigDecimal>>> wire = new LinkedHashMap<>();
        wire.put("2026-02-05", Map.of("pos", Map.of("inbound", BigDecimal.ONE)));
        wire.put("2026-02-01T00:00:00", Map.of());
        wire.put("2026-02-03", Map.of("POS", Map.of("InBound", BigDecimal.TEN)));

        QuantitiesByDate byDate = QuantitiesByDate.fromNested(wire);

        assertThat(byDate.asMap().keySet())
                .containsExactly("2026-02-05", "2026-02-01T00:00:00", "2026-02-03");
        assertThat(byDate.get("2026-02-01T00:00:00")).isEqualTo(Quantities.empty());
        assertThat(byDate.get("2026-02-03").get("POS", "InBound")).isEqualTo(BigDecimal.TEN);
        assertThat(byDate.toNested()).isEqualTo(wire);
        assertThat(byDate.size()).isEqualTo(3);
    }

    @Test
    void value_isImmutableAndComparesByContent() {
        Map<String, Quantities> days = new LinkedHashMap<>();
        days.put("2026-02-05", Quantities.of("pos", "inbound", BigDecimal.ONE));
        QuantitiesByDate byDate = QuantitiesByDate.of(days);

        days.put("2026-02-06", Quantities.empty());

        assertThat(byDate.size()).isEqualTo(1);
        assertThat(byDate)
                .isEqualTo(QuantitiesByDate.fromNested(
                        Map.of("2026-02-05", Map.of("pos", Map.of("inbound", BigDecimal.ONE)))));
        assertThat(byDate).isNotEqualTo(QuantitiesByDate.empty());
        assertThatThrownBy(() -> byDate.asMap().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
