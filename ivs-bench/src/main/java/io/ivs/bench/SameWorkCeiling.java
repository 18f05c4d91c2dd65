package io.ivs.bench;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResolvedChange;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The same durable PostgreSQL work IVS does for the same logical changes, with no HTTP and no
 * JSON: the statements of {@code JdbcOnHandStore} and {@code OnHandDeltas}, on tables
 * made by IVS's own migrations in a schema of their own, one transaction per request: a small
 * change request is one statement (claim event ids, insert records, add quantities), a larger
 * one three statements in a transaction, as in IVS.
 */
final class SameWorkCeiling {
    static final String SCHEMA = "ceiling";

    private static final String CLAIM = "insert into processed_event"
            + " (product_key, environment_id, family, event_id, fingerprint, partition_id)"
            + " select e.pk, ?, ?, e.id, e.fp, e.part"
            + " from unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) as e(pk, id, fp, part)"
            + " on conflict do nothing returning event_id";
    private static final String RECORDS = "insert into onhand_record (product_key, record_key,"
            + " environment_id, organization_id, product_id, partition_id, site_id, location_id,"
            + " dimensions)"
            + " select r.pk, r.rk, ?, r.org, r.product, r.part, r.site, r.loc, r.dims::jsonb"
            + " from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[])"
            + " as r(pk, rk, org, product, part, site, loc, dims)"
            + " on conflict (product_key, record_key) do nothing";
    private static final String QUANTITIES =
            "insert into onhand_quantity (product_key, record_key, measure, quantity)"
                    + " select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[])"
                    + " on conflict (product_key, record_key, measure)"
                    + " do update set quantity = onhand_quantity.quantity + excluded.quantity";

    /** {@code JdbcOnHandStore}'s statement for a change request, verbatim. */
    static final String APPLY_CHANGES = "with input as (select * from unnest(?::text[],"
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

    private final JsonMapper json = JsonMapper.builder().build();

    /** As in {@code JdbcOnHandStore}: larger requests go as three statements. */
    static final int SINGLE_STATEMENT_CHANGES_MAX = 32;

    /** One on-hand change request, with the statements IVS uses for a request of its size. */
    void apply(Connection con, String env, List<ResolvedChange> changes) throws SQLException {
        if (changes.size() > SINGLE_STATEMENT_CHANGES_MAX) {
            applyThreeStatements(con, env, changes);
        } else {
            applySingleStatement(con, env, changes);
        }
    }

    /** IVS's statement for a small change request: one statement, its own transaction. */
    void applySingleStatement(Connection con, String env, List<ResolvedChange> changes)
            throws SQLException {
        con.setAutoCommit(true);
        List<Object[]> rows = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (ResolvedChange change : changes) {
            if (!ids.add(change.eventId().value())) {
                continue;
            }
            RecordKey record = change.record();
            String fingerprint = Fingerprints.of(change.fingerprint());
            for (Map.Entry<MeasureRef, BigDecimal> q : change.quantities().entrySet()) {
                rows.add(new Object[] {
                    change.eventId().value(),
                    fingerprint,
                    record.productKey(),
                    record.dimensions().key(),
                    record.organizationId(),
                    record.productId(),
                    change.partitionId(),
                    orEmpty(record.dimensions().get("siteid")),
                    orEmpty(record.dimensions().get("locationid")),
                    json.writeValueAsString(record.dimensions().values()),
                    q.getKey().qualified(),
                    q.getValue()
                });
            }
        }
        String[] types = {
            "text", "text", "uuid", "text", "text", "text", "text", "text", "text", "text", "text",
            "numeric"
        };
        try (PreparedStatement ps = con.prepareStatement(APPLY_CHANGES)) {
            for (int c = 0; c < types.length; c++) {
                Object[] column = new Object[rows.size()];
                for (int r = 0; r < column.length; r++) {
                    column[r] = rows.get(r)[c];
                }
                ps.setArray(c + 1, con.createArrayOf(types[c], column));
            }
            ps.setString(13, env);
            ps.setString(14, "onhand");
            ps.setString(15, env);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
        }
    }

    /** IVS's larger change requests (and all of them before): three statements, one transaction. */
    void applyThreeStatements(Connection con, String env, List<ResolvedChange> changes)
            throws SQLException {
        con.setAutoCommit(false);
        try {
            claim(con, env, "onhand", changes);
            upsertRecords(con, env, changes);
            addQuantities(con, changes);
            con.commit();
        } catch (SQLException | RuntimeException e) {
            con.rollback();
            throw e;
        }
    }

    private static void claim(
            Connection con, String env, String family, List<ResolvedChange> changes)
            throws SQLException {
        TreeMap<String, String> sorted = new TreeMap<>();
        TreeMap<String, String> partitions = new TreeMap<>();
        TreeMap<String, UUID> products = new TreeMap<>();
        for (ResolvedChange change : changes) {
            sorted.put(change.eventId().value(), Fingerprints.of(change.fingerprint()));
            partitions.put(change.eventId().value(), change.partitionId());
            products.put(change.eventId().value(), change.record().productKey());
        }
        try (PreparedStatement ps = con.prepareStatement(CLAIM)) {
            ps.setString(1, env);
            ps.setString(2, family);
            ps.setArray(3, con.createArrayOf("uuid", products.values().toArray()));
            ps.setArray(4, con.createArrayOf("text", sorted.keySet().toArray()));
            ps.setArray(5, con.createArrayOf("text", sorted.values().toArray()));
            ps.setArray(6, con.createArrayOf("text", partitions.values().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
        }
    }

    void upsertRecords(Connection con, String env, List<ResolvedChange> changes)
            throws SQLException {
        TreeMap<String, ResolvedChange> byKey = new TreeMap<>();
        for (ResolvedChange change : changes) {
            byKey.putIfAbsent(rowKey(change.record()), change);
        }
        int n = byKey.size();
        Object[][] columns = new Object[8][n];
        int i = 0;
        for (ResolvedChange change : byKey.values()) {
            RecordKey record = change.record();
            columns[0][i] = record.productKey();
            columns[1][i] = record.dimensions().key();
            columns[2][i] = record.organizationId();
            columns[3][i] = record.productId();
            columns[4][i] = change.partitionId();
            columns[5][i] = orEmpty(record.dimensions().get("siteid"));
            columns[6][i] = orEmpty(record.dimensions().get("locationid"));
            columns[7][i] = json.writeValueAsString(record.dimensions().values());
            i++;
        }
        try (PreparedStatement ps = con.prepareStatement(RECORDS)) {
            ps.setString(1, env);
            ps.setArray(2, con.createArrayOf("uuid", columns[0]));
            for (int c = 1; c < 8; c++) {
                ps.setArray(c + 2, con.createArrayOf("text", columns[c]));
            }
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
        try (PreparedStatement ps = con.prepareStatement(QUANTITIES)) {
            bindColumns(con, ps, rows.values());
            ps.executeUpdate();
        }
    }

    static void bindColumns(Connection con, PreparedStatement ps, Collection<Object[]> rows)
            throws SQLException {
        String[] types = {"uuid", "text", "text", "numeric"};
        for (int c = 0; c < types.length; c++) {
            int column = c;
            ps.setArray(
                    c + 1,
                    con.createArrayOf(
                            types[c], rows.stream().map(r -> r[column]).toArray()));
        }
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static String rowKey(RecordKey record) {
        return record.productKey() + "\u0000" + record.dimensions().key();
    }

    String dimensionsJson(RecordKey record) {
        return json.writeValueAsString(record.dimensions().values());
    }
}
