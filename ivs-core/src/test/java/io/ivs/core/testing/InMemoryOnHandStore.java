package io.ivs.core.testing;

import io.ivs.core.atp.ResolvedSchedule;
import io.ivs.core.atp.ScheduleStore;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.event.Idempotency;
import io.ivs.core.event.ProcessedEvents.Claim;
import io.ivs.core.event.ProcessedEvents.Stored;
import io.ivs.core.event.WriteOutcome;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.LatestObservationWins;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.OnHandStore;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.testing.InMemoryInventory.Row;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * On-hand records in memory, behaving as {@code JdbcOnHandStore} does: event ids claimed in
 * {@link InMemoryProcessedEvents}, with the core deciding what a repeated id means ({@link
 * Idempotency}) and which set wins ({@link LatestObservationWins}), so that this fixture holds
 * no copy of either rule; queries summed per organization, product and group-by values as
 * {@code OnHandQuerySql} sums them.
 */
public final class InMemoryOnHandStore implements OnHandStore, ScheduleStore {
    static final String FAMILY_CHANGE = "onhand";
    static final String FAMILY_SET = "setonhand";
    static final String FAMILY_SCHEDULE = "changeschedule";

    private final InMemoryInventory inventory;

    public InMemoryOnHandStore(InMemoryInventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public List<WriteOutcome> apply(
            EnvironmentId environment,
            WriteKind kind,
            List<ResolvedChange> changes,
            Instant receivedAt) {
        String environmentId = environment.value();
        String family = kind == WriteKind.CHANGE ? FAMILY_CHANGE : FAMILY_SET;
        return inventory.transaction(() -> applyOnce(
                environmentId,
                family,
                changes,
                ResolvedChange::eventId,
                c -> Fingerprints.of(c.fingerprint()),
                ResolvedChange::partitionId,
                fresh -> {
                    if (kind == WriteKind.CHANGE) {
                        addQuantities(fresh);
                        return Map.of();
                    }
                    return setQuantities(fresh, receivedAt);
                }));
    }

    @Override
    public List<WriteOutcome> applySchedules(
            EnvironmentId environment, List<ResolvedSchedule> schedules) {
        String environmentId = environment.value();
        return inventory.transaction(() -> applyOnce(
                environmentId,
                FAMILY_SCHEDULE,
                schedules,
                ResolvedSchedule::eventId,
                ResolvedSchedule::fingerprint,
                ResolvedSchedule::partitionId,
                fresh -> {
                    addSchedules(fresh);
                    return Map.of();
                }));
    }

    /** Writes the events whose ids are new; answers a message per event id where there is one. */
    private interface FreshWriter<E> {
        Map<EventId, String> write(List<E> fresh);
    }

    /**
     * Claims the distinct ids of the request, writes the events it claimed and records their
     * messages, then lets the core's rule ({@link Idempotency#outcomes}) answer every event in
     * order, as {@code JdbcOnHandStore} does.
     */
    private <E> List<WriteOutcome> applyOnce(
            String env,
            String family,
            List<E> events,
            Function<E, EventId> idOf,
            Function<E, String> fingerprintOf,
            Function<E, String> partitionOf,
            FreshWriter<E> writer) {
        InMemoryProcessedEvents<String> processed = inventory.events().of(env);
        List<Idempotency.Event> identities = new ArrayList<>(events.size());
        List<E> unique = new ArrayList<>();
        List<Claim<String>> claims = new ArrayList<>();
        Set<EventId> seen = new HashSet<>();
        for (E event : events) {
            EventId id = idOf.apply(event);
            String fingerprint = fingerprintOf.apply(event);
            identities.add(new Idempotency.Event(id, fingerprint));
            if (seen.add(id)) {
                unique.add(event);
                // The in-memory ids are kept per environment, so the product is not needed.
                claims.add(new Claim<>(
                        id, new java.util.UUID(0, 0), fingerprint, partitionOf.apply(event), ""));
            }
        }
        Set<EventId> claimed = processed.claim(family, claims);
        List<EventId> unclaimed = Idempotency.firstFingerprints(identities).keySet().stream()
                .filter(id -> !claimed.contains(id))
                .toList();
        Map<EventId, Stored<String>> earlier = processed.find(family, unclaimed);
        List<E> fresh =
                unique.stream().filter(e -> claimed.contains(idOf.apply(e))).toList();
        Map<EventId, String> messages = fresh.isEmpty() ? Map.of() : writer.write(fresh);
        messages.forEach((id, message) -> processed.answer(family, id, message));
        return Idempotency.outcomes(identities, claimed, earlier, messages);
    }

    private void addQuantities(List<ResolvedChange> changes) {
        for (ResolvedChange change : changes) {
            Row row = inventory.rowForUpdate(change.record(), change.partitionId());
            change.quantities().forEach((ref, q) -> row.quantities.merge(ref, q, BigDecimal::add));
        }
    }

    /**
     * Writes the winners of {@link LatestObservationWins} where no later observation is stored
     * (an equal time wins), as the PostgreSQL store's conditional upsert does, and answers the
     * rule's stale messages given the cells it wrote.
     */
    private Map<EventId, String> setQuantities(List<ResolvedChange> changes, Instant receivedAt) {
        Map<RecordKey, Row> rows = new HashMap<>();
        for (ResolvedChange change : changes) {
            // Every fresh event's record exists afterwards, even where all its values were stale.
            rows.put(
                    change.record(), inventory.rowForUpdate(change.record(), change.partitionId()));
        }
        LatestObservationWins rule = LatestObservationWins.of(changes, receivedAt);
        Set<LatestObservationWins.Cell> written = new HashSet<>();
        for (LatestObservationWins.Winner winner : rule.winners()) {
            Row row = rows.get(winner.record());
            Instant last = row.setAt.get(winner.measure());
            if (last == null || !last.isAfter(winner.observedAt())) {
                row.quantities.put(winner.measure(), winner.quantity());
                row.setAt.put(winner.measure(), winner.observedAt());
                written.add(winner.cell());
            }
        }
        return rule.staleMessages(written);
    }

    private void addSchedules(List<ResolvedSchedule> schedules) {
        for (ResolvedSchedule schedule : schedules) {
            Row row = inventory.rowForUpdate(schedule.record(), schedule.partitionId());
            schedule.quantitiesByDate()
                    .forEach((date, measures) -> measures.forEach((ref, q) -> row.schedules
                            .computeIfAbsent(date, d -> new TreeMap<>())
                            .merge(ref, q, BigDecimal::add)));
        }
    }

    @Override
    public List<AggregatedRow> query(EnvironmentId environment, OnHandQuery query) {
        String environmentId = environment.value();
        return inventory.transaction(() -> {
            Map<List<String>, Map<MeasureRef, BigDecimal>> sums = new LinkedHashMap<>();
            for (Row row : inventory.rows(environmentId)) {
                if (row.quantities.isEmpty() || !QueryMatch.matches(query, row.record)) {
                    continue;
                }
                Map<MeasureRef, BigDecimal> sum = sums.computeIfAbsent(
                        QueryMatch.group(query, row.record), k -> new HashMap<>());
                row.quantities.forEach((ref, q) -> sum.merge(ref, q, BigDecimal::add));
            }
            List<AggregatedRow> rows = new ArrayList<>(sums.size());
            sums.forEach((group, physical) -> rows.add(new AggregatedRow(
                    group.get(0), group.get(1), group.subList(2, group.size()), physical)));
            return rows;
        });
    }

    @Override
    public List<ScheduledRow> scheduled(
            EnvironmentId environment, OnHandQuery query, LocalDate from, LocalDate to) {
        String environmentId = environment.value();
        return inventory.transaction(() -> {
            Map<List<String>, Map<LocalDate, Map<MeasureRef, BigDecimal>>> sums =
                    new LinkedHashMap<>();
            for (Row row : inventory.rows(environmentId)) {
                if (!QueryMatch.matches(query, row.record)) {
                    continue;
                }
                row.schedules.subMap(from, true, to, true).forEach((date, measures) -> {
                    Map<MeasureRef, BigDecimal> sum = sums.computeIfAbsent(
                                    QueryMatch.group(query, row.record), k -> new TreeMap<>())
                            .computeIfAbsent(date, d -> new TreeMap<>());
                    measures.forEach((ref, q) -> sum.merge(ref, q, BigDecimal::add));
                });
            }
            List<ScheduledRow> rows = new ArrayList<>();
            sums.forEach((group, byDate) -> byDate.forEach((date, measures) ->
                    measures.forEach((ref, q) -> rows.add(new ScheduledRow(
                            group.get(0),
                            group.get(1),
                            group.subList(2, group.size()),
                            date,
                            ref,
                            q)))));
            return rows;
        });
    }

    @Override
    public List<String> partitionIds(EnvironmentId environment) {
        String environmentId = environment.value();
        return inventory.transaction(() -> {
            Set<String> ids = new TreeSet<>();
            inventory.rows(environmentId).forEach(row -> ids.add(row.partitionId));
            return List.copyOf(ids);
        });
    }

    /** Deletes the partitions' records and forgets the event ids whose effects lay in them. */
    @Override
    public int deletePartitions(EnvironmentId environment, List<String> partitionIds) {
        String environmentId = environment.value();
        Set<String> doomed = new HashSet<>(partitionIds);
        return inventory.transaction(() -> {
            inventory.events().forgetPartitions(environmentId, doomed);
            return inventory.deleteRows(environmentId, row -> doomed.contains(row.partitionId));
        });
    }

    @Override
    public int deleteAll(EnvironmentId environment) {
        String environmentId = environment.value();
        return inventory.transaction(() -> {
            inventory.events().forgetAll(environmentId);
            return inventory.deleteRows(environmentId, row -> true);
        });
    }

    @Override
    public boolean hasData(EnvironmentId environment) {
        String environmentId = environment.value();
        return inventory.transaction(() -> !inventory.rows(environmentId).isEmpty());
    }
}
