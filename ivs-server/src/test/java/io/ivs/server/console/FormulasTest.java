package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class FormulasTest {
    private static final MeasureRef AVAIL = new MeasureRef("fno", "availphysical");
    private static final MeasureRef ORDER = new MeasureRef("fno", "onorder");
    private static final MeasureRef SOFT = new MeasureRef("iv", "softreserved");

    @Test
    void format_additionsThenSubtractions_readsAsFormula() {
        CalculatedMeasure measure =
                new CalculatedMeasure("x", List.of(AVAIL, ORDER), List.of(SOFT));

        assertThat(Formulas.format(measure))
                .isEqualTo("fno.availphysical + fno.onorder - iv.softreserved");
    }

    @Test
    void format_onlySubtractions_startsWithMinus() {
        assertThat(Formulas.format(List.of(), List.of(SOFT))).isEqualTo("- iv.softreserved");
    }

    @Test
    void parse_formattedFormula_givesTheSameTerms() {
        Formulas.Terms terms =
                Formulas.parse("f", "fno.availphysical + fno.onorder - iv.softreserved");

        assertThat(terms.additions()).containsExactly(AVAIL, ORDER);
        assertThat(terms.subtractions()).containsExactly(SOFT);
        assertThat(Formulas.parse("f", Formulas.format(List.of(), List.of(SOFT)))
                        .subtractions())
                .containsExactly(SOFT);
    }

    @Test
    void parse_signsStuckToTermsAndCase_areAccepted() {
        Formulas.Terms terms =
                Formulas.parse("f", "  FNO.AvailPhysical -iv.softreserved +fno.onorder ");

        assertThat(terms.additions()).containsExactly(AVAIL, ORDER);
        assertThat(terms.subtractions()).containsExactly(SOFT);
    }

    @Test
    void parse_empty_hasNoTerms() {
        Formulas.Terms terms = Formulas.parse("f", " ");

        assertThat(terms.additions()).isEmpty();
        assertThat(terms.subtractions()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"fno.a fno.b", "fno.a +", "fno.a + - fno.b", "fno.a+fno.b", "fno", "- "})
    void parse_malformed_namesTheField(String formula) {
        assertThatThrownBy(() -> Formulas.parse("calculatedMeasures.x", formula))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("calculatedMeasures.x: ");
    }
}
