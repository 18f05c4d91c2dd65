package io.ivs.core.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

class MeasureRefTest {
    @Test
    void equality_ignoresTheSpellingsCaseAndKeysMaps() {
        MeasureRef lower = new MeasureRef("pos", "inbound");
        MeasureRef mixed = MeasureRef.parse("measure", "POS.InBound");

        assertThat(mixed).isEqualTo(lower).hasSameHashCodeAs(lower);
        assertThat(mixed.qualified()).isEqualTo("pos.inbound");
        Map<MeasureRef, Integer> map = new HashMap<>(Map.of(lower, 1));
        assertThat(map.get(mixed)).isEqualTo(1);
    }

    @Test
    void equality_needsBothNames_andTheDotSplitsThemOnce() {
        MeasureRef ref = new MeasureRef("pos", "inbound");

        assertThat(ref)
                .isNotEqualTo(new MeasureRef("pos", "outbound"))
                .isNotEqualTo(new MeasureRef("fno", "inbound"))
                .isNotEqualTo(new MeasureRef("posinbound", ""))
                .isNotEqualTo("pos.inbound")
                .isNotEqualTo(null);
        // The data source ends at the first dot: "a.b.c" is data source "a", measure "b.c".
        assertThat(MeasureRef.parse("measure", "a.b.c"))
                .isEqualTo(new MeasureRef("a", "b.c"))
                .isNotEqualTo(new MeasureRef("a.b", "c"));
    }

    @Test
    void parse_withoutBothNames_isRefusedNamingTheField() {
        for (String bad : new String[] {"pos", ".inbound", "pos.", ""}) {
            assertThatThrownBy(() -> MeasureRef.parse("measures[0]", bad))
                    .as(bad)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("measures[0]: ")
                    .hasMessageContaining("dataSource.measure");
        }
    }
}
