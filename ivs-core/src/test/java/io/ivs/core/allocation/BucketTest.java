package io.ivs.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvariantViolation;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

class BucketTest {

    private static Bucket bucket(
            String allocated,
            String consumed,
            String cumulativeAllocated,
            String cumulativeConsumed) {
        return new Bucket(
                "usmf",
                "Bike",
                Map.of("siteid", "1"),
                List.of("Online", "VIP"),
                new BigDecimal(allocated),
                new BigDecimal(consumed),
                new BigDecimal(cumulativeAllocated),
                new BigDecimal(cumulativeConsumed));
    }

    @Test
    void construct_withinBounds_keepsTheValues() {
        Bucket emptied = bucket("0", "7", "7", "7");
        Bucket partly = bucket("3", "2", "10", "2");

        assertThat(emptied.allocated()).isZero();
        assertThat(partly.cumulativeAllocated()).isEqualByComparingTo("10");
    }

    @Test
    void construct_allocatedBelowZero_throwsInvariantViolation() {
        assertThatThrownBy(() -> bucket("-1", "0", "5", "0"))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessage("invariant violated: bucket [Online, VIP] of product 'Bike'"
                        + " {siteid=1}: allocated -1, cumulative allocated 5");
    }

    @Test
    void construct_allocatedAboveCumulative_throwsInvariantViolation() {
        assertThatThrownBy(() -> bucket("6", "0", "5", "0"))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessageContaining("allocated 6, cumulative allocated 5");
    }

    @Test
    void construct_consumedBelowZeroOrAboveCumulative_throwsInvariantViolation() {
        assertThatThrownBy(() -> bucket("1", "-2", "1", "0"))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessageContaining("consumed -2, cumulative consumed 0");
        assertThatThrownBy(() -> bucket("1", "3", "1", "2"))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessageContaining("consumed 3, cumulative consumed 2");
    }
}
