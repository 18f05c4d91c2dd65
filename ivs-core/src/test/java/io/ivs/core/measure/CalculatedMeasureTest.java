package io.ivs.core.measure;

import static io.ivs.core.TestConfigurations.calculated;
import static io.ivs.core.TestConfigurations.ref;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

class CalculatedMeasureTest {
    /** CrossChannel.MyCustomAvailableforReservation of spec §2.7. */
    private static final CalculatedMeasure CROSS_CHANNEL = calculated(
            "mycustomavailableforreservation",
            List.of(
                    "fno.availphysical",
                    "fno.orderedintotal",
                    "pos.inbound",
                    "ecommerce.received",
                    "ecommerce.scheduled"),
            List.of(
                    "fno.orderedreserved",
                    "pos.outbound",
                    "ecommerce.issued",
                    "ecommerce.reserved"));

    private static Map<MeasureRef, BigDecimal> documentedRow() {
        return Map.of(
                ref("pos.inbound"), new BigDecimal("80"),
                ref("pos.outbound"), new BigDecimal("20"),
                ref("fno.availphysical"), new BigDecimal("100"),
                ref("fno.orderedintotal"), new BigDecimal("50"),
                ref("fno.orderedreserved"), new BigDecimal("10"),
                ref("ecommerce.received"), new BigDecimal("90"),
                ref("ecommerce.scheduled"), new BigDecimal("30"),
                ref("ecommerce.issued"), new BigDecimal("60"),
                ref("ecommerce.reserved"), new BigDecimal("40"));
    }

    @Test
    void evaluate_documentedExample27_is220() {
        BigDecimal value = CROSS_CHANNEL.evaluate(documentedRow());

        assertThat(value).isEqualByComparingTo("220");
    }

    @Test
    void evaluate_missingComponents_countAsZero() {
        Map<MeasureRef, BigDecimal> row = Map.of(
                ref("pos.inbound"), new BigDecimal("80"),
                ref("ecommerce.reserved"), new BigDecimal("40"));

        assertThat(CROSS_CHANNEL.evaluate(row)).isEqualByComparingTo("40");
    }

    @Test
    void evaluate_noComponentPresent_isZero() {
        assertThat(CROSS_CHANNEL.evaluate(Map.of())).isEqualByComparingTo("0");
    }

    @Test
    void evaluate_decimalsAndNegativeResult_areExact() {
        CalculatedMeasure available =
                calculated("availquantity", List.of("pos.inbound"), List.of("pos.outbound"));
        Map<MeasureRef, BigDecimal> row = Map.of(
                ref("pos.inbound"), new BigDecimal("0.1"),
                ref("pos.outbound"), new BigDecimal("0.3"));

        assertThat(available.evaluate(row)).isEqualByComparingTo("-0.2");
    }

    @Test
    void evaluate_componentsOfOtherMeasures_areIgnored() {
        Map<MeasureRef, BigDecimal> row = Map.of(
                ref("pos.inbound"), new BigDecimal("5"),
                ref("iv.softreserved"), new BigDecimal("1000"));
        CalculatedMeasure available =
                calculated("availquantity", List.of("pos.inbound"), List.of("pos.outbound"));

        assertThat(available.evaluate(row)).isEqualByComparingTo("5");
    }

    @Test
    void hasAnyComponentIn_onlyASubtractionPresent_isTrue() {
        Map<MeasureRef, BigDecimal> row = Map.of(ref("ecommerce.issued"), BigDecimal.ONE);

        assertThat(CROSS_CHANNEL.hasAnyComponentIn(row)).isTrue();
    }

    @Test
    void hasAnyComponentIn_onlyAnAdditionPresentWithZero_isTrue() {
        Map<MeasureRef, BigDecimal> row = Map.of(ref("fno.availphysical"), BigDecimal.ZERO);

        assertThat(CROSS_CHANNEL.hasAnyComponentIn(row)).isTrue();
    }

    @Test
    void hasAnyComponentIn_onlyUnrelatedMeasures_isFalse() {
        Map<MeasureRef, BigDecimal> row = Map.of(
                ref("iv.softreserved"), BigDecimal.TEN,
                ref("pos.returned"), BigDecimal.ONE);

        assertThat(CROSS_CHANNEL.hasAnyComponentIn(row)).isFalse();
        assertThat(CROSS_CHANNEL.hasAnyComponentIn(Map.of())).isFalse();
    }

    @Test
    void components_additionsThenSubtractions_inDefinitionOrder() {
        CalculatedMeasure available = calculated(
                "availquantity",
                List.of("fno.availphysical", "pos.inbound"),
                List.of("pos.outbound"));

        assertThat(available.components())
                .containsExactly(ref("fno.availphysical"), ref("pos.inbound"), ref("pos.outbound"));
    }

    @Test
    void measureRef_mixedCase_isLowerCaseAndEqual() {
        assertThat(MeasureRef.parse("f", "Pos.InBound")).isEqualTo(ref("pos.inbound"));
        assertThat(MeasureRef.parse("f", "@iv.@softreserved").dataSource()).isEqualTo("@iv");
    }
}
