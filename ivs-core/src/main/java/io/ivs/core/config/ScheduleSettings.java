package io.ivs.core.config;

import io.ivs.core.measure.MeasureRef;

import java.util.List;
import java.util.Map;

/**
 * On-hand change schedules and available-to-promise ({@code scheduleConfiguration}, spec A.2):
 * the switch, the schedule period in days (today included), the calculated measures ATP is
 * computed for, and the index sets ATP results may be grouped by. An ATP measure may carry its own
 * period (the original's object form {@code {"@iv": {"@available_to_reserve": 7}}}); ATP for it is
 * computed and reported over that period, the others over {@code periodDays}.
 *
 * @param measurePeriodDays the ATP measures that have their own period, and that period
 */
public record ScheduleSettings(
        boolean enabled,
        int periodDays,
        List<MeasureRef> atpMeasures,
        Map<MeasureRef, Integer> measurePeriodDays,
        List<IndexSet> indexSets) {
    public static final int PERIOD_DAYS_DEFAULT = 30;
    public static final int PERIOD_DAYS_MAX = 180;
    public static final int ATP_PHYSICAL_MEASURES_MAX = 8;

    public ScheduleSettings {
        atpMeasures = List.copyOf(atpMeasures);
        measurePeriodDays = Map.copyOf(measurePeriodDays);
        indexSets = List.copyOf(indexSets);
    }

    /** Settings where every ATP measure uses the one schedule period. */
    public ScheduleSettings(
            boolean enabled,
            int periodDays,
            List<MeasureRef> atpMeasures,
            List<IndexSet> indexSets) {
        this(enabled, periodDays, atpMeasures, Map.of(), indexSets);
    }

    public static ScheduleSettings disabled() {
        return new ScheduleSettings(false, PERIOD_DAYS_DEFAULT, List.of(), List.of());
    }

    /** The period ATP of {@code measure} is computed and reported over. */
    public int periodDays(MeasureRef measure) {
        return measurePeriodDays.getOrDefault(measure, periodDays);
    }

    /**
     * The days a change schedule may be dated in (today included): the longest period, so that
     * every ATP measure can see schedules inside its own period.
     */
    public int windowDays() {
        int days = periodDays;
        for (int measureDays : measurePeriodDays.values()) {
            days = Math.max(days, measureDays);
        }
        return days;
    }
}
