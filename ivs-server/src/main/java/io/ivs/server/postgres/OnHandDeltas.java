package io.ivs.server.postgres;

import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore.Delta;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes to on-hand records, their quantities and reservation ledgers, shared by every feature
 * that moves stock inside its transaction. Rows are sorted by key in every statement so that
 * concurrent writers lock rows in one order and cannot deadlock.
 */
public final class OnHandDeltas {
    /**
     * Records, quantities and ledgers of a request's deltas in one statement. Data-modifying
     * common table expressions share one snapshot, and foreign keys are checked at the end of
     * the statement, so the records it inserts satisfy the quantities and ledgers it inserts.
     * A ledger's new time is the inserted row's default ({@code excluded.updated_at}): Citus
     * takes only immutable functions in the update part of an upsert on a distributed table.
     */
    private static final String APPLY_DELTAS = "with d as (select * from unnest(?::uuid[],"
            + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::numeric[])"
            + " as d(pk, rk, org, product, part, site, loc, dims, measure, qty)),"
            + " l as (select * from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::numeric[])"
            + " as l(pk, reservation, org, product, measure, rk, dims, qty)),"
            + " records as (insert into onhand_record (product_key, record_key, environment_id,"
            + " organization_id, product_id, partition_id, site_id, location_id, dimensions)"
            + " select distinct on (pk, rk) pk, rk, ?, org, product, part, site, loc, dims::jsonb"
            + " from d order by pk, rk on conflict (product_key, record_key) do nothing),"
            + " quantities as (insert into onhand_quantity (product_key, record_key, measure,"
            + " quantity) select pk, rk, measure, sum(qty) from d group by pk, rk, measure"
            + " order by pk, rk, measure on conflict (product_key, record_key, measure)"
            + " do update set quantity = onhand_quantity.quantity + excluded.quantity)"
            + " insert into reservation (product_key, reservation_id, environment_id,"
            + " organization_id, product_id, measure, record_key, dimensions, quantity)"
            + " select pk, reservation, ?, org, product, measure, rk, dims::jsonb, qty from l"
            + " order by pk, reservation on conflict (product_key, reservation_id) do update"
            + " set quantity = reservation.quantity + excluded.quantity,"
            + " updated_at = excluded.updated_at";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OnHandDeltas() {}

    /** A record to insert if missing, with the partition it lies in. */
    public record PlacedRecord(RecordKey record, String partitionId) {}

    /** One quantity of one measure of one record, as the quantity statements bind it. */
    public record QuantityRow(
            UUID productKey, String recordKey, String measure, BigDecimal quantity) {
        QuantityRow plus(BigDecimal more) {
            return new QuantityRow(productKey, recordKey, measure, quantity.add(more));
        }
    }

    /**
     * One statement: inserts missing records, adds the deltas to the quantities and to the
     * reservation ledgers, each sorted by key (the order on-hand writes lock rows in).
     */
    public static void apply(Connection con, String env, List<Delta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = con.prepareStatement(APPLY_DELTAS)) {
            bindDeltas(con, ps, deltas);
            bindLedgers(con, ps, deltas);
            ps.setString(19, env);
            ps.setString(20, env);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Physical values summed over every record of the product whose dimensions include the
     * level's.
     */
    public static Map<MeasureRef, BigDecimal> sum(
            Connection con, RecordKey level, Collection<MeasureRef> measures) {
        String sql = "select q.measure, sum(q.quantity) from onhand_record r"
                + " join onhand_quantity q"
                + " on q.product_key = r.product_key and q.record_key = r.record_key"
                + " where r.product_key = ? and r.dimensions @> ?::jsonb"
                + " and q.measure = any(?::text[]) group by q.measure";
        Map<MeasureRef, BigDecimal> sums = new HashMap<>();
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setObject(1, level.productKey());
            ps.setString(2, JSON.writeValueAsString(level.dimensions().values()));
            ps.setArray(
                    3,
                    con.createArrayOf(
                            "text",
                            measures.stream()
                                    .map(MeasureRef::qualified)
                                    .distinct()
                                    .toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(MeasureRef.parse("measure", rs.getString(1)), rs.getBigDecimal(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return sums;
    }

    /** Inserts the records that are missing, once each, sorted by product and record key. */
    public static void upsertRecords(Connection con, String env, List<PlacedRecord> placed)
            throws SQLException {
        TreeMap<String, PlacedRecord> byKey = new TreeMap<>();
        for (PlacedRecord p : placed) {
            byKey.putIfAbsent(rowKey(p.record()), p);
        }
        List<PlacedRecord> rows = List.copyOf(byKey.values());
        String sql = "insert into onhand_record (product_key, record_key, environment_id,"
                + " organization_id, product_id, partition_id, site_id, location_id, dimensions)"
                + " select r.pk, r.rk, ?, r.org, r.product, r.part, r.site, r.loc, r.dims::jsonb"
                + " from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[])"
                + " as r(pk, rk, org, product, part, site, loc, dims)"
                + " on conflict (product_key, record_key) do nothing";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, env);
            ps.setArray(2, array(con, "uuid", rows, p -> p.record().productKey()));
            ps.setArray(3, array(con, "text", rows, p -> p.record().dimensions().key()));
            ps.setArray(4, array(con, "text", rows, p -> p.record().organizationId()));
            ps.setArray(5, array(con, "text", rows, p -> p.record().productId()));
            ps.setArray(6, array(con, "text", rows, PlacedRecord::partitionId));
            ps.setArray(7, array(con, "text", rows, p -> site(p.record())));
            ps.setArray(8, array(con, "text", rows, p -> location(p.record())));
            ps.setArray(9, array(con, "text", rows, p -> dimensionsJson(p.record())));
            ps.executeUpdate();
        }
    }

    /** Adds quantities, summed per record and measure, sorted by key. */
    public static void addQuantities(Connection con, Collection<QuantityRow> quantities)
            throws SQLException {
        TreeMap<String, QuantityRow> rows = new TreeMap<>();
        for (QuantityRow q : quantities) {
            String key = q.productKey() + "\u0000" + q.recordKey() + '\u0000' + q.measure();
            rows.merge(key, q, (a, b) -> a.plus(b.quantity()));
        }
        String sql = "insert into onhand_quantity (product_key, record_key, measure, quantity)"
                + " select * from unnest(?::uuid[], ?::text[], ?::text[], ?::numeric[])"
                + " on conflict (product_key, record_key, measure)"
                + " do update set quantity = onhand_quantity.quantity + excluded.quantity";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            bindQuantityRows(con, ps, List.copyOf(rows.values()), 1);
            ps.executeUpdate();
        }
    }

    /** Binds product keys, record keys, measures and quantities from parameter {@code first}. */
    public static void bindQuantityRows(
            Connection con, PreparedStatement ps, List<QuantityRow> rows, int first)
            throws SQLException {
        ps.setArray(first, array(con, "uuid", rows, QuantityRow::productKey));
        ps.setArray(first + 1, array(con, "text", rows, QuantityRow::recordKey));
        ps.setArray(first + 2, array(con, "text", rows, QuantityRow::measure));
        ps.setArray(first + 3, array(con, "numeric", rows, QuantityRow::quantity));
    }

    /** Parameters 1-10: one row per delta, its record and its quantity. */
    private static void bindDeltas(Connection con, PreparedStatement ps, List<Delta> deltas)
            throws SQLException {
        ps.setArray(1, array(con, "uuid", deltas, d -> d.record().productKey()));
        ps.setArray(2, array(con, "text", deltas, d -> d.record().dimensions().key()));
        ps.setArray(3, array(con, "text", deltas, d -> d.record().organizationId()));
        ps.setArray(4, array(con, "text", deltas, d -> d.record().productId()));
        ps.setArray(5, array(con, "text", deltas, Delta::partitionId));
        ps.setArray(6, array(con, "text", deltas, d -> site(d.record())));
        ps.setArray(7, array(con, "text", deltas, d -> location(d.record())));
        ps.setArray(8, array(con, "text", deltas, d -> dimensionsJson(d.record())));
        ps.setArray(9, array(con, "text", deltas, d -> d.measure().qualified()));
        ps.setArray(10, array(con, "numeric", deltas, Delta::quantity));
    }

    /** One ledger row: the first delta of a reservation id decides its record and measure. */
    private record LedgerRow(Delta first, String reservationId, BigDecimal total) {
        LedgerRow plus(LedgerRow later) {
            return new LedgerRow(first, reservationId, total.add(later.total()));
        }
    }

    /**
     * Parameters 11-18: one row per (product, reservation id), sorted, with the measure and
     * record of its first delta and the sum of its deltas.
     */
    private static void bindLedgers(Connection con, PreparedStatement ps, List<Delta> deltas)
            throws SQLException {
        Map<String, LedgerRow> byKey = new TreeMap<>();
        for (Delta delta : deltas) {
            String reservationId = delta.reservationId();
            if (reservationId == null) {
                continue;
            }
            String key = delta.record().productKey() + "\u0000" + reservationId;
            byKey.merge(
                    key, new LedgerRow(delta, reservationId, delta.quantity()), LedgerRow::plus);
        }
        List<LedgerRow> rows = List.copyOf(byKey.values());
        ps.setArray(11, array(con, "uuid", rows, r -> r.first().record().productKey()));
        ps.setArray(12, array(con, "text", rows, LedgerRow::reservationId));
        ps.setArray(13, array(con, "text", rows, r -> r.first().record().organizationId()));
        ps.setArray(14, array(con, "text", rows, r -> r.first().record().productId()));
        ps.setArray(15, array(con, "text", rows, r -> r.first().measure().qualified()));
        ps.setArray(
                16,
                array(con, "text", rows, r -> r.first().record().dimensions().key()));
        ps.setArray(17, array(con, "text", rows, r -> dimensionsJson(r.first().record())));
        ps.setArray(18, array(con, "numeric", rows, LedgerRow::total));
    }

    /** One column of rows as a PostgreSQL array of {@code type}. */
    public static <R> java.sql.Array array(
            Connection con, String type, List<R> rows, java.util.function.Function<R, ?> column)
            throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return con.createArrayOf(type, values);
    }

    /** The record's dimensions as the JSON object stored beside it. */
    public static String dimensionsJson(RecordKey record) {
        return JSON.writeValueAsString(record.dimensions().values());
    }

    public static String site(RecordKey record) {
        return orEmpty(record.dimensions().get(BaseDimension.SITE));
    }

    public static String location(RecordKey record) {
        return orEmpty(record.dimensions().get(BaseDimension.LOCATION));
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    /** Product and record key as one text key, the order records are locked in. */
    public static String rowKey(RecordKey record) {
        return record.productKey() + "\u0000" + record.dimensions().key();
    }
}
