package io.ivs.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.measure.MeasureRef;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The crossing logic alone: which values report which alerts, and which report nothing. */
class AlertStateTest {
    private static AlertRule rule(String threshold, String hysteresis) {
        return new AlertRule(
                "r",
                new MeasureRef("iv", "availabletoreserve"),
                "usmf",
                null,
                Map.of(),
                new BigDecimal(threshold),
                new BigDecimal(hysteresis));
    }

    /** Walks the values from "not seen"; answers the alerts of each step, joined by '+'. */
    private static List<String> walk(AlertRule rule, int... values) {
        @Nullable AlertState state = null;
        List<String> alerts = new ArrayList<>();
        for (int value : values) {
            AlertState.Step step = AlertState.next(state, BigDecimal.valueOf(value), rule);
            alerts.add(String.join("+", step.alerts()));
            state = step.state();
        }
        return alerts;
    }

    @Test
    void next_zeroThreshold_reportsOutAndBackOnlyOnCrossings() {
        assertThat(walk(rule("0", "0"), 5, 0, 0, 3, 7, 0, -2, 1))
                .containsExactly(
                        "", "stock.out", "", "stock.back", "", "stock.out", "", "stock.back");
    }

    @Test
    void next_unseenProductAlreadyOut_reportsOutOnce() {
        assertThat(walk(rule("0", "0"), 0, 0)).containsExactly("stock.out", "");
    }

    @Test
    void next_threshold_reportsBelowAndRecoveredBesideOutAndBack() {
        assertThat(walk(rule("5", "0"), 10, 5, 4, 0, 3, 6, 0, 9))
                .containsExactly(
                        "",
                        "stock.below",
                        "",
                        "stock.out",
                        "stock.back",
                        "stock.recovered",
                        "stock.below+stock.out",
                        "stock.back+stock.recovered");
    }

    @Test
    void next_hysteresis_recoveryNeedsTheLevelPlusHysteresis() {
        assertThat(walk(rule("5", "2"), 10, 5, 6, 7, 8, 0, 2, 3))
                .containsExactly(
                        "",
                        "stock.below",
                        "",
                        "",
                        "stock.recovered",
                        "stock.below+stock.out",
                        "",
                        "stock.back");
    }
}
