package io.ivs.core.config;

import io.ivs.core.dimension.BaseDimension;

import java.util.ArrayList;
import java.util.List;

/**
 * Inventory summary and preloaded on-hand (spec §4.1, §4.2): the two switches
 * ({@code storageConfiguration}, {@code onHandIndexQueryPreloadStorageConfiguration}), how often
 * the periodic refresh runs, whether the change feed also refreshes changed products at once
 * ({@link RefreshMode#IMMEDIATE}, an IVS extension), and the preload group-by dimensions.
 *
 * @param preloadGroupBy lower-case base dimensions of preload set 0, as configured
 */
public record SummarySettings(
        boolean summaryEnabled,
        boolean preloadEnabled,
        RefreshMode mode,
        int frequencyMinutes,
        List<String> preloadGroupBy) {
    /** As the original service: every 15 minutes by default, not more often than every 5. */
    public static final int FREQUENCY_MINUTES_DEFAULT = 15;

    public static final int FREQUENCY_MINUTES_MIN = 5;
    public static final int FREQUENCY_MINUTES_MAX = 1440;

    /** How the tables follow the on-hand data. */
    public enum RefreshMode {
        /** Rebuilt every {@code frequencyMinutes} minutes. */
        PERIODIC,
        /** Also refreshed for each committed change, product by product. */
        IMMEDIATE
    }

    public SummarySettings {
        preloadGroupBy = List.copyOf(preloadGroupBy);
    }

    public static SummarySettings disabled() {
        return new SummarySettings(
                false, false, RefreshMode.PERIODIC, FREQUENCY_MINUTES_DEFAULT, List.of());
    }

    public boolean anyEnabled() {
        return summaryEnabled || preloadEnabled;
    }

    /**
     * The dimensions a preload row is grouped by: site and location always (spec A21), then the
     * configured ones in their order, each once.
     */
    public List<String> effectivePreloadGroupBy() {
        List<String> groupBy = new ArrayList<>(List.of(BaseDimension.SITE, BaseDimension.LOCATION));
        for (String dimension : preloadGroupBy) {
            if (!groupBy.contains(dimension)) {
                groupBy.add(dimension);
            }
        }
        return List.copyOf(groupBy);
    }
}
