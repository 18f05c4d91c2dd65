package io.ivs.core.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class QuantitiesTest {
    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final BigDecimal TWO = new BigDecimal("2");

    private static Map<String, Map<String, BigDecimal>> nested(Object... triples) {
        Map<String, Map<String, BigDecimal>> nested = new LinkedHashMap<>();
        for (int i = 0; i + 2 < triples.length; i += 3) {
            Map<String, BigDecimal> measures =
                    nested.computeIfAbsent((String) triples[i], k -> new LinkedHashMap<>());
            if (triples[i + 1] != null) {
                measures.put((String) triples[i + 1], new BigDecimal((String) triples[i + 2]));
            }
        }
        return nested;
    }

    @Test
    void withQuantities_keepsNamesAndOrderAndReplacesEachQuantity() {
        Quantities names = Quantities.fromNested(nested(
                "pos", "inbound", "0", "pos", "outbound", "0", "erp", "b", "0", "iv", null, null));

        Quantities replaced =
                names.withQuantities(new BigDecimal[] {ONE, TWO, new BigDecimal("-3.5")});

        assertThat(replaced.entries())
                .extracting(
                        Quantities.Entry::dataSource,
                        Quantities.Entry::measure,
                        Quantities.Entry::quantity)
                .containsExactly(
                        tuple("pos", "inbound", ONE),
                        tuple("pos", "outbound", TWO),
                        tuple("erp", "b", new BigDecimal("-3.5")));
        assertThat(replaced.dataSources()).containsExactly("pos", "erp", "iv");
        assertThat(names.get("pos", "inbound")).isEqualTo(BigDecimal.ZERO);
        assertThatThrownBy(() -> replaced.entries().set(0, replaced.entries().get(1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withQuantities_wrongNumberOfQuantities_isRefused() {
        Quantities names = Quantities.of("pos", "inbound", ONE);

        assertThatThrownBy(() -> names.withQuantities(new BigDecimal[] {ONE, TWO}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 quantities for 1 entries");
        assertThatThrownBy(() -> names.withQuantities(new BigDecimal[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Quantities.empty().withQuantities(new BigDecimal[0]))
                .isSameAs(Quantities.empty());
    }

    @Test
    void fromNested_keepsNamesAsSpelledAndTheOrderGiven() {
        Quantities quantities = Quantities.fromNested(
                nested("POS", "InBound", "1", "erp", "b", "2", "POS", "a", "3"));

        assertThat(quantities.entries())
                .extracting(Quantities.Entry::dataSource, Quantities.Entry::measure)
                .containsExactly(tuple("POS", "InBound"), tuple("POS", "a"), tuple("erp", "b"));
        assertThat(quantities.dataSources()).containsExactly("POS", "erp");
        assertThat(quantities.size()).isEqualTo(3);
    }

    @Test
    void get_comparesNamesExactly() {
        Quantities quantities = Quantities.of("Pos", "InBound", ONE);

        assertThat(quantities.get("Pos", "InBound")).isEqualTo(ONE);
        assertThat(quantities.get("pos", "InBound")).isNull();
        assertThat(quantities.get("Pos", "inbound")).isNull();
    }

    @Test
    void dataSourceWithoutMeasures_isNamedButAddsNoEntry() {
        Quantities quantities = Quantities.fromNested(nested("bogus", null, null));

        assertThat(quantities.dataSources()).containsExactly("bogus");
        assertThat(quantities.isEmpty()).isTrue();
        assertThat(quantities.size()).isZero();
        assertThat(quantities).isNotEqualTo(Quantities.empty());
        assertThat(quantities.toNested()).containsOnlyKeys("bogus");
        assertThat(quantities.toNested().get("bogus")).isEmpty();
    }

    @Test
    void forEachDataSource_givesEachDataSourceWithItsEntries_emptyOnesToo() {
        Quantities quantities = Quantities.builder()
                .add("pos", "inbound", ONE)
                .dataSource("empty")
                .add("erp", "x", TWO)
                .add("pos", "outbound", TWO)
                .build();
        List<String> seen = new ArrayList<>();

        quantities.forEachDataSource((source, entries) -> seen.add(
                source + entries.stream().map(Quantities.Entry::measure).toList()));

        assertThat(seen).containsExactly("pos[inbound, outbound]", "empty[]", "erp[x]");
    }

    @Test
    void builder_dataSourceNamedAgain_keepsItsEntriesTogether() {
        Quantities quantities = Quantities.builder()
                .add("a", "x", ONE)
                .add("b", "y", ONE)
                .add("a", "z", ONE)
                .build();

        assertThat(quantities.entries())
                .extracting(Quantities.Entry::dataSource, Quantities.Entry::measure)
                .containsExactly(tuple("a", "x"), tuple("a", "z"), tuple("b", "y"));
    }

    @Test
    void builder_measureGivenTwice_isRefused() {
        Quantities.Builder builder = Quantities.builder().add("a", "x", ONE).add("b", "y", ONE);

        assertThatThrownBy(() -> builder.add("a", "x", TWO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("'a'");
        assertThatThrownBy(() -> Quantities.builder().add("a", "x", ONE).add("a", "x", ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> Quantities.builder().add("a", "x", ONE).addAll("a", Map.of("x", TWO)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builder_namesThatDifferInCase_areDistinct() {
        // The resolvers match names case-insensitively and report such a pair by field name.
        Quantities quantities = Quantities.builder()
                .add("pos", "inbound", ONE)
                .add("pos", "InBound", TWO)
                .add("POS", "inbound", TWO)
                .build();

        assertThat(quantities.size()).isEqualTo(3);
        assertThat(quantities.dataSources()).containsExactly("pos", "POS");
    }

    @Test
    void toNested_roundTripsTheWireShapeInOrder() {
        Map<String, Map<String, BigDecimal>> wire =
                nested("z", "b", "1", "z", "a", "2", "empty", null, null, "a", "c", "3.50");

        Map<String, Map<String, BigDecimal>> back = Quantities.fromNested(wire).toNested();

        assertThat(back).isEqualTo(wire);
        assertThat(back.keySet()).containsExactly("z", "empty", "a");
        assertThat(back.get("z").keySet()).containsExactly("b", "a");
        assertThat(back.get("a").get("c")).isEqualTo(new BigDecimal("3.50"));
    }

    @Test
    void equality_ignoresOrderButNotScale() {
        Quantities ab = Quantities.fromNested(nested("a", "x", "1", "b", "y", "2"));
        Quantities ba = Quantities.fromNested(nested("b", "y", "2", "a", "x", "1"));
        Quantities otherScale = Quantities.fromNested(nested("a", "x", "1.0", "b", "y", "2"));

        assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
        assertThat(ab).isNotEqualTo(otherScale);
        assertThat(ab).isNotEqualTo(Quantities.fromNested(nested("a", "x", "1")));
    }

    @Test
    void value_isImmutableAndIndependentOfItsSource() {
        Map<String, Map<String, BigDecimal>> wire = nested("a", "x", "1");
        Quantities quantities = Quantities.fromNested(wire);

        wire.get("a").put("y", TWO);
        wire.put("b", new LinkedHashMap<>());

        assertThat(quantities.size()).isEqualTo(1);
        assertThat(quantities.dataSources()).containsExactly("a");
        assertThatThrownBy(() -> quantities.entries().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> quantities.dataSources().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> quantities.toNested().get("a").put("z", ONE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void iteration_followsTheEntries() {
        Quantities quantities = Quantities.fromNested(nested("a", "x", "1", "b", "y", "2"));
        List<String> seen = new ArrayList<>();

        for (Quantities.Entry entry : quantities) {
            seen.add(entry.dataSource() + "." + entry.measure() + "=" + entry.quantity());
        }

        assertThat(seen).containsExactly("a.x=1", "b.y=2");
    }

    @Test
    void empty_hasNothing() {
        assertThat(Quantities.empty().isEmpty()).isTrue();
        assertThat(Quantities.empty().dataSources()).isEmpty();
        assertThat(Quantities.fromNested(Map.of())).isEqualTo(Quantities.empty());
        assertThat(Quantities.builder().build().toNested()).isEmpty();
    }
}
