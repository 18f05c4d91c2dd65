package io.ivs.core.atp;

import io.ivs.core.InvalidInputException;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.config.ScheduleSettings;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.ChangeResolver;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.PartitionIds;
import io.ivs.core.onhand.RecordKey;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Validates a change schedule (spec A.3, C-A3, C-A15): schedules switched on, every date inside
 * the schedule period that starts today (UTC), every measure a physical component of an ATP
 * measure and not {@code fno}. Dimensions follow the on-hand rules, partition rule included.
 */
public final class ScheduleResolver {
    public static final int DATES_PER_SCHEDULE_MAX = ScheduleSettings.PERIOD_DAYS_MAX;

    private ScheduleResolver() {}

    public static ResolvedSchedule resolve(
            EnvironmentId environmentId,
            RuntimeConfiguration config,
            ScheduleCommand command,
            LocalDate today) {
        requireEnabled(config);
        ChangeResolver.requireId("id", command.id());
        String org = Limits.requireText("organizationId", command.organizationId());
        String product = Limits.requireText("productId", command.productId());
        DimensionSet dims = ChangeResolver.resolveDimensions(
                config, command.dimensionDataSource(), command.dimensions());
        SortedMap<LocalDate, SortedMap<MeasureRef, BigDecimal>> byDate =
                quantities(config, command.quantitiesByDate(), today);
        StringBuilder content = new StringBuilder()
                .append(org)
                .append('\u0000')
                .append(product)
                .append('\u0000')
                .append(dims.key());
        byDate.forEach(
                (date, measures) -> measures.forEach((ref, quantity) -> content.append('\u0000')
                        .append(date)
                        .append(' ')
                        .append(ref.qualified())
                        .append('=')
                        .append(quantity.toPlainString())));
        return new ResolvedSchedule(
                EventId.of(command.id()),
                new RecordKey(environmentId, org, product, dims),
                PartitionIds.of(config.partitionRule(), org, product, dims),
                byDate,
                Fingerprints.of(content.toString()));
    }

    public static void requireEnabled(RuntimeConfiguration config) {
        if (!config.schedule().enabled()) {
            throw new InvalidInputException(
                    "",
                    "change schedules and available-to-promise are"
                            + " switched off for this environment; set"
                            + " scheduleConfiguration.isScheduleEnabled to true in the"
                            + " configuration");
        }
    }

    /** The last day a change schedule may be dated when the period starts {@code today}. */
    public static LocalDate windowEnd(RuntimeConfiguration config, LocalDate today) {
        return today.plusDays(config.schedule().windowDays() - 1L);
    }

    private static SortedMap<LocalDate, SortedMap<MeasureRef, BigDecimal>> quantities(
            RuntimeConfiguration config, QuantitiesByDate byDateText, LocalDate today) {
        if (byDateText.isEmpty()) {
            throw new InvalidInputException("quantitiesByDate", "must hold at least one date");
        }
        if (byDateText.size() > DATES_PER_SCHEDULE_MAX) {
            throw new InvalidInputException(
                    "quantitiesByDate", "holds more than " + DATES_PER_SCHEDULE_MAX + " dates");
        }
        Set<MeasureRef> scheduled = scheduledMeasures(config);
        LocalDate end = windowEnd(config, today);
        SortedMap<LocalDate, SortedMap<MeasureRef, BigDecimal>> result = new TreeMap<>();
        for (Map.Entry<String, Quantities> day : byDateText.asMap().entrySet()) {
            String field = "quantitiesByDate." + day.getKey();
            LocalDate date = ScheduleDates.parse(field, day.getKey());
            if (date.isBefore(today) || date.isAfter(end)) {
                throw new InvalidInputException(
                        field,
                        "is outside the schedule period " + today + " to " + end + " (UTC, "
                                + config.schedule().windowDays() + " days)");
            }
            if (result.put(date, measures(config, field, day.getValue(), scheduled)) != null) {
                throw new InvalidInputException(field, "names date " + date + " a second time");
            }
        }
        return result;
    }

    private static SortedMap<MeasureRef, BigDecimal> measures(
            RuntimeConfiguration config,
            String field,
            Quantities bySource,
            Set<MeasureRef> scheduled) {
        SortedMap<MeasureRef, BigDecimal> result = new TreeMap<>();
        bySource.forEachDataSource((source, measures) -> {
            String sourceField = field + "." + source;
            DataSourceConfig ds = config.dataSource(source.strip())
                    .orElseThrow(() -> new InvalidInputException(
                            sourceField, "data source '" + source + "' is not configured"));
            // Schedules never write an ERP-owned data source, not even for the ERP.
            if (config.isErpOwned(ds)) {
                throw new ReadOnlyException(
                        sourceField,
                        "data source '" + ds.name() + "' is written only by"
                                + " the ERP integration and is read-only for API callers");
            }
            for (Quantities.Entry measure : measures) {
                String measureField = sourceField + "." + measure.measure();
                MeasureRef ref = new MeasureRef(ds.key(), measure.measure().strip());
                if (!ds.physicalMeasures().contains(ref.measure())) {
                    throw new InvalidInputException(
                            measureField,
                            "'" + ref.measure() + "' is not a physical measure of data source '"
                                    + ds.name() + "'");
                }
                if (!scheduled.contains(ref)) {
                    throw new InvalidInputException(
                            measureField,
                            "'" + ref + "' is not a"
                                    + " component of any ATP measure"
                                    + " (scheduleConfiguration.atpCalculatedMeasures)");
                }
                BigDecimal quantity = Limits.requireQuantity(measureField, measure.quantity());
                if (result.put(ref, quantity) != null) {
                    throw new InvalidInputException(measureField, "is given more than once");
                }
            }
        });
        if (result.isEmpty()) {
            throw new InvalidInputException(field, "must name at least one measure");
        }
        return result;
    }

    /** The physical measures that ATP measures are made of: the only ones a schedule may name. */
    public static Set<MeasureRef> scheduledMeasures(RuntimeConfiguration config) {
        Set<MeasureRef> measures = new HashSet<>();
        for (MeasureRef atp : config.schedule().atpMeasures()) {
            config.calculated(atp).ifPresent(c -> measures.addAll(c.components()));
        }
        return measures;
    }
}
