package io.ivs.server.onhand;

import io.ivs.core.Invariants;
import io.ivs.core.atp.ResolvedSchedule;
import io.ivs.core.atp.ScheduleStore;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.event.Idempotency;
import io.ivs.core.event.ProcessedEvents.Stored;
import io.ivs.core.event.WriteOutcome;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.LatestObservationWins;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.OnHandStore;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ReservationOffsets;
import io.ivs.core.onhand.ReservationOffsets.LedgerKey;
import io.ivs.core.onhand.ReservationOffsets.Refusal;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.server.inventorylog.InventoryLog;
import io.ivs.server.inventorylog.InventoryLogContext;
import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.DataSourcePushes;
import io.ivs.server.postgres.OnHandDeltas;
import io.ivs.server.postgres.OnHandDeltas.PlacedRecord;
import io.ivs.server.postgres.OnHandDeltas.QuantityRow;
import io.ivs.server.postgres.ProcessedEventsSql;
import io.ivs.server.postgres.ProcessedEventsSql.IdClaim;
import io.ivs.server.postgres.ProductLocks;
import io.ivs.server.postgres.ReservationOffsetsSql;
import io.ivs.server.postgres.TransactionRetry;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * On-hand records in PostgreSQL. A small change request is one statement, so one round trip and
 * one implicit transaction: it claims the event ids, then inserts the records and adds the
 * quantities of the events it claimed. Larger change requests and set requests are one
 * transaction of set-based statements (event ids, records, quantities). Rows are sorted by key
 * in every statement so that concurrent writers lock rows in one order and cannot deadlock.
 * Which events are applied, repeated or in conflict is the core's rule ({@link Idempotency}), as
 * is which set wins ({@link LatestObservationWins}).
 */
@Repository
public class JdbcOnHandStore implements OnHandStore, ScheduleStore {
    private static final String FAMILY_CHANGE = "onhand";
    private static final String FAMILY_SET = "setonhand";
    private static final String FAMILY_SCHEDULE = "changeschedule";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ProductLocks locks;
    private final DataSourcePushes pushes;

    public JdbcOnHandStore(
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            ProductLocks locks,
            DataSourcePushes pushes) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.locks = locks;
        this.pushes = pushes;
    }

    /**
     * Up to this many changes go as one statement (fewest round trips, which dominate small
     * requests); larger requests go as three set-based statements in one transaction, which
     * measured faster for 512 events (ivs-bench, docs/performance.md).
     */
    static final int SINGLE_STATEMENT_CHANGES_MAX = 32;

    /**
     * Claims the event ids (sorted), then, for the claimed events only, inserts missing records
     * and adds the quantities per (record, measure); answers the claimed ids. Data-modifying
     * common table expressions run in one statement with one snapshot, and foreign keys are
     * checked at its end, so the records it inserts satisfy the quantities it inserts.
     */
    private static final String APPLY_CHANGES = "with input as (select * from unnest(?::text[],"
            + " ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::numeric[])"
            + " as e(id, fp, pk, rk, org, product, part, site, loc, dims, measure, qty)),"
            + " claimed as (insert into processed_event (product_key, environment_id, family,"
            + " event_id, fingerprint, partition_id) select pk, ?, ?, id, fp, part from (select"
            + " distinct on (id) id, fp, part, pk from input order by id) ids order by id"
            + " on conflict do nothing returning event_id),"
            + " fresh as (select input.* from input join claimed on claimed.event_id = input.id),"
            + " records as (insert into onhand_record (product_key, record_key, environment_id,"
            + " organization_id, product_id, partition_id, site_id, location_id, dimensions)"
            + " select distinct on (pk, rk) pk, rk, ?, org, product, part, site, loc, dims::jsonb"
            + " from fresh order by pk, rk on conflict (product_key, record_key) do nothing),"
            + " quantities as (insert into onhand_quantity (product_key, record_key, measure,"
            + " quantity) select pk, rk, measure, sum(qty) from fresh group by pk, rk, measure"
            + " order by pk, rk, measure on conflict (product_key, record_key, measure)"
            + " do update set quantity = onhand_quantity.quantity + excluded.quantity)"
            + " select event_id from claimed";

    /** The same statement, which also logs the events it claimed (the inventory log). */
    private static final String APPLY_CHANGES_LOGGED = APPLY_CHANGES.replace(
            " select event_id from claimed",
            ", " + InventoryLog.FRESH_CHANGES_CTE + " select event_id from claimed");

    @Override
    public List<WriteOutcome> apply(
            EnvironmentId environment,
            WriteKind kind,
            List<ResolvedChange> changes,
            Instant receivedAt) {
        List<WriteOutcome> outcomes = applyOnly(environment, kind, changes, receivedAt);
        notePushes(environment.value(), changes, outcomes, receivedAt);
        return outcomes;
    }

    /** Notes the data sources that applied events wrote, once the write has committed. */
    private void notePushes(
            String env, List<ResolvedChange> changes, List<WriteOutcome> outcomes, Instant at) {
        Set<String> written = new TreeSet<>();
        for (int i = 0; i < outcomes.size() && i < changes.size(); i++) {
            if (outcomes.get(i).status() == WriteOutcome.Status.APPLIED) {
                changes.get(i).quantities().keySet().forEach(m -> written.add(m.dataSource()));
            }
        }
        if (!written.isEmpty()) {
            pushes.record(env, written, at);
        }
    }

    private List<WriteOutcome> applyOnly(
            EnvironmentId environment,
            WriteKind kind,
            List<ResolvedChange> changes,
            Instant receivedAt) {
        String environmentId = environment.value();
        if (kind == WriteKind.SET && changes.stream().anyMatch(c -> !c.offsets().isEmpty())) {
            SortedSet<UUID> products = new TreeSet<>();
            changes.stream()
                    .filter(c -> !c.offsets().isEmpty())
                    .forEach(c -> products.add(c.record().productKey()));
            return locks.locked(
                    products, con -> applySetsWithOffsets(con, environmentId, changes, receivedAt));
        }
        if (kind == WriteKind.CHANGE && changes.size() <= SINGLE_STATEMENT_CHANGES_MAX) {
            // One statement is its own transaction: no BEGIN/COMMIT round trips.
            return TransactionRetry.run(() -> jdbc.execute((ConnectionCallback<List<WriteOutcome>>)
                    con -> applyChanges(con, environmentId, changes)));
        }
        return TransactionRetry.run(() ->
                tx.execute(status -> jdbc.execute((ConnectionCallback<List<WriteOutcome>>)
                        con -> applyInTransaction(con, environmentId, kind, changes, receivedAt))));
    }

    private List<WriteOutcome> applyChanges(
            Connection con, String env, List<ResolvedChange> changes) throws SQLException {
        List<Idempotency.Event> events = new ArrayList<>(changes.size());
        List<ResolvedChange> unique = new ArrayList<>();
        Set<EventId> seen = new HashSet<>();
        for (ResolvedChange change : changes) {
            events.add(new Idempotency.Event(change.eventId(), hash(change.fingerprint())));
            if (seen.add(change.eventId())) {
                unique.add(change);
            }
        }
        Map<EventId, String> firstFingerprint = Idempotency.firstFingerprints(events);
        Set<EventId> claimed = new HashSet<>();
        InventoryLogContext log = InventoryLogContext.current();
        try (PreparedStatement ps =
                con.prepareStatement(log == null ? APPLY_CHANGES : APPLY_CHANGES_LOGGED)) {
            bindChangeRows(con, ps, changeRows(unique, firstFingerprint));
            ps.setString(13, env);
            ps.setString(14, FAMILY_CHANGE);
            ps.setString(15, env);
            if (log != null) {
                InventoryLog.bindFreshChanges(
                        con,
                        ps,
                        16,
                        env,
                        unique.stream().map(c -> c.eventId().value()).toList());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(EventId.of(rs.getString(1)));
                }
            }
        }
        // Ids this request did not claim were committed by earlier requests: read their answers.
        Map<EventId, Stored<String>> earlier = ProcessedEventsSql.findMessages(
                con, env, FAMILY_CHANGE, unclaimed(firstFingerprint, claimed), products(unique));
        return Idempotency.outcomes(events, claimed, earlier, Map.of());
    }

    /** The products the events name: where their ids are kept. */
    private static Set<UUID> products(List<ResolvedChange> changes) {
        Set<UUID> keys = new TreeSet<>();
        changes.forEach(c -> keys.add(c.record().productKey()));
        return keys;
    }

    /** The product of each event id, as its first event names it. */
    private static Function<EventId, UUID> productOf(List<ResolvedChange> changes) {
        Map<EventId, UUID> keys = new HashMap<>();
        changes.forEach(c -> keys.putIfAbsent(c.eventId(), c.record().productKey()));
        return id -> Objects.requireNonNull(keys.get(id), id.value());
    }

    /** One row of the single statement: an event's id, fingerprint, record and one quantity. */
    private record ChangeRow(
            String eventId,
            String fingerprint,
            RecordKey record,
            String partitionId,
            String dimensionsJson,
            String measure,
            BigDecimal quantity) {}

    private static List<ChangeRow> changeRows(
            List<ResolvedChange> changes, Map<EventId, String> fingerprints) {
        List<ChangeRow> rows = new ArrayList<>();
        for (ResolvedChange change : changes) {
            String fingerprint = fingerprints.get(change.eventId());
            String dims = OnHandDeltas.dimensionsJson(change.record());
            change.quantities()
                    .forEach((measure, quantity) -> rows.add(new ChangeRow(
                            change.eventId().value(),
                            fingerprint == null ? "" : fingerprint,
                            change.record(),
                            change.partitionId(),
                            dims,
                            measure.qualified(),
                            quantity)));
        }
        return rows;
    }

    /** Parameters 1-12: one row per (event, measure). */
    private static void bindChangeRows(Connection con, PreparedStatement ps, List<ChangeRow> rows)
            throws SQLException {
        ps.setArray(1, OnHandDeltas.array(con, "text", rows, ChangeRow::eventId));
        ps.setArray(2, OnHandDeltas.array(con, "text", rows, ChangeRow::fingerprint));
        ps.setArray(3, OnHandDeltas.array(con, "uuid", rows, r -> r.record().productKey()));
        ps.setArray(
                4,
                OnHandDeltas.array(
                        con, "text", rows, r -> r.record().dimensions().key()));
        ps.setArray(5, OnHandDeltas.array(con, "text", rows, r -> r.record().organizationId()));
        ps.setArray(6, OnHandDeltas.array(con, "text", rows, r -> r.record().productId()));
        ps.setArray(7, OnHandDeltas.array(con, "text", rows, ChangeRow::partitionId));
        ps.setArray(8, OnHandDeltas.array(con, "text", rows, r -> OnHandDeltas.site(r.record())));
        ps.setArray(
                9, OnHandDeltas.array(con, "text", rows, r -> OnHandDeltas.location(r.record())));
        ps.setArray(10, OnHandDeltas.array(con, "text", rows, ChangeRow::dimensionsJson));
        ps.setArray(11, OnHandDeltas.array(con, "text", rows, ChangeRow::measure));
        ps.setArray(12, OnHandDeltas.array(con, "numeric", rows, ChangeRow::quantity));
    }

    private List<WriteOutcome> applyInTransaction(
            Connection con,
            String env,
            WriteKind kind,
            List<ResolvedChange> changes,
            Instant receivedAt)
            throws SQLException {
        String family = kind == WriteKind.CHANGE ? FAMILY_CHANGE : FAMILY_SET;
        return applyOnce(
                con,
                env,
                family,
                changes,
                ResolvedChange::eventId,
                c -> c.record().productKey(),
                c -> hash(c.fingerprint()),
                ResolvedChange::partitionId,
                fresh -> {
                    OnHandDeltas.upsertRecords(con, env, placed(fresh));
                    InventoryLog.changes(con, env, fresh);
                    if (kind == WriteKind.CHANGE) {
                        OnHandDeltas.addQuantities(con, quantities(fresh));
                        return Map.of();
                    }
                    Map<EventId, String> messages =
                            setQuantities(con, LatestObservationWins.of(fresh, receivedAt));
                    ProcessedEventsSql.recordMessages(con, env, family, messages, productOf(fresh));
                    return messages;
                });
    }

    /**
     * Sets whose records offset reservations, in one transaction holding the locks of the
     * offset products (taken before any row, as reservations take them): the ledgers are read,
     * new events whose offsets break the rule ({@link ReservationOffsets}) are refused and
     * leave no trace (their ids stay free), and the others are applied as any set, their
     * offsets taken out of the ledgers in the same transaction. An id seen before answers its
     * stored answer and offsets nothing again.
     */
    private List<WriteOutcome> applySetsWithOffsets(
            Connection con, String env, List<ResolvedChange> changes, Instant receivedAt)
            throws SQLException {
        Map<EventId, ResolvedChange> firstOfId = new java.util.LinkedHashMap<>();
        changes.forEach(c -> firstOfId.putIfAbsent(c.eventId(), c));
        Set<EventId> known = ProcessedEventsSql.findMessages(
                        con,
                        env,
                        FAMILY_SET,
                        List.copyOf(firstOfId.keySet()),
                        products(List.copyOf(firstOfId.values())))
                .keySet();
        List<ResolvedChange> candidates = firstOfId.values().stream()
                .filter(c -> !known.contains(c.eventId()))
                .toList();
        Map<LedgerKey, ReservationOffsetsSql.Ledger> ledgers =
                ReservationOffsetsSql.read(con, env, ReservationOffsets.ledgersNamed(candidates));
        Map<LedgerKey, ReservationOffsets.Held> held = new java.util.HashMap<>();
        ledgers.forEach((key, ledger) -> held.put(key, ledger.held()));
        Map<EventId, Refusal> refused = ReservationOffsets.refusals(candidates, held);
        List<ResolvedChange> accepted =
                changes.stream().filter(c -> !refused.containsKey(c.eventId())).toList();
        List<WriteOutcome> applied = accepted.isEmpty()
                ? List.of()
                : applyOnce(
                        con,
                        env,
                        FAMILY_SET,
                        accepted,
                        ResolvedChange::eventId,
                        c -> c.record().productKey(),
                        c -> hash(c.fingerprint()),
                        ResolvedChange::partitionId,
                        fresh -> {
                            OnHandDeltas.upsertRecords(con, env, placed(fresh));
                            Map<EventId, String> messages =
                                    setQuantities(con, LatestObservationWins.of(fresh, receivedAt));
                            ProcessedEventsSql.recordMessages(
                                    con, env, FAMILY_SET, messages, productOf(fresh));
                            ReservationOffsetsSql.apply(con, env, fresh, ledgers);
                            return messages;
                        });
        return mergeRefusals(changes, refused, applied);
    }

    /** The outcomes in request order: refusals in their places, the applied ones between. */
    private static List<WriteOutcome> mergeRefusals(
            List<ResolvedChange> changes,
            Map<EventId, Refusal> refused,
            List<WriteOutcome> applied) {
        List<WriteOutcome> outcomes = new ArrayList<>(changes.size());
        int next = 0;
        for (ResolvedChange change : changes) {
            Refusal refusal = refused.get(change.eventId());
            if (refusal != null) {
                outcomes.add(WriteOutcome.refused(
                        change.eventId(), refusal.reason(), refusal.message()));
            } else {
                outcomes.add(applied.get(next++));
            }
        }
        Invariants.check(next == applied.size(), "%s outcomes for %s events", applied.size(), next);
        return outcomes;
    }

    private static List<PlacedRecord> placed(List<ResolvedChange> changes) {
        return changes.stream()
                .map(c -> new PlacedRecord(c.record(), c.partitionId()))
                .toList();
    }

    private static List<QuantityRow> quantities(List<ResolvedChange> changes) {
        List<QuantityRow> rows = new ArrayList<>();
        for (ResolvedChange change : changes) {
            change.quantities()
                    .forEach((measure, quantity) -> rows.add(new QuantityRow(
                            change.record().productKey(),
                            change.record().dimensions().key(),
                            measure.qualified(),
                            quantity)));
        }
        return rows;
    }

    /** Writes the events whose ids are new; answers a message per event id where there is one. */
    private interface FreshWriter<E> {
        Map<EventId, String> write(List<E> fresh) throws SQLException;
    }

    /**
     * Applies each event at most once per id (spec A1): the ids are claimed in sorted order, the
     * events with newly claimed ids are written, and every event gets its outcome in order.
     */
    private <E> List<WriteOutcome> applyOnce(
            Connection con,
            String env,
            String family,
            List<E> events,
            Function<E, EventId> idOf,
            Function<E, UUID> productOf,
            Function<E, String> fingerprintOf,
            Function<E, String> partitionOf,
            FreshWriter<E> writer)
            throws SQLException {
        List<Idempotency.Event> identities = new ArrayList<>(events.size());
        List<E> unique = new ArrayList<>();
        List<IdClaim> claims = new ArrayList<>();
        Set<EventId> seen = new HashSet<>();
        Set<UUID> products = new TreeSet<>();
        for (E event : events) {
            EventId id = idOf.apply(event);
            String fingerprint = fingerprintOf.apply(event);
            identities.add(new Idempotency.Event(id, fingerprint));
            UUID product = productOf.apply(event);
            products.add(product);
            if (seen.add(id)) {
                unique.add(event);
                claims.add(new IdClaim(id, product, fingerprint, partitionOf.apply(event)));
            }
        }
        Set<EventId> claimed = ProcessedEventsSql.claimIds(con, env, family, claims);
        Map<EventId, Stored<String>> earlier = ProcessedEventsSql.findMessages(
                con,
                env,
                family,
                unclaimed(Idempotency.firstFingerprints(identities), claimed),
                products);
        List<E> fresh =
                unique.stream().filter(e -> claimed.contains(idOf.apply(e))).toList();
        Map<EventId, String> messages = fresh.isEmpty() ? Map.of() : writer.write(fresh);
        return Idempotency.outcomes(identities, claimed, earlier, messages);
    }

    private static List<EventId> unclaimed(
            Map<EventId, String> firstFingerprint, Set<EventId> claimed) {
        return firstFingerprint.keySet().stream()
                .filter(id -> !claimed.contains(id))
                .toList();
    }

    @Override
    public List<WriteOutcome> applySchedules(
            EnvironmentId environment, List<ResolvedSchedule> schedules) {
        String environmentId = environment.value();
        return TransactionRetry.run(() -> tx.execute(status ->
                jdbc.execute((ConnectionCallback<List<WriteOutcome>>) con -> applyOnce(
                        con,
                        environmentId,
                        FAMILY_SCHEDULE,
                        schedules,
                        ResolvedSchedule::eventId,
                        s -> s.record().productKey(),
                        ResolvedSchedule::fingerprint,
                        ResolvedSchedule::partitionId,
                        fresh -> {
                            OnHandDeltas.upsertRecords(
                                    con,
                                    environmentId,
                                    fresh.stream()
                                            .map(s -> new PlacedRecord(s.record(), s.partitionId()))
                                            .toList());
                            addSchedules(con, fresh);
                            return Map.of();
                        }))));
    }

    /** Scheduled quantity of one measure of one record on one date. */
    private record ScheduleRow(QuantityRow quantity, LocalDate date) {
        ScheduleRow plus(BigDecimal more) {
            return new ScheduleRow(
                    new QuantityRow(
                            quantity.productKey(),
                            quantity.recordKey(),
                            quantity.measure(),
                            quantity.quantity().add(more)),
                    date);
        }
    }

    private void addSchedules(Connection con, List<ResolvedSchedule> schedules)
            throws SQLException {
        TreeMap<String, ScheduleRow> byKey = new TreeMap<>();
        for (ResolvedSchedule schedule : schedules) {
            RecordKey record = schedule.record();
            schedule.quantitiesByDate()
                    .forEach((date, measures) -> measures.forEach((ref, q) -> byKey.merge(
                            OnHandDeltas.rowKey(record)
                                    + '\u0000'
                                    + ref.qualified()
                                    + '\u0000'
                                    + date,
                            new ScheduleRow(
                                    new QuantityRow(
                                            record.productKey(),
                                            record.dimensions().key(),
                                            ref.qualified(),
                                            q),
                                    date),
                            (a, b) -> a.plus(b.quantity().quantity()))));
        }
        List<ScheduleRow> rows = List.copyOf(byKey.values());
        String sql = "insert into onhand_schedule"
                + " (product_key, record_key, measure, quantity, schedule_date)"
                + " select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[], ?::date[])"
                + " on conflict (product_key, record_key, measure, schedule_date)"
                + " do update set quantity = onhand_schedule.quantity + excluded.quantity";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            OnHandDeltas.bindQuantityRows(
                    con, ps, rows.stream().map(ScheduleRow::quantity).toList(), 1);
            ps.setArray(
                    5, OnHandDeltas.array(con, "date", rows, r -> java.sql.Date.valueOf(r.date())));
            ps.executeUpdate();
        }
    }

    @Override
    public List<ScheduledRow> scheduled(
            EnvironmentId environment, OnHandQuery query, LocalDate from, LocalDate to) {
        String environmentId = environment.value();
        return new OnHandQuerySql(environmentId, query, from, to).runScheduled(jdbc);
    }

    /**
     * Writes the batch's latest observations where no later one is stored (A5): the condition
     * lives in the upsert, so concurrent sets stay safe. Answers a message for each event some
     * of whose measures were stale.
     */
    private Map<EventId, String> setQuantities(Connection con, LatestObservationWins rule)
            throws SQLException {
        List<LatestObservationWins.Winner> winners = rule.winners();
        String sql =
                "insert into onhand_quantity (product_key, record_key, measure, quantity, set_at)"
                        + " select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[],"
                        + " ?::timestamptz[])"
                        + " on conflict (product_key, record_key, measure)"
                        + " do update set quantity = excluded.quantity, set_at = excluded.set_at"
                        + " where onhand_quantity.set_at is null"
                        + " or onhand_quantity.set_at <= excluded.set_at"
                        + " returning product_key, record_key, measure";
        Set<LatestObservationWins.Cell> written = new HashSet<>();
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            OnHandDeltas.bindQuantityRows(
                    con,
                    ps,
                    winners.stream()
                            .map(w -> new QuantityRow(
                                    w.cell().productKey(),
                                    w.cell().recordKey(),
                                    w.cell().measure(),
                                    w.quantity()))
                            .toList(),
                    1);
            ps.setArray(
                    5,
                    OnHandDeltas.array(
                            con, "timestamptz", winners, w -> Timestamp.from(w.observedAt())));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    written.add(new LatestObservationWins.Cell(
                            rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return rule.staleMessages(written);
    }

    static String hash(String fingerprint) {
        return Fingerprints.of(fingerprint);
    }

    @Override
    public List<AggregatedRow> query(EnvironmentId environment, OnHandQuery query) {
        String environmentId = environment.value();
        return new OnHandQuerySql(environmentId, query).run(jdbc);
    }

    @Override
    public List<String> partitionIds(EnvironmentId environment) {
        String environmentId = environment.value();
        return Columns.notNull(jdbc.queryForList(
                "select distinct partition_id from onhand_record"
                        + " where environment_id = ? order by partition_id",
                String.class,
                environmentId));
    }

    /**
     * Deletes the records of the partitions and, in the same statement, forgets the event ids
     * whose effects lay in them (docs/api-notes.md, "Clean-up and event ids"): an id is
     * remembered exactly as long as the data it changed. A write racing with it either stays
     * whole or loses its effect while its id stays remembered; it is never counted twice. The
     * delete locks records before their quantities and writers lock the other way round, so
     * PostgreSQL may abort it as a deadlock victim: it then runs again.
     */
    @Override
    public int deletePartitions(EnvironmentId environment, List<String> partitionIds) {
        String environmentId = environment.value();
        return TransactionRetry.run(() -> jdbc.update(
                "with forgotten as (delete from processed_event where environment_id = ?"
                        + " and partition_id = any(?::text[]))"
                        + " delete from onhand_record where environment_id = ?"
                        + " and partition_id = any(?::text[])",
                ps -> {
                    java.sql.Array ids =
                            ps.getConnection().createArrayOf("text", partitionIds.toArray());
                    ps.setString(1, environmentId);
                    ps.setArray(2, ids);
                    ps.setString(3, environmentId);
                    ps.setArray(4, ids);
                }));
    }

    /** Deletes every record and forgets every event id of the environment, in one statement. */
    @Override
    public int deleteAll(EnvironmentId environment) {
        String environmentId = environment.value();
        return TransactionRetry.run(() -> jdbc.update(
                "with forgotten as (delete from processed_event where environment_id = ?)"
                        + " delete from onhand_record where environment_id = ?",
                environmentId,
                environmentId));
    }

    @Override
    public boolean hasData(EnvironmentId environment) {
        String environmentId = environment.value();
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from onhand_record where environment_id = ?)",
                Boolean.class,
                environmentId));
    }
}
