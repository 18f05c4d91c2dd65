package io.ivs.server.postgres;

import io.ivs.core.Invariants;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ReservationOffset;
import io.ivs.core.onhand.ReservationOffsets.Held;
import io.ivs.core.onhand.ReservationOffsets.LedgerKey;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.reservation.ReservationStore.Delta;

import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reservation ledgers that set on-hand records offset, read and moved inside the set's
 * transaction (which holds the products' locks): an offset is an unreserve of the ledger's
 * record and measure, written by {@link OnHandDeltas} exactly as an unreserve writes it.
 */
public final class ReservationOffsetsSql {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReservationOffsetsSql() {}

    /** A ledger as the offset needs it: what it holds, and where its quantity lies. */
    public record Ledger(Held held, RecordKey record, String partitionId, MeasureRef measure) {}

    /** The ledgers that exist among {@code keys}. */
    public static Map<LedgerKey, Ledger> read(Connection con, String env, List<LedgerKey> keys)
            throws SQLException {
        Map<LedgerKey, Ledger> ledgers = new HashMap<>();
        if (keys.isEmpty()) {
            return ledgers;
        }
        String sql = "select r.product_key, r.reservation_id, r.quantity, r.organization_id,"
                + " r.product_id, r.dimensions::text, o.partition_id, r.measure"
                + " from reservation r join onhand_record o"
                + " on o.product_key = r.product_key and o.record_key = r.record_key"
                + " join unnest(?::uuid[], ?::text[]) as k(pk, id)"
                + " on r.product_key = k.pk and r.reservation_id = k.id";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setArray(1, OnHandDeltas.array(con, "uuid", keys, LedgerKey::productKey));
            ps.setArray(2, OnHandDeltas.array(con, "text", keys, LedgerKey::reservationId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DimensionSet dims = DimensionSet.of(dimensions(rs.getString(6)));
                    RecordKey record = new RecordKey(
                            EnvironmentId.of(env), rs.getString(4), rs.getString(5), dims);
                    ledgers.put(
                            new LedgerKey(rs.getObject(1, java.util.UUID.class), rs.getString(2)),
                            new Ledger(
                                    new Held(rs.getBigDecimal(3), dims),
                                    record,
                                    rs.getString(7),
                                    MeasureRef.parse("measure", rs.getString(8))));
                }
            }
        }
        return ledgers;
    }

    /** Takes the offsets of the applied events out of their ledgers and reserved measures. */
    public static void apply(
            Connection con,
            String env,
            List<ResolvedChange> applied,
            Map<LedgerKey, Ledger> ledgers) {
        List<Delta> deltas = new ArrayList<>();
        for (ResolvedChange event : applied) {
            for (ReservationOffset offset : event.offsets()) {
                Ledger ledger = ledgers.get(
                        new LedgerKey(event.record().productKey(), offset.reservationId()));
                if (ledger == null) {
                    // The rule refused every event whose ledger is missing, so none gets here.
                    throw Invariants.violated(
                            "no ledger for offset %s of %s", offset, event.eventId());
                }
                deltas.add(new Delta(
                        ledger.record(),
                        ledger.partitionId(),
                        ledger.measure(),
                        offset.quantity().negate(),
                        offset.reservationId()));
            }
        }
        OnHandDeltas.apply(con, env, deltas);
    }

    private static Map<String, String> dimensions(String text) {
        Map<String, String> dims = new LinkedHashMap<>();
        JSON.readTree(text)
                .properties()
                .forEach(e -> dims.put(e.getKey(), e.getValue().asString()));
        return dims;
    }
}
