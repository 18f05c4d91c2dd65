package io.ivs.core.atp;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Invariants;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.Rejection;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.environment.Configurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.WriteOutcome;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.ItemResult;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.OnHandStore;
import io.ivs.core.onhand.QueryPlanner;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.QueryResults;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Change schedules and available-to-promise queries (spec part A). "Today" is the UTC date of the
 * injected clock, so the window slides with the date and tests can move it (C-A2).
 */
public final class AtpService {
    private final OnHandStore store;
    private final ScheduleStore schedules;
    private final Configurations configurations;
    private final Clock clock;

    public AtpService(
            OnHandStore store,
            ScheduleStore schedules,
            Configurations configurations,
            Clock clock) {
        this.store = store;
        this.schedules = schedules;
        this.configurations = configurations;
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC));
    }

    public List<ItemResult> schedule(EnvironmentId environmentId, List<ScheduleCommand> commands) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        if (commands.size() > Limits.BULK_ITEMS_MAX) {
            throw new InvalidInputException(
                    "", "a bulk request may hold at most " + Limits.BULK_ITEMS_MAX + " items");
        }
        LocalDate today = today();
        ItemResult[] results = new ItemResult[commands.size()];
        List<ResolvedSchedule> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            try {
                valid.add(ScheduleResolver.resolve(environmentId, config, commands.get(i), today));
                positions.add(i);
            } catch (InvalidInputException e) {
                results[i] = new ItemResult.Rejected(
                        commands.get(i).id(),
                        e instanceof ReadOnlyException ? Rejection.FORBIDDEN : Rejection.INVALID,
                        e.getMessage());
            }
        }
        if (!valid.isEmpty()) {
            List<WriteOutcome> outcomes = schedules.applySchedules(environmentId, valid);
            // One outcome per schedule, in order (ScheduleStore's contract), as for on-hand writes.
            Invariants.check(
                    outcomes.size() == valid.size(),
                    "%s outcomes to %s schedules",
                    outcomes.size(),
                    valid.size());
            for (int k = 0; k < outcomes.size(); k++) {
                WriteOutcome outcome = outcomes.get(k);
                results[positions.get(k)] = outcome.status() == WriteOutcome.Status.CONFLICT
                        ? new ItemResult.Rejected(
                                outcome.eventId().value(), Rejection.CONFLICT, outcome.message())
                        : new ItemResult.Accepted(outcome.eventId().value(), outcome.message());
            }
        }
        return List.of(results);
    }

    /**
     * An index or exact query with ATP: the group-by dimensions (besides site and location) must
     * equal one ATP index set (C-A11); {@code from} and {@code to} default to the window and are
     * clamped to it (C-A13).
     */
    public List<AtpRow> query(
            EnvironmentId environmentId,
            QueryRequest request,
            int apiVersion,
            @Nullable LocalDate from,
            @Nullable LocalDate to) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        ScheduleResolver.requireEnabled(config);
        OnHandQuery query = QueryPlanner.plan(config, request, apiVersion);
        requireAtpIndex(config, query);
        LocalDate start = today();
        LocalDate end = ScheduleResolver.windowEnd(config, start);
        LocalDate reportFrom = from == null || from.isBefore(start) ? start : from;
        LocalDate reportTo = to == null || to.isAfter(end) ? end : to;
        List<AtpSeries.Measure> measures = measures(config);
        Map<List<String>, AggregatedRow> groups = new LinkedHashMap<>();
        for (AggregatedRow row : store.query(environmentId, query)) {
            groups.put(key(row.organizationId(), row.productId(), row.groupValues()), row);
        }
        Map<List<String>, Map<LocalDate, Map<MeasureRef, BigDecimal>>> scheduled = new HashMap<>();
        for (ScheduleStore.ScheduledRow row :
                schedules.scheduled(environmentId, query, start, end)) {
            List<String> key = key(row.organizationId(), row.productId(), row.groupValues());
            groups.putIfAbsent(
                    key,
                    new AggregatedRow(
                            row.organizationId(), row.productId(), row.groupValues(), Map.of()));
            scheduled
                    .computeIfAbsent(key, k -> new TreeMap<>())
                    .computeIfAbsent(row.date(), d -> new HashMap<>())
                    .merge(row.measure(), row.quantity(), BigDecimal::add);
        }
        List<AtpRow> rows = new ArrayList<>(groups.size());
        groups.forEach((key, row) -> rows.add(new AtpRow(
                QueryResults.row(config, query, row),
                AtpSeries.compute(
                        measures,
                        row.physical(),
                        scheduled.getOrDefault(key, Map.of()),
                        start,
                        end,
                        reportFrom,
                        reportTo))));
        rows.sort(Comparator.comparing(AtpRow::row, QueryResults.ORDER));
        return rows;
    }

    private static List<String> key(String org, String product, List<String> groupValues) {
        List<String> key = new ArrayList<>(groupValues.size() + 2);
        key.add(org);
        key.add(product);
        key.addAll(groupValues);
        return key;
    }

    private static void requireAtpIndex(RuntimeConfiguration config, OnHandQuery query) {
        Set<String> grouped = new HashSet<>(query.groupBy());
        grouped.remove(BaseDimension.SITE);
        grouped.remove(BaseDimension.LOCATION);
        for (IndexSet set : config.schedule().indexSets()) {
            Set<String> keys = new HashSet<>(set.keys());
            keys.remove(BaseDimension.EMPTY);
            keys.remove(BaseDimension.SITE);
            keys.remove(BaseDimension.LOCATION);
            if (keys.equals(grouped)) {
                return;
            }
        }
        throw new InvalidInputException(
                "groupByValues",
                "must match an ATP index set"
                        + " (scheduleConfiguration.indexAttributeSets) when QueryATP is true;"
                        + " grouped by "
                        + grouped.stream().sorted().toList());
    }

    private static List<AtpSeries.Measure> measures(RuntimeConfiguration config) {
        List<AtpSeries.Measure> measures = new ArrayList<>();
        for (MeasureRef ref : config.schedule().atpMeasures()) {
            config.calculated(ref)
                    .ifPresent(c -> measures.add(
                            new AtpSeries.Measure(ref, c, config.schedule().periodDays(ref))));
        }
        return measures;
    }
}
