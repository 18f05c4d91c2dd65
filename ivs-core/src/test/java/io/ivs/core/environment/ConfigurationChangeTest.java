package io.ivs.core.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.TestConfigurations;
import io.ivs.core.config.AllocationSettings;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.config.ScheduleSettings;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

class ConfigurationChangeTest {
    /** Stored data as given, counting how often each fact was asked for. */
    private static final class Stored implements ConfigurationChange.StoredData {
        private final boolean records;
        private final boolean allocations;
        final AtomicInteger asked = new AtomicInteger();

        Stored(boolean records, boolean allocations) {
            this.records = records;
            this.allocations = allocations;
        }

        @Override
        public boolean holdsRecords() {
            asked.incrementAndGet();
            return records;
        }

        @Override
        public boolean holdsAllocations() {
            asked.incrementAndGet();
            return allocations;
        }
    }

    private static RuntimeConfiguration config(PartitionRule rule, String... groups) {
        RuntimeConfiguration base =
                TestConfigurations.of(rule, TestConfigurations.defaultSources());
        return new RuntimeConfiguration(
                base.dataSources(),
                rule,
                base.indexSets(),
                base.reservation(),
                ScheduleSettings.disabled(),
                new AllocationSettings(groups.length > 0, List.of(groups)));
    }

    @Test
    void partitionRuleChange_onAnEnvironmentWithRecords_isRefused() {
        List<String> problems = ConfigurationChange.problems(
                config(PartitionRule.BY_LOCATION),
                config(PartitionRule.BY_PRODUCT),
                new Stored(true, false));

        assertThat(problems).singleElement().asString().startsWith("the partition rule can change");
    }

    @Test
    void partitionRuleChange_onAnEmptyEnvironment_isSafe() {
        assertThat(ConfigurationChange.problems(
                        config(PartitionRule.BY_LOCATION),
                        config(PartitionRule.BY_PRODUCT),
                        new Stored(false, true)))
                .isEmpty();
    }

    @Test
    void unchangedRuleAndLevels_askNothingOfTheDatabase() {
        Stored stored = new Stored(true, true);

        assertThat(ConfigurationChange.problems(
                        config(PartitionRule.BY_LOCATION, "channel"),
                        config(PartitionRule.BY_LOCATION, "channel", "customer"),
                        stored))
                .isEmpty();
        assertThat(stored.asked).hasValue(0);
    }

    @Test
    void reorderedOrRemovedLevels_whileAllocationsExist_areRefused() {
        RuntimeConfiguration held = config(PartitionRule.BY_LOCATION, "Channel", "customer");

        assertThat(ConfigurationChange.problems(
                        held,
                        config(PartitionRule.BY_LOCATION, "customer", "channel"),
                        new Stored(false, true)))
                .singleElement()
                .asString()
                .startsWith("allocationConfiguration.groups removes or reorders levels"
                        + " [channel, customer]");
        assertThat(ConfigurationChange.problems(
                        held,
                        config(PartitionRule.BY_LOCATION, "channel"),
                        new Stored(false, true)))
                .hasSize(1);
    }

    @Test
    void levelsMatchWithoutCase_andRemovalWithoutAllocationsIsSafe() {
        RuntimeConfiguration held = config(PartitionRule.BY_LOCATION, "Channel");

        assertThat(ConfigurationChange.problems(
                        held, config(PartitionRule.BY_LOCATION, "CHANNEL"), new Stored(true, true)))
                .isEmpty();
        assertThat(ConfigurationChange.problems(
                        held, config(PartitionRule.BY_LOCATION), new Stored(true, false)))
                .isEmpty();
    }

    @Test
    void bothRulesBroken_reportsBothInOrder() {
        List<String> problems = ConfigurationChange.problems(
                config(PartitionRule.BY_LOCATION, "channel"),
                config(PartitionRule.BY_PRODUCT),
                new Stored(true, true));

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("the partition rule");
        assertThat(problems.get(1)).startsWith("allocationConfiguration.groups");
    }

    @Test
    void environmentId_followsTheRule() {
        assertThat(EnvironmentId.of("prod-eu.1_a").value()).isEqualTo("prod-eu.1_a");
        assertThat(EnvironmentId.isValid("a".repeat(128))).isTrue();
        for (String bad : List.of("", "-lead", ".x", "a/b", "a b", "a".repeat(129), "é")) {
            assertThatThrownBy(() -> EnvironmentId.of(bad))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("environmentId: must be 1 to 128");
        }
    }
}
