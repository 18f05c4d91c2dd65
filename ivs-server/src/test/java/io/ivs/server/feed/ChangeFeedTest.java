package io.ivs.server.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvariantViolation;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.ReservationSettings;
import io.ivs.core.config.RuntimeConfiguration;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

class ChangeFeedTest {
    private static final RuntimeConfiguration CONFIG = new RuntimeConfiguration(
            Map.of(), PartitionRule.BY_LOCATION, List.of(), ReservationSettings.disabled());

    private static StoredChange row(String kind) {
        return new StoredChange(
                42,
                Instant.parse("2026-01-02T03:04:05Z"),
                "env",
                kind,
                "usmf",
                "Bike",
                Map.of("siteid", "1", "locationid", "11"),
                Map.of(),
                Map.of());
    }

    @Test
    void change_deletedRecord_carriesNoQuantities() {
        ChangeFeed.Change change = ChangeFeed.change(CONFIG, row(StoredChange.KIND_DELETED));

        assertThat(change.kind()).isEqualTo("deleted");
        assertThat(change.quantities()).isNull();
        assertThat(change.schedule()).isNull();
    }

    @Test
    void change_unknownKind_throwsInvariantViolation() {
        assertThatThrownBy(() -> ChangeFeed.change(CONFIG, row("renamed")))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessage("invariant violated: change 42 has unknown kind 'renamed'");
    }
}
