package io.ivs.bench;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.ResolvedChange;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The least durable work any service must do for a batch of stock changes: one idempotency insert
 * per event and one upsert per (record, measure), each as one batched statement, in one
 * transaction, on a minimal schema.
 */
final class ReferenceCeiling {
    static final String SCHEMA = "ceiling_reference";

    static final String DDL = "create table stock (product_key uuid not null,"
            + " record_key text not null, measure text not null, quantity numeric not null,"
            + " primary key (product_key, record_key, measure));"
            + " create table seen_event (event_id text primary key)";

    private static final String SEEN = "insert into seen_event (event_id)"
            + " select * from unnest(?::text[]) on conflict do nothing";
    private static final String UPSERT = "insert into stock (product_key, record_key, measure,"
            + " quantity) select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[])"
            + " on conflict (product_key, record_key, measure)"
            + " do update set quantity = stock.quantity + excluded.quantity";

    static void createSchema(Connection con) throws SQLException {
        try (Statement st = con.createStatement()) {
            st.execute("create schema " + SCHEMA);
            st.execute("set search_path = " + SCHEMA);
            st.execute(DDL);
        }
    }

    void apply(Connection con, List<ResolvedChange> changes) throws SQLException {
        con.setAutoCommit(false);
        try {
            TreeMap<String, Object[]> rows = new TreeMap<>();
            Object[] ids = new Object[changes.size()];
            for (int i = 0; i < changes.size(); i++) {
                ResolvedChange change = changes.get(i);
                ids[i] = change.eventId().value();
                for (Map.Entry<MeasureRef, BigDecimal> q : change.quantities().entrySet()) {
                    String key = change.record().productKey() + "\u0000"
                            + change.record().dimensions().key() + "\u0000"
                            + q.getKey().qualified();
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
            java.util.Arrays.sort(ids);
            try (PreparedStatement ps = con.prepareStatement(SEEN)) {
                ps.setArray(1, con.createArrayOf("text", ids));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = con.prepareStatement(UPSERT)) {
                SameWorkCeiling.bindColumns(con, ps, rows.values());
                ps.executeUpdate();
            }
            con.commit();
        } catch (SQLException | RuntimeException e) {
            con.rollback();
            throw e;
        }
    }
}
