package io.ivs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void ratio_ceilingMeasured_isQuotient() {
        assertThat(Stats.ratio(800, 1000)).isEqualTo(0.8);
    }

    @Test
    void ratio_ceilingZeroOrNaN_isNaN() {
        assertThat(Stats.ratio(800, 0)).isNaN();
        assertThat(Stats.ratio(800, Double.NaN)).isNaN();
        assertThat(Stats.ratio(Double.NaN, 10)).isNaN();
    }

    @Test
    void number_largeAndSmall_areRoundedForTables() {
        assertThat(Stats.number(12_345.6)).isEqualTo("12,346");
        assertThat(Stats.number(42.26)).isEqualTo("42.3");
        assertThat(Stats.number(Double.NaN)).isEqualTo("–");
    }

    @Test
    void fixed_nan_isDash() {
        assertThat(Stats.fixed(1.005, 1)).isEqualTo("1.0");
        assertThat(Stats.fixed(Double.POSITIVE_INFINITY, 2)).isEqualTo("–");
    }
}
