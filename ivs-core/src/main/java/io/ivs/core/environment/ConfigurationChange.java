package io.ivs.core.environment;

import io.ivs.core.config.RuntimeConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a new configuration may change while the environment holds data (spec §3.7). Records are
 * stored per partition, so the partition rule changes only on an empty environment; allocation
 * buckets are stored by their path of group values, so levels may only be appended while some
 * bucket holds an allocation. The facts are asked for only when a rule needs them: each costs a
 * database look-up.
 */
public final class ConfigurationChange {
    private ConfigurationChange() {}

    /** What the rules need to know of the environment's stored data. */
    public interface StoredData {
        boolean holdsRecords();

        boolean holdsAllocations();
    }

    /** The problems that make the change unsafe, in a stable order; empty when it is safe. */
    public static List<String> problems(
            RuntimeConfiguration current, RuntimeConfiguration next, StoredData stored) {
        List<String> problems = new ArrayList<>(2);
        if (current.partitionRule() != next.partitionRule() && stored.holdsRecords()) {
            problems.add("the partition rule can change"
                    + " only when the environment holds no data; delete all inventory"
                    + " data first"
                    + " (DELETE .../cleanupalldata, or each partition of"
                    + " GET .../allpartitionids with DELETE .../partitions/cleanupalldata)");
        }
        List<String> held = lower(current.allocation().groups());
        if (!appendsOnly(held, lower(next.allocation().groups())) && stored.holdsAllocations()) {
            problems.add("allocationConfiguration.groups"
                    + " removes or reorders levels " + held
                    + " while allocations exist; only"
                    + " appending levels is safe. Unallocate the allocations first.");
        }
        return List.copyOf(problems);
    }

    /** Group names compare without case, as the configuration matches them (spec A14). */
    static boolean appendsOnly(List<String> held, List<String> kept) {
        return kept.size() >= held.size() && kept.subList(0, held.size()).equals(held);
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }
}
