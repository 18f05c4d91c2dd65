package io.ivs.core.config;

import java.util.List;

/**
 * Inventory allocation ({@code allocationConfiguration}, spec B.2): the switch and the group
 * hierarchy, highest level first (Group0 … Group7), names as configured (matched without case).
 */
public record AllocationSettings(boolean enabled, List<String> groups) {
    public static final int GROUP_LEVELS_MAX = 8;
    public static final String DATA_SOURCE = "@iv";
    public static final String ALLOCATED = "@allocated";
    public static final String CUMULATIVE_ALLOCATED = "@cumulative_allocated";
    public static final String CONSUMED = "@consumed";
    public static final String CUMULATIVE_CONSUMED = "@cumulative_consumed";
    public static final String AVAILABLE_TO_ALLOCATE = "@available_to_allocate";
    public static final List<String> PHYSICAL_MEASURES =
            List.of(ALLOCATED, CUMULATIVE_ALLOCATED, CONSUMED, CUMULATIVE_CONSUMED);

    public AllocationSettings {
        groups = List.copyOf(groups);
    }

    public static AllocationSettings disabled() {
        return new AllocationSettings(false, List.of());
    }
}
