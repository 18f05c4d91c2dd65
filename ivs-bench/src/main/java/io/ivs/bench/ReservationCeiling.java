package io.ivs.bench;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResolvedChange;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL work of one checked soft reservation as IVS does it for a request that runs
 * alone, without HTTP or JSON: the product's lock row, the idempotency look-up, the
 * available-to-reserve sum, the processed event, then the record, quantity and ledger in one
 * statement, in one transaction per reservation.
 */
final class ReservationCeiling {
    /** iv.availabletoreserve of the default configuration: measures added and subtracted. */
    static final List<String> ADDED = List.of(
            "fno.physicalinvent", "fno.ordered", "fno.arrived", "pos.inbound", "iv.ordered");

    static final List<String> SUBTRACTED =
            List.of("fno.reservphysical", "iv.softreserved", "pos.outbound", "fno.softreserved");

    private static final MeasureRef SOFT_RESERVED = new MeasureRef("iv", "softreserved");
    /** The server's {@code postgres/ProductLocks} statement, verbatim. */
    private static final String LOCK = "insert into product_lock (product_key) values (?)"
            + " on conflict (product_key) do update set product_key = excluded.product_key";

    private static final String PROCESSED = "select fingerprint, result from processed_event"
            + " where product_key = ? and environment_id = ? and family = ? and event_id = ?";
    private static final String SUM = "select q.measure, sum(q.quantity) from onhand_record r"
            + " join onhand_quantity q"
            + " on q.product_key = r.product_key and q.record_key = r.record_key"
            + " where r.product_key = ? and r.dimensions @> ?::jsonb"
            + " and q.measure = any(?::text[]) group by q.measure";
    private static final String MARK = "insert into processed_event (product_key,"
            + " environment_id, family, event_id, fingerprint, partition_id, result)"
            + " values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    /** The server's {@code postgres/OnHandDeltas} statement for a request's deltas, verbatim. */
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
            + " set quantity = reservation.quantity + excluded.quantity, updated_at = now()";

    private final SameWorkCeiling sameWork;

    ReservationCeiling(SameWorkCeiling sameWork) {
        this.sameWork = sameWork;
    }

    /** Reserves {@code quantity} of iv.softreserved at the record, if available to reserve. */
    Outcome reserve(
            Connection con, String env, String eventId, ResolvedChange at, BigDecimal quantity)
            throws SQLException {
        con.setAutoCommit(false);
        try {
            Outcome outcome = reserveInTransaction(con, env, eventId, at, quantity);
            con.commit();
            return outcome;
        } catch (SQLException | RuntimeException e) {
            con.rollback();
            throw e;
        }
    }

    private Outcome reserveInTransaction(
            Connection con, String env, String eventId, ResolvedChange at, BigDecimal quantity)
            throws SQLException {
        RecordKey record = at.record();
        try (PreparedStatement ps = con.prepareStatement(LOCK)) {
            ps.setObject(1, record.productKey());
            ps.executeUpdate();
        }
        if (processed(con, env, record.productKey(), eventId)) {
            return Outcome.OK;
        }
        if (quantity.compareTo(available(con, record)) > 0) {
            return Outcome.REJECTED;
        }
        String fingerprint =
                Fingerprints.of(eventId + '\u0000' + record.dimensions().key());
        try (PreparedStatement ps = con.prepareStatement(MARK)) {
            ps.setObject(1, record.productKey());
            ps.setString(2, env);
            ps.setString(3, "reserve");
            ps.setString(4, eventId);
            ps.setString(5, fingerprint);
            ps.setString(6, at.partitionId());
            ps.setString(
                    7,
                    "{\"type\":\"reserved\",\"reservationId\":\"" + eventId + "\",\"eventId\":\""
                            + eventId + "\"}");
            ps.executeUpdate();
        }
        try (PreparedStatement ps = con.prepareStatement(APPLY_DELTAS)) {
            Object[] delta = {
                record.productKey(),
                record.dimensions().key(),
                record.organizationId(),
                record.productId(),
                at.partitionId(),
                record.dimensions().get("siteid"),
                record.dimensions().get("locationid"),
                sameWork.dimensionsJson(record),
                SOFT_RESERVED.qualified(),
                quantity
            };
            String[] deltaTypes = {
                "uuid", "text", "text", "text", "text", "text", "text", "text", "text", "numeric"
            };
            for (int c = 0; c < deltaTypes.length; c++) {
                ps.setArray(c + 1, con.createArrayOf(deltaTypes[c], new Object[] {delta[c]}));
            }
            Object[] ledger = {
                record.productKey(),
                eventId,
                record.organizationId(),
                record.productId(),
                SOFT_RESERVED.qualified(),
                record.dimensions().key(),
                sameWork.dimensionsJson(record),
                quantity
            };
            String[] ledgerTypes = {
                "uuid", "text", "text", "text", "text", "text", "text", "numeric"
            };
            for (int c = 0; c < ledgerTypes.length; c++) {
                ps.setArray(11 + c, con.createArrayOf(ledgerTypes[c], new Object[] {ledger[c]}));
            }
            ps.setString(19, env);
            ps.setString(20, env);
            ps.execute();
        }
        return Outcome.OK;
    }

    private static boolean processed(Connection con, String env, UUID product, String eventId)
            throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(PROCESSED)) {
            ps.setObject(1, product);
            ps.setString(2, env);
            ps.setString(3, "reserve");
            ps.setString(4, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private BigDecimal available(Connection con, RecordKey record) throws SQLException {
        Map<String, BigDecimal> sums = new HashMap<>();
        try (PreparedStatement ps = con.prepareStatement(SUM)) {
            ps.setObject(1, record.productKey());
            ps.setString(2, sameWork.dimensionsJson(record));
            Object[] measures = java.util.stream.Stream.concat(ADDED.stream(), SUBTRACTED.stream())
                    .toArray();
            ps.setArray(3, con.createArrayOf("text", measures));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getString(1), rs.getBigDecimal(2));
                }
            }
        }
        BigDecimal available = BigDecimal.ZERO;
        for (String m : ADDED) {
            available = available.add(sums.getOrDefault(m, BigDecimal.ZERO));
        }
        for (String m : SUBTRACTED) {
            available = available.subtract(sums.getOrDefault(m, BigDecimal.ZERO));
        }
        return available;
    }
}
