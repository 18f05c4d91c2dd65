package io.ivs.core;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

class InvariantsTest {

    @Test
    void check_conditionHolds_doesNothing() {
        assertThatCode(() -> {
                    Invariants.check(true, "unused");
                    Invariants.check(true, "unused %s", 1);
                    Invariants.check(true, "unused %s %s", 1, 2);
                    Invariants.check(true, "unused %s %s %s", 1, 2, 3);
                })
                .doesNotThrowAnyException();
    }

    @Test
    void check_conditionFails_throwsViolationWithFormattedMessage() {
        BigDecimal quantity = new BigDecimal("-1.5");

        assertThatThrownBy(() -> Invariants.check(
                        quantity.signum() >= 0, "ledger %s holds %s", "r-1", quantity))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessage("invariant violated: ledger r-1 holds -1.5");
    }

    @Test
    void check_eachArity_namesEveryArgument() {
        assertThatThrownBy(() -> Invariants.check(false, "plain 100%"))
                .hasMessage("invariant violated: plain 100%");
        assertThatThrownBy(() -> Invariants.check(false, "one %s", "a"))
                .hasMessage("invariant violated: one a");
        assertThatThrownBy(() -> Invariants.check(false, "two %s %s", "a", null))
                .hasMessage("invariant violated: two a null");
        assertThatThrownBy(() -> Invariants.check(false, "three %s %s %s", "a", "b", "c"))
                .hasMessage("invariant violated: three a b c");
    }

    @Test
    void violated_brokenPattern_stillReportsTheViolation() {
        InvariantViolation violation = Invariants.violated("count %d", "not a number");

        assertThatThrownBy(() -> {
                    throw violation;
                })
                .hasMessage("invariant violated: count %d [not a number]");
    }

    @Test
    void violation_isUncheckedButNoIllegalStateOrError() {
        InvariantViolation violation = Invariants.violated("x");

        assertThatThrownBy(() -> {
                    throw violation;
                })
                .isInstanceOf(RuntimeException.class)
                .isNotInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(InvalidInputException.class);
    }
}
