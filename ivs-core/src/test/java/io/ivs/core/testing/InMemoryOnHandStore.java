package io.ivs.core.testing;

import io.ivs.core.atp.ResolvedSchedule;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.onhand.WriteOutcome;
import io.ivs.core.port.OnHandStore;
import io.ivs.core.testing.InMemoryInventory.Row;
import io.ivs.core.testing.InMemoryProcessedEvents.Claim;
import io.ivs.core.testing.InMemoryProcessedEvents.Stored;

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
 * On-hand records in memory, behaving as {@code JdbcOnHandStore} does: each event applied at most
 * once per id and family (an id seen before with the same fingerprint answers as before, with
 * another fingerprint it is a conflict), set on-hand's latest observation winning per record
 * and measure with a "stale" message for the losers (spec A5), and queries summed per
 * organization, product and group-by values as {@code OnHandQuerySql} sums them.
 */
public final class InMemoryOnHandStore implements OnHandStore {
    static final String FAMILY_CHANGE = "onhand";
    static final String FAMILY_SET = "setonhand";
    static final String FAMILY_SCHEDULE = "changeschedule";

    private final InMemoryInventory inventory;

    public InMemoryOnHandStore(InMemoryInventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public List<WriteOutcome> apply(
            String environmentId, WriteKind kind, List<ResolvedChange> changes) {
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
                    return setQuantities(fresh);
                }));
    }

    @Override
    public List<WriteOutcome> applySchedules(
            String environmentId, List<ResolvedSchedule> schedules) {
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
        Map<String, String> write(List<E> fresh);
    }

    /**
     * Claims the distinct ids of the request (the first event of an id decides its fingerprint),
     * writes the events it claimed, stores their messages, and answers every event in order.
     */
    private <E> List<WriteOutcome> applyOnce(
            String env,
            String family,
            List<E> events,
            Function<E, String> idOf,
            Function<E, String> fingerprintOf,
            Function<E, String> partitionOf,
            FreshWriter<E> writer) {
        InMemoryProcessedEvents processed = inventory.events();
        Map<String, String> firstFingerprint = new HashMap<>();
        List<E> unique = new ArrayList<>();
        List<Claim<String>> claims = new ArrayList<>();
        for (E event : events) {
            String id = idOf.apply(event);
            String fingerprint = fingerprintOf.apply(event);
            if (firstFingerprint.putIfAbsent(id, fingerprint) == null) {
                unique.add(event);
                claims.add(new Claim<>(id, fingerprint, partitionOf.apply(event), ""));
            }
        }
        Set<String> claimed = processed.claim(env, family, claims);
        List<String> unclaimed = firstFingerprint.keySet().stream()
                .filter(id -> !claimed.contains(id))
                .toList();
        Map<String, Stored<String>> earlier = processed.find(env, family, unclaimed);
        List<E> fresh =
                unique.stream().filter(e -> claimed.contains(idOf.apply(e))).toList();
        Map<String, String> messages = fresh.isEmpty() ? Map.of() : writer.write(fresh);
        messages.forEach((id, message) -> processed.answer(env, family, id, message));
        List<WriteOutcome> outcomes = new ArrayList<>(events.size());
        Set<String> answered = new HashSet<>();
        for (E event : events) {
            String id = idOf.apply(event);
            boolean first = answered.add(id);
            Stored<String> stored = claimed.contains(id)
                    ? new Stored<>(firstFingerprint.get(id), messages.getOrDefault(id, ""))
                    : earlier.get(id);
            if (stored == null || !stored.fingerprint().equals(fingerprintOf.apply(event))) {
                outcomes.add(conflict(id));
            } else if (first && claimed.contains(id)) {
                outcomes.add(new WriteOutcome(id, WriteOutcome.Status.APPLIED, stored.answer()));
            } else {
                outcomes.add(new WriteOutcome(id, WriteOutcome.Status.DUPLICATE, stored.answer()));
            }
        }
        return outcomes;
    }

    private static WriteOutcome conflict(String id) {
        return new WriteOutcome(
                id,
                WriteOutcome.Status.CONFLICT,
                "event id '" + id
                        + "' was already used for a different event; use a new id for a new event");
    }

    private void addQuantities(List<ResolvedChange> changes) {
        for (ResolvedChange change : changes) {
            Row row = inventory.rowForUpdate(change.record(), change.partitionId());
            change.quantities().forEach((ref, q) -> row.quantities.merge(ref, q, BigDecimal::add));
        }
    }

    /** One set observation: the event, the value and its time. */
    private record Observation(String eventId, BigDecimal value, Instant at) {}

    /**
     * Overwrites values unless a later observation was already set (A5): per record and measure
     * the latest observation of the batch competes with the stored one, and an equal time wins.
     * Answers a message for each event some of whose measures were stale.
     */
    private Map<String, String> setQuantities(List<ResolvedChange> changes) {
        // Keyed as the PostgreSQL store keys its rows, so that messages come in the same order.
        TreeMap<String, Observation> winners = new TreeMap<>();
        Map<String, List<Observation>> observations = new HashMap<>();
        Map<String, ResolvedChange> changeOf = new HashMap<>();
        Map<String, MeasureRef> measureOf = new HashMap<>();
        for (ResolvedChange change : changes) {
            // Every fresh event's record exists afterwards, even where all its values were stale.
            inventory.rowForUpdate(change.record(), change.partitionId());
            Instant at =
                    change.modifiedAt() == null ? inventory.clock().instant() : change.modifiedAt();
            change.quantities().forEach((ref, q) -> {
                String key = change.record().productKey() + "\u0000"
                        + change.record().dimensions().key() + '\u0000' + ref.qualified();
                Observation seen = new Observation(change.eventId(), q, at);
                Observation best = winners.get(key);
                if (best == null || !best.at().isAfter(at)) {
                    winners.put(key, seen);
                    changeOf.put(key, change);
                }
                measureOf.put(key, ref);
                observations.computeIfAbsent(key, k -> new ArrayList<>()).add(seen);
            });
        }
        Map<String, String> messages = new LinkedHashMap<>();
        winners.forEach((key, winner) -> {
            ResolvedChange change = changeOf.get(key);
            MeasureRef ref = measureOf.get(key);
            Row row = inventory.rowForUpdate(change.record(), change.partitionId());
            Instant last = row.setAt.get(ref);
            boolean stored = last == null || !last.isAfter(winner.at());
            if (stored) {
                row.quantities.put(ref, winner.value());
                row.setAt.put(ref, winner.at());
            }
            for (Observation seen : observations.get(key)) {
                if (!stored || seen.at().isBefore(winner.at())) {
                    messages.merge(
                            seen.eventId(),
                            "stale: " + ref.qualified() + " was set from a"
                                    + " later observation and is unchanged",
                            (a, b) -> a + "; " + b);
                }
            }
        });
        return messages;
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
    public List<AggregatedRow> query(String environmentId, OnHandQuery query) {
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
            String environmentId, OnHandQuery query, LocalDate from, LocalDate to) {
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
    public List<String> partitionIds(String environmentId) {
        return inventory.transaction(() -> {
            Set<String> ids = new TreeSet<>();
            inventory.rows(environmentId).forEach(row -> ids.add(row.partitionId));
            return List.copyOf(ids);
        });
    }

    /** Deletes the partitions' records and forgets the event ids whose effects lay in them. */
    @Override
    public int deletePartitions(String environmentId, List<String> partitionIds) {
        Set<String> doomed = new HashSet<>(partitionIds);
        return inventory.transaction(() -> {
            inventory.events().forgetPartitions(environmentId, doomed);
            return inventory.deleteRows(environmentId, row -> doomed.contains(row.partitionId));
        });
    }

    @Override
    public int deleteAll(String environmentId) {
        return inventory.transaction(() -> {
            inventory.events().forgetAll(environmentId);
            return inventory.deleteRows(environmentId, row -> true);
        });
    }

    @Override
    public boolean hasData(String environmentId) {
        return inventory.transaction(() -> !inventory.rows(environmentId).isEmpty());
    }
}
