package io.ivs.core.config;

import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a configuration as a whole (DESIGN D10): every reference resolves, calculated measures
 * do not nest, mappings target base dimensions, index and reservation keys are base dimensions.
 * Each problem names the data source, measure or dimension at fault.
 */
public final class ConfigurationValidator {
    public static final int DATA_SOURCES_MAX = 64;
    public static final int MEASURES_PER_DATA_SOURCE_MAX = 256;
    public static final int INDEX_SETS_MAX = 16;

    private ConfigurationValidator() {}

    public static List<String> validate(RuntimeConfiguration config) {
        List<String> problems = new ArrayList<>();
        if (config.dataSources().size() > DATA_SOURCES_MAX) {
            problems.add("at most " + DATA_SOURCES_MAX + " data sources are allowed");
        }
        for (DataSourceConfig ds : config.dataSources().values()) {
            checkDataSource(config, ds, problems);
        }
        checkIndexSets(config, problems);
        checkReservation(config, problems);
        checkSchedule(config, problems);
        checkAllocation(config, problems);
        checkSummary(config.summary(), problems);
        return problems;
    }

    /**
     * What an environment needs before its configuration may become active, beyond being
     * consistent: a physical measure to write. A configuration without a query index stays
     * acceptable, as in the original service: writes work and every query answers "No index
     * hierarchy has been set." (spec §3.8) until an index is configured.
     */
    public static List<String> servable(RuntimeConfiguration config) {
        List<String> problems = new ArrayList<>();
        boolean writable = config.dataSources().values().stream()
                .anyMatch(ds -> !ds.physicalMeasures().isEmpty());
        if (!writable) {
            problems.add("inventorySystemConfigurations: no data source has a physical measure,"
                    + " so nothing could be written");
        }
        return problems;
    }

    /** Frequency bounds as in the original service; preload groups by base dimensions. */
    private static void checkSummary(SummarySettings summary, List<String> problems) {
        int minutes = summary.frequencyMinutes();
        if (minutes < SummarySettings.FREQUENCY_MINUTES_MIN
                || minutes > SummarySettings.FREQUENCY_MINUTES_MAX) {
            problems.add("storageConfiguration.ohmsBackgroundServiceFreq: must be "
                    + SummarySettings.FREQUENCY_MINUTES_MIN + " to "
                    + SummarySettings.FREQUENCY_MINUTES_MAX + " minutes, not " + minutes);
        }
        for (String dimension : summary.preloadGroupBy()) {
            if (!BaseDimension.isBase(dimension)) {
                problems.add("onHandIndexQueryPreloadStorageConfiguration.groupByValues: '"
                        + dimension + "' is not a base dimension");
            }
        }
    }

    private static void checkDataSource(
            RuntimeConfiguration config, DataSourceConfig ds, List<String> problems) {
        String where = "data source '" + ds.name() + "'";
        if (ds.name().isBlank()) {
            problems.add("a data source has an empty name");
        }
        for (Map.Entry<String, String> mapping : ds.dimensionMappings().entrySet()) {
            if (!BaseDimension.isBase(mapping.getValue())) {
                problems.add(where + ": dimension mapping '" + mapping.getKey() + "' targets '"
                        + mapping.getValue() + "', which is not a base dimension");
            } else if (BaseDimension.isBase(mapping.getKey())
                    && !mapping.getKey().equals(mapping.getValue())) {
                problems.add(where + ": dimension mapping '" + mapping.getKey()
                        + "' is a base dimension name and may only map to itself");
            }
        }
        int measures = ds.physicalMeasures().size() + ds.calculatedMeasures().size();
        if (measures > MEASURES_PER_DATA_SOURCE_MAX) {
            problems.add(where + ": at most " + MEASURES_PER_DATA_SOURCE_MAX + " measures");
        }
        for (String physical : ds.physicalMeasures()) {
            if (physical.isBlank()) {
                problems.add(where + ": a physical measure has an empty name");
            }
        }
        for (CalculatedMeasure calculated : ds.calculatedMeasures().values()) {
            checkCalculated(config, ds, calculated, problems);
        }
        for (Map.Entry<String, MeasureRef> mapping : ds.reservMappings().entrySet()) {
            if (!ds.physicalMeasures().contains(mapping.getKey())) {
                problems.add(where + ": reservation mapping '" + mapping.getKey()
                        + "' is not a physical measure of this data source");
            }
            if (config.calculated(mapping.getValue()).isEmpty()) {
                problems.add(where + ": reservation mapping '" + mapping.getKey() + "' targets '"
                        + mapping.getValue() + "', which is not a calculated measure");
            }
        }
    }

    private static void checkCalculated(
            RuntimeConfiguration config,
            DataSourceConfig ds,
            CalculatedMeasure calculated,
            List<String> problems) {
        String where = "calculated measure '" + ds.name() + "." + calculated.name() + "'";
        if (ds.physicalMeasures().contains(calculated.name())) {
            problems.add(where + ": a physical measure of the same data source has this name");
        }
        if (calculated.components().isEmpty()) {
            problems.add(where + ": has no components");
        }
        Set<MeasureRef> seen = new HashSet<>();
        for (MeasureRef component : calculated.components()) {
            if (!seen.add(component)) {
                problems.add(where + ": component '" + component + "' appears more than once");
            } else if (config.isPhysical(component)) {
                continue;
            } else if (config.calculated(component).isPresent()) {
                problems.add(where + ": component '" + component
                        + "' is a calculated measure; calculated measures cannot be nested");
            } else if (config.dataSource(component.dataSource()).isEmpty()) {
                problems.add(where + ": component '" + component + "' names data source '"
                        + component.dataSource() + "', which is not configured");
            } else {
                problems.add(where + ": component '" + component
                        + "' is not a physical measure of data source '"
                        + component.dataSource() + "'");
            }
        }
    }

    private static void checkIndexSets(RuntimeConfiguration config, List<String> problems) {
        if (config.indexSets().size() > INDEX_SETS_MAX) {
            problems.add("at most " + INDEX_SETS_MAX + " index sets are allowed");
        }
        Set<Integer> numbers = new HashSet<>();
        for (IndexSet set : config.indexSets()) {
            if (!numbers.add(set.setNumber())) {
                problems.add("index set " + set.setNumber() + " is defined more than once");
            }
            for (String key : set.keys()) {
                if (!BaseDimension.isBase(key) && !BaseDimension.EMPTY.equals(key)) {
                    problems.add("index set " + set.setNumber() + ": '" + key
                            + "' is not a base dimension");
                } else if (BaseDimension.isPartition(key)
                        && config.partitionRule().byLocation()) {
                    problems.add("index set " + set.setNumber() + ": partition dimension '" + key
                            + "' must not be part of a query index");
                }
            }
        }
    }

    private static void checkReservation(RuntimeConfiguration config, List<String> problems) {
        ReservationSettings reservation = config.reservation();
        if (reservation.version() != 0 && reservation.version() != 1) {
            problems.add("reservConfiguration.version must be 0 (strict) or 1 (ignore unknown)");
        }
        for (String key : reservation.keys()) {
            if (!BaseDimension.isBase(key)) {
                problems.add("reservConfiguration.keys: '" + key + "' is not a base dimension");
            }
        }
        if (reservation.enabled()
                && config.partitionRule().locationRequiredOnCommitments()
                && !(reservation.keys().contains(BaseDimension.SITE)
                        && reservation.keys().contains(BaseDimension.LOCATION))) {
            problems.add("reservConfiguration.keys must contain siteid and locationid"
                    + " under the " + config.partitionRule().label() + " partition rule");
        }
    }

    private static void checkSchedule(RuntimeConfiguration config, List<String> problems) {
        ScheduleSettings schedule = config.schedule();
        if (schedule.periodDays() < 1 || schedule.periodDays() > ScheduleSettings.PERIOD_DAYS_MAX) {
            problems.add("scheduleConfiguration.schedulePeriodInDays must be 1 to "
                    + ScheduleSettings.PERIOD_DAYS_MAX + ", not " + schedule.periodDays());
        }
        schedule.measurePeriodDays().forEach((ref, days) -> {
            if (days < 1 || days > ScheduleSettings.PERIOD_DAYS_MAX) {
                problems.add("scheduleConfiguration.atpCalculatedMeasures." + ref
                        + ": the period must be 1 to " + ScheduleSettings.PERIOD_DAYS_MAX
                        + " days, not " + days);
            }
        });
        Set<MeasureRef> physical = new java.util.TreeSet<>();
        for (MeasureRef ref : schedule.atpMeasures()) {
            var calculated = config.calculated(ref);
            if (calculated.isEmpty()) {
                problems.add("scheduleConfiguration.atpCalculatedMeasures: '" + ref
                        + "' is not a calculated measure");
            } else {
                physical.addAll(calculated.get().components());
            }
        }
        if (physical.size() > ScheduleSettings.ATP_PHYSICAL_MEASURES_MAX) {
            problems.add("scheduleConfiguration.atpCalculatedMeasures use " + physical.size()
                    + " distinct physical measures " + physical + "; at most "
                    + ScheduleSettings.ATP_PHYSICAL_MEASURES_MAX + " are allowed");
        }
        if (schedule.enabled() && schedule.atpMeasures().isEmpty()) {
            problems.add("scheduleConfiguration.atpCalculatedMeasures must name at least one"
                    + " calculated measure when schedules are enabled");
        }
        for (IndexSet set : schedule.indexSets()) {
            for (String key : set.keys()) {
                if (!BaseDimension.isBase(key)) {
                    problems.add("scheduleConfiguration index set " + set.setNumber() + ": '" + key
                            + "' is not a base dimension");
                }
            }
        }
    }

    /**
     * With allocation on, the system data source {@code @iv} must hold its predefined physical
     * measures and {@code @available_to_allocate}, which must subtract {@code @iv.@allocated}.
     */
    private static void checkAllocation(RuntimeConfiguration config, List<String> problems) {
        AllocationSettings allocation = config.allocation();
        if (allocation.groups().size() > AllocationSettings.GROUP_LEVELS_MAX) {
            problems.add("allocationConfiguration.groups has "
                    + allocation.groups().size() + " levels; at most "
                    + AllocationSettings.GROUP_LEVELS_MAX + " are allowed");
        }
        if (allocation.groups().stream()
                        .map(g -> g.toLowerCase(java.util.Locale.ROOT))
                        .distinct()
                        .count()
                != allocation.groups().size()) {
            problems.add("allocationConfiguration.groups names a group more than once");
        }
        if (!allocation.enabled()) {
            return;
        }
        var iv = config.dataSource(AllocationSettings.DATA_SOURCE);
        if (iv.isEmpty()) {
            problems.add("allocation needs the system data source '@iv'");
            return;
        }
        for (String measure : AllocationSettings.PHYSICAL_MEASURES) {
            if (!iv.get().physicalMeasures().contains(measure)) {
                problems.add("data source '@iv': predefined physical measure '" + measure
                        + "' is missing; it must not be renamed or deleted");
            }
        }
        var ata = iv.get().calculatedMeasures().get(AllocationSettings.AVAILABLE_TO_ALLOCATE);
        if (ata == null) {
            problems.add("data source '@iv': calculated measure '@available_to_allocate' is"
                    + " missing; it must not be renamed or deleted");
        } else if (!ata.subtractions()
                .contains(new MeasureRef(
                        AllocationSettings.DATA_SOURCE, AllocationSettings.ALLOCATED))) {
            problems.add("calculated measure '@iv.@available_to_allocate' must subtract"
                    + " '@iv.@allocated'");
        }
    }
}
