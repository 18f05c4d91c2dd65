package io.ivs.server.onhand;

import io.ivs.core.atp.ResolvedSchedule;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.onhand.WriteOutcome;
import io.ivs.core.port.OnHandStore;
import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.TransactionRetry;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
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
import java.util.UUID;
import java.util.function.Function;

/**
 * On-hand records in PostgreSQL. A small change request is one statement, so one round trip and
 * one implicit transaction: it claims the event ids, then inserts the records and adds the
 * quantities of the events it claimed. Larger change requests and set requests are one
 * transaction of set-based statements (event ids, records, quantities). Rows are sorted by key
 * in every statement so that concurrent writers lock rows in one order and cannot deadlock.
 */
@Repository
public class JdbcOnHandStore implements OnHandStore {
    private static final String FAMILY_CHANGE = "onhand";
    private static final String FAMILY_SET = "setonhand";
    private static final String FAMILY_SCHEDULE = "changeschedule";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json = JsonMapper.builder().build();

    /** The server time of a set without {@code modifiedDateTimeUTC}, as the HTTP edge sees it. */
    private final Clock clock;

    public JdbcOnHandStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
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
            + " claimed as (insert into processed_event (environment_id, family, event_id,"
            + " fingerprint, partition_id) select ?, ?, id, fp, part from (select distinct on"
            + " (id) id, fp, part from input order by id) ids order by id on conflict do nothing"
            + " returning event_id),"
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

    @Override
    public List<WriteOutcome> apply(
            String environmentId, WriteKind kind, List<ResolvedChange> changes) {
        if (kind == WriteKind.CHANGE && changes.size() <= SINGLE_STATEMENT_CHANGES_MAX) {
            // One statement is its own transaction: no BEGIN/COMMIT round trips.
            return TransactionRetry.run(() -> jdbc.execute((ConnectionCallback<List<WriteOutcome>>)
                    con -> applyChanges(con, environmentId, changes)));
        }
        return TransactionRetry.run(() ->
                tx.execute(status -> jdbc.execute((ConnectionCallback<List<WriteOutcome>>)
                        con -> applyInTransaction(con, environmentId, kind, changes))));
    }

    private List<WriteOutcome> applyChanges(
            Connection con, String env, List<ResolvedChange> changes) throws SQLException {
        Map<String, String> firstFingerprint = new HashMap<>();
        List<String> fingerprints = new ArrayList<>(changes.size());
        List<ResolvedChange> unique = new ArrayList<>();
        for (ResolvedChange change : changes) {
            String fingerprint = hash(change.fingerprint());
            fingerprints.add(fingerprint);
            if (firstFingerprint.putIfAbsent(change.eventId(), fingerprint) == null) {
                unique.add(change);
            }
        }
        Set<String> claimed = new HashSet<>();
        try (PreparedStatement ps = con.prepareStatement(APPLY_CHANGES)) {
            bindChangeRows(con, ps, unique, firstFingerprint);
            ps.setString(13, env);
            ps.setString(14, FAMILY_CHANGE);
            ps.setString(15, env);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
        }
        // Ids this request did not claim were committed by earlier requests: read their answers.
        Map<String, String[]> earlier =
                earlierEvents(con, env, FAMILY_CHANGE, unclaimed(firstFingerprint, claimed));
        List<String> ids = changes.stream().map(ResolvedChange::eventId).toList();
        return outcomes(ids, fingerprints, firstFingerprint, claimed, earlier, Map.of());
    }

    /** One row per (event, measure): the event's id, fingerprint, record and quantity. */
    private void bindChangeRows(
            Connection con,
            PreparedStatement ps,
            List<ResolvedChange> changes,
            Map<String, String> fingerprints)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (ResolvedChange change : changes) {
            RecordKey record = change.record();
            Object[] recordColumns = {
                change.eventId(),
                fingerprints.get(change.eventId()),
                record.productKey(),
                record.dimensions().key(),
                record.organizationId(),
                record.productId(),
                change.partitionId(),
                valueOrEmpty(record, BaseDimension.SITE),
                valueOrEmpty(record, BaseDimension.LOCATION),
                json.writeValueAsString(record.dimensions().values())
            };
            for (Map.Entry<MeasureRef, BigDecimal> q : change.quantities().entrySet()) {
                Object[] row = java.util.Arrays.copyOf(recordColumns, 12);
                row[10] = q.getKey().qualified();
                row[11] = q.getValue();
                rows.add(row);
            }
        }
        String[] types = {
            "text", "text", "uuid", "text", "text", "text", "text", "text", "text", "text", "text",
            "numeric"
        };
        for (int c = 0; c < types.length; c++) {
            Object[] column = new Object[rows.size()];
            for (int r = 0; r < column.length; r++) {
                column[r] = rows.get(r)[c];
            }
            ps.setArray(c + 1, con.createArrayOf(types[c], column));
        }
    }

    private List<WriteOutcome> applyInTransaction(
            Connection con, String env, WriteKind kind, List<ResolvedChange> changes)
            throws SQLException {
        String family = kind == WriteKind.CHANGE ? FAMILY_CHANGE : FAMILY_SET;
        return applyOnce(
                con,
                env,
                family,
                changes,
                ResolvedChange::eventId,
                c -> hash(c.fingerprint()),
                ResolvedChange::partitionId,
                fresh -> {
                    upsertRecords(con, env, fresh);
                    if (kind == WriteKind.CHANGE) {
                        addQuantities(con, fresh);
                        return Map.of();
                    }
                    Map<String, String> messages = setQuantities(con, fresh);
                    recordMessages(con, env, family, messages);
                    return messages;
                });
    }

    /** Writes the events whose ids are new; answers a message per event id where there is one. */
    private interface FreshWriter<E> {
        Map<String, String> write(List<E> fresh) throws SQLException;
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
            Function<E, String> idOf,
            Function<E, String> fingerprintOf,
            Function<E, String> partitionOf,
            FreshWriter<E> writer)
            throws SQLException {
        Map<String, String> firstFingerprint = new HashMap<>();
        Map<String, String> partitions = new HashMap<>();
        List<E> unique = new ArrayList<>();
        for (E event : events) {
            if (firstFingerprint.putIfAbsent(idOf.apply(event), fingerprintOf.apply(event))
                    == null) {
                unique.add(event);
                partitions.put(idOf.apply(event), partitionOf.apply(event));
            }
        }
        Set<String> claimed =
                claimEventIds(con, env, family, new TreeMap<>(firstFingerprint), partitions);
        Map<String, String[]> earlier =
                earlierEvents(con, env, family, unclaimed(firstFingerprint, claimed));
        List<E> fresh =
                unique.stream().filter(e -> claimed.contains(idOf.apply(e))).toList();
        Map<String, String> messages = fresh.isEmpty() ? Map.of() : writer.write(fresh);
        List<String> ids = events.stream().map(idOf).toList();
        List<String> fingerprints = events.stream().map(fingerprintOf).toList();
        return outcomes(ids, fingerprints, firstFingerprint, claimed, earlier, messages);
    }

    private static List<String> unclaimed(
            Map<String, String> firstFingerprint, Set<String> claimed) {
        return firstFingerprint.keySet().stream()
                .filter(id -> !claimed.contains(id))
                .toList();
    }

    /** The answer per event, in request order; the lists are parallel. */
    private static List<WriteOutcome> outcomes(
            List<String> ids,
            List<String> fingerprints,
            Map<String, String> firstFingerprint,
            Set<String> claimed,
            Map<String, String[]> earlier,
            Map<String, String> messages) {
        List<WriteOutcome> outcomes = new ArrayList<>(ids.size());
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String fingerprint = fingerprints.get(i);
            boolean first = answered.add(id);
            String[] stored = claimed.contains(id)
                    ? new String[] {firstFingerprint.get(id), messages.getOrDefault(id, "")}
                    : earlier.get(id);
            // No stored answer for an id this request did not claim is a race, not a broken
            // invariant: retention or a partition clean-up may delete the row between the claim
            // and the read. The id was taken, so the event is not applied.
            if (stored == null || !stored[0].equals(fingerprint)) {
                outcomes.add(conflict(id));
            } else if (first && claimed.contains(id)) {
                outcomes.add(new WriteOutcome(id, WriteOutcome.Status.APPLIED, stored[1]));
            } else {
                outcomes.add(new WriteOutcome(id, WriteOutcome.Status.DUPLICATE, stored[1]));
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

    /**
     * Inserts the ids in sorted order, each with its fingerprint and the partition its effect
     * lies in; answers the ids that were new (this request owns them).
     */
    private Set<String> claimEventIds(
            Connection con,
            String env,
            String family,
            TreeMap<String, String> sorted,
            Map<String, String> partitions)
            throws SQLException {
        String sql = "insert into processed_event (environment_id, family, event_id, fingerprint,"
                + " partition_id) select ?, ?, e.id, e.fp, e.part"
                + " from unnest(?::text[], ?::text[], ?::text[]) as e(id, fp, part)"
                + " on conflict do nothing returning event_id";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, env);
            ps.setString(2, family);
            ps.setArray(3, con.createArrayOf("text", sorted.keySet().toArray()));
            ps.setArray(4, con.createArrayOf("text", sorted.values().toArray()));
            ps.setArray(
                    5,
                    con.createArrayOf(
                            "text",
                            sorted.keySet().stream().map(partitions::get).toArray()));
            Set<String> claimed = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
            return claimed;
        }
    }

    /** Fingerprint and message of ids processed by earlier requests. */
    private Map<String, String[]> earlierEvents(
            Connection con, String env, String family, List<String> ids) throws SQLException {
        Map<String, String[]> earlier = new HashMap<>();
        if (ids.isEmpty()) {
            return earlier;
        }
        String sql = "select event_id, fingerprint, message from processed_event"
                + " where environment_id = ? and family = ? and event_id = any(?::text[])";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, env);
            ps.setString(2, family);
            ps.setArray(3, con.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    earlier.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        return earlier;
    }

    @Override
    public List<WriteOutcome> applySchedules(
            String environmentId, List<ResolvedSchedule> schedules) {
        return TransactionRetry.run(() -> tx.execute(status ->
                jdbc.execute((ConnectionCallback<List<WriteOutcome>>) con -> applyOnce(
                        con,
                        environmentId,
                        FAMILY_SCHEDULE,
                        schedules,
                        ResolvedSchedule::eventId,
                        ResolvedSchedule::fingerprint,
                        ResolvedSchedule::partitionId,
                        fresh -> {
                            upsertRecords(
                                    con,
                                    environmentId,
                                    fresh.stream()
                                            .map(JdbcOnHandStore::recordOnly)
                                            .toList());
                            addSchedules(con, fresh);
                            return Map.of();
                        }))));
    }

    private static ResolvedChange recordOnly(ResolvedSchedule schedule) {
        return new ResolvedChange(
                schedule.eventId(),
                schedule.record(),
                schedule.partitionId(),
                new TreeMap<>(),
                null);
    }

    private void addSchedules(Connection con, List<ResolvedSchedule> schedules)
            throws SQLException {
        TreeMap<String, Object[]> rows = new TreeMap<>();
        for (ResolvedSchedule schedule : schedules) {
            schedule.quantitiesByDate()
                    .forEach((date, measures) -> measures.forEach((ref, q) -> {
                        String key = rowKey(schedule.record())
                                + '\u0000'
                                + ref.qualified()
                                + '\u0000'
                                + date;
                        Object[] row = rows.get(key);
                        if (row == null) {
                            rows.put(key, new Object[] {
                                schedule.record().productKey(),
                                schedule.record().dimensions().key(),
                                ref.qualified(),
                                q,
                                date
                            });
                        } else {
                            row[3] = ((BigDecimal) row[3]).add(q);
                        }
                    }));
        }
        String sql = "insert into onhand_schedule"
                + " (product_key, record_key, measure, quantity, schedule_date)"
                + " select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[], ?::date[])"
                + " on conflict (product_key, record_key, measure, schedule_date)"
                + " do update set quantity = onhand_schedule.quantity + excluded.quantity";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            bindQuantityRows(con, ps, rows.values(), 1);
            ps.setArray(
                    5,
                    con.createArrayOf(
                            "date",
                            rows.values().stream()
                                    .map(r -> java.sql.Date.valueOf((LocalDate) r[4]))
                                    .toArray()));
            ps.executeUpdate();
        }
    }

    @Override
    public List<ScheduledRow> scheduled(
            String environmentId, OnHandQuery query, LocalDate from, LocalDate to) {
        return new OnHandQuerySql(environmentId, query, from, to).runScheduled(jdbc);
    }

    void upsertRecords(Connection con, String env, List<ResolvedChange> changes)
            throws SQLException {
        TreeMap<String, ResolvedChange> byKey = new TreeMap<>();
        for (ResolvedChange change : changes) {
            byKey.putIfAbsent(rowKey(change.record()), change);
        }
        int n = byKey.size();
        Object[] productKeys = new Object[n];
        Object[] recordKeys = new Object[n];
        Object[] orgs = new Object[n];
        Object[] products = new Object[n];
        Object[] partitions = new Object[n];
        Object[] sites = new Object[n];
        Object[] locations = new Object[n];
        Object[] dims = new Object[n];
        int i = 0;
        for (ResolvedChange change : byKey.values()) {
            RecordKey record = change.record();
            productKeys[i] = record.productKey();
            recordKeys[i] = record.dimensions().key();
            orgs[i] = record.organizationId();
            products[i] = record.productId();
            partitions[i] = change.partitionId();
            sites[i] = valueOrEmpty(record, BaseDimension.SITE);
            locations[i] = valueOrEmpty(record, BaseDimension.LOCATION);
            dims[i] = json.writeValueAsString(record.dimensions().values());
            i++;
        }
        String sql = "insert into onhand_record (product_key, record_key, environment_id,"
                + " organization_id, product_id, partition_id, site_id, location_id, dimensions)"
                + " select r.pk, r.rk, ?, r.org, r.product, r.part, r.site, r.loc, r.dims::jsonb"
                + " from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[])"
                + " as r(pk, rk, org, product, part, site, loc, dims)"
                + " on conflict (product_key, record_key) do nothing";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, env);
            ps.setArray(2, con.createArrayOf("uuid", productKeys));
            ps.setArray(3, con.createArrayOf("text", recordKeys));
            ps.setArray(4, con.createArrayOf("text", orgs));
            ps.setArray(5, con.createArrayOf("text", products));
            ps.setArray(6, con.createArrayOf("text", partitions));
            ps.setArray(7, con.createArrayOf("text", sites));
            ps.setArray(8, con.createArrayOf("text", locations));
            ps.setArray(9, con.createArrayOf("text", dims));
            ps.executeUpdate();
        }
    }

    void addQuantities(Connection con, List<ResolvedChange> changes) throws SQLException {
        TreeMap<String, Object[]> rows = new TreeMap<>();
        for (ResolvedChange change : changes) {
            for (Map.Entry<MeasureRef, BigDecimal> q : change.quantities().entrySet()) {
                String key = rowKey(change.record()) + '\u0000' + q.getKey().qualified();
                Object[] row = rows.get(key);
                if (row == null) {
                    rows.put(key, new Object[] {
                        change.record().productKey(),
                        change.record().dimensions().key(),
                        q.getKey().qualified(),
                        q.getValue()
                    });
                } else {
                    row[3] = ((BigDecimal) row[3]).add(q.getValue());
                }
            }
        }
        String sql = "insert into onhand_quantity (product_key, record_key, measure, quantity)"
                + " select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[])"
                + " on conflict (product_key, record_key, measure)"
                + " do update set quantity = onhand_quantity.quantity + excluded.quantity";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            bindQuantityRows(con, ps, rows.values(), 1);
            ps.executeUpdate();
        }
    }

    /**
     * Overwrites values unless a later observation was already set (A5). Answers a message for
     * each event some of whose measures were stale.
     */
    private Map<String, String> setQuantities(Connection con, List<ResolvedChange> changes)
            throws SQLException {
        // Per (record, measure) the latest observation wins, in the batch and against the table.
        TreeMap<String, Object[]> rows = new TreeMap<>();
        Map<String, List<Object[]>> observations = new HashMap<>();
        for (ResolvedChange change : changes) {
            Instant at = change.modifiedAt() == null ? clock.instant() : change.modifiedAt();
            for (Map.Entry<MeasureRef, BigDecimal> q : change.quantities().entrySet()) {
                String key = rowKey(change.record()) + '\u0000' + q.getKey().qualified();
                Object[] row = rows.get(key);
                if (row == null || !((Timestamp) row[4]).toInstant().isAfter(at)) {
                    rows.put(key, new Object[] {
                        change.record().productKey(),
                        change.record().dimensions().key(),
                        q.getKey().qualified(),
                        q.getValue(),
                        Timestamp.from(at)
                    });
                }
                observations
                        .computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new Object[] {change.eventId(), at});
            }
        }
        String sql =
                "insert into onhand_quantity (product_key, record_key, measure, quantity, set_at)"
                        + " select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[],"
                        + " ?::timestamptz[])"
                        + " on conflict (product_key, record_key, measure)"
                        + " do update set quantity = excluded.quantity, set_at = excluded.set_at"
                        + " where onhand_quantity.set_at is null"
                        + " or onhand_quantity.set_at <= excluded.set_at"
                        + " returning product_key, record_key, measure";
        Set<String> written = new HashSet<>();
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            bindQuantityRows(con, ps, rows.values(), 1);
            Object[] times = rows.values().stream().map(r -> r[4]).toArray();
            ps.setArray(5, con.createArrayOf("timestamptz", times));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    written.add(rs.getObject(1) + "\u0000" + rs.getString(2) + '\u0000'
                            + rs.getString(3));
                }
            }
        }
        Map<String, String> messages = new LinkedHashMap<>();
        for (Map.Entry<String, Object[]> row : rows.entrySet()) {
            Object[] r = row.getValue();
            boolean stored = written.contains(r[0] + "\u0000" + r[1] + '\u0000' + r[2]);
            Instant winner = ((Timestamp) r[4]).toInstant();
            for (Object[] observation : observations.getOrDefault(row.getKey(), List.of())) {
                if (!stored || ((Instant) observation[1]).isBefore(winner)) {
                    messages.merge(
                            (String) observation[0],
                            "stale: " + r[2] + " was set from a"
                                    + " later observation and is unchanged",
                            (a, b) -> a + "; " + b);
                }
            }
        }
        return messages;
    }

    private static void bindQuantityRows(
            Connection con, PreparedStatement ps, java.util.Collection<Object[]> rows, int first)
            throws SQLException {
        ps.setArray(
                first, con.createArrayOf("uuid", rows.stream().map(r -> r[0]).toArray()));
        ps.setArray(
                first + 1,
                con.createArrayOf("text", rows.stream().map(r -> r[1]).toArray()));
        ps.setArray(
                first + 2,
                con.createArrayOf("text", rows.stream().map(r -> r[2]).toArray()));
        ps.setArray(
                first + 3,
                con.createArrayOf("numeric", rows.stream().map(r -> r[3]).toArray()));
    }

    private void recordMessages(
            Connection con, String env, String family, Map<String, String> messages)
            throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        String sql = "update processed_event set message = m.msg from unnest(?::text[], ?::text[])"
                + " as m(id, msg) where environment_id = ? and family = ? and event_id = m.id";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setArray(1, con.createArrayOf("text", messages.keySet().toArray()));
            ps.setArray(2, con.createArrayOf("text", messages.values().toArray()));
            ps.setString(3, env);
            ps.setString(4, family);
            ps.executeUpdate();
        }
    }

    private static String valueOrEmpty(RecordKey record, String dimension) {
        String value = record.dimensions().get(dimension);
        return value == null ? "" : value;
    }

    private static String rowKey(RecordKey record) {
        return record.productKey() + "\u0000" + record.dimensions().key();
    }

    static String hash(String fingerprint) {
        return Fingerprints.of(fingerprint);
    }

    @Override
    public List<AggregatedRow> query(String environmentId, OnHandQuery query) {
        return new OnHandQuerySql(environmentId, query).run(jdbc);
    }

    @Override
    public List<String> partitionIds(String environmentId) {
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
    public int deletePartitions(String environmentId, List<String> partitionIds) {
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
    public int deleteAll(String environmentId) {
        return TransactionRetry.run(() -> jdbc.update(
                "with forgotten as (delete from processed_event where environment_id = ?)"
                        + " delete from onhand_record where environment_id = ?",
                environmentId,
                environmentId));
    }

    @Override
    public boolean hasData(String environmentId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from onhand_record where environment_id = ?)",
                Boolean.class,
                environmentId));
    }

    static UUID productKey(String env, String org, String product) {
        return RecordKey.productKey(env, org, product);
    }
}
