package io.ivs.core.config;

import io.ivs.core.measure.MeasureRef;

import java.util.List;

/**
 * On-hand change schedules and available-to-promise ({@code scheduleConfiguration}, spec A.2):
 * the switch, the schedule period in days (today included), the calculated measures ATP is
 * computed for, and the index sets ATP results may be grouped by.
 */
public record ScheduleSettings(
        boolean enabled, int periodDays, List<MeasureRef> atpMeasures, List<IndexSet> indexSets) {
    public static final int PERIOD_DAYS_DEFAULT = 30;
    public static final int PERIOD_DAYS_MAX = 180;
    public static final int ATP_PHYSICAL_MEASURES_MAX = 8;

    public ScheduleSettings {
        atpMeasures = List.copyOf(atpMeasures);
        indexSets = List.copyOf(indexSets);
    }

    public static ScheduleSettings disabled() {
        return new ScheduleSettings(false, PERIOD_DAYS_DEFAULT, List.of(), List.of());
    }
}
