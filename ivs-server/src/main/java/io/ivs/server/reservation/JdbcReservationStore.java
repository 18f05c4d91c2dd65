package io.ivs.server.reservation;

import io.ivs.core.Invariants;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.port.ReservationStore;
import io.ivs.core.port.ReservationStore.Mark;
import io.ivs.core.port.ReservationStore.Processed;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.TransactionRetry;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Soft reservations in PostgreSQL. Per-product serialisation uses transaction-scoped advisory
 * locks keyed by the first 64 bits of the product key, taken in sorted order: every instance on
 * the database sees the same locks (DESIGN D4), and a rare key collision only serialises two
 * products that did not need it.
 */
@Repository
public class JdbcReservationStore implements ReservationStore {
    /**
     * Records, quantities and ledgers of a request's deltas in one statement. Data-modifying
     * common table expressions share one snapshot, and foreign keys are checked at the end of
     * the statement, so the records it inserts satisfy the quantities and ledgers it inserts.
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
            + " set quantity = reservation.quantity + excluded.quantity, updated_at = now()";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json = JsonMapper.builder().build();

    public JdbcReservationStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public <T> T withProductsLocked(
            String environmentId, SortedSet<UUID> productKeys, Function<Tx, T> work) {
        return locked(environmentId, productKeys, work::apply);
    }

    private static void lock(Connection con, SortedSet<UUID> productKeys) throws SQLException {
        SortedSet<Long> keys = new TreeSet<>();
        for (UUID key : productKeys) {
            keys.add(key.getMostSignificantBits());
        }
        try (PreparedStatement ps = con.prepareStatement(
                "select pg_advisory_xact_lock(k) from unnest(?::bigint[]) with ordinality as l(k, n)"
                        + " order by n")) {
            ps.setArray(1, con.createArrayOf("bigint", keys.toArray()));
            ps.executeQuery().close();
        }
    }

    /**
     * Runs {@code work} in a transaction holding the product locks, again if PostgreSQL aborts it
     * as a deadlock victim ({@link TransactionRetry}): {@code work} must keep its state inside
     * the transaction. Also for sibling stores.
     */
    public <T> T locked(
            String environmentId, SortedSet<UUID> productKeys, Function<JdbcTx, T> work) {
        return TransactionRetry.run(() ->
                tx.execute(status -> jdbc.execute((ConnectionCallback<T>) con -> {
                    lock(con, productKeys);
                    return work.apply(new JdbcTx(con, environmentId));
                })));
    }

    public final class JdbcTx implements Tx {
        private final Connection con;
        private final String env;

        JdbcTx(Connection con, String env) {
            this.con = con;
            this.env = env;
        }

        @Override
        public Optional<Processed> processed(String family, String eventId) {
            return processedRow(family, eventId)
                    .map(row -> new Processed(row[0], readResult(row[1])));
        }

        @Override
        public boolean markProcessed(
                String family,
                String eventId,
                String fingerprint,
                String partitionId,
                ReservationResult result) {
            return insertProcessed(family, eventId, fingerprint, partitionId, writeResult(result));
        }

        /** Fingerprint and stored answer (JSON) of an event id, if processed. */
        public Optional<String[]> processedRow(String family, String eventId) {
            String sql = "select fingerprint, result from processed_event"
                    + " where environment_id = ? and family = ? and event_id = ?";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setString(1, env);
                ps.setString(2, family);
                ps.setString(3, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new String[] {rs.getString(1), rs.getString(2)})
                            : Optional.empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Records an answer; false when the id was taken meanwhile. */
        public boolean insertProcessed(
                String family,
                String eventId,
                String fingerprint,
                String partitionId,
                String result) {
            String sql = "insert into processed_event (environment_id, family, event_id,"
                    + " fingerprint, partition_id, result) values (?, ?, ?, ?, ?, ?)"
                    + " on conflict do nothing";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setString(1, env);
                ps.setString(2, family);
                ps.setString(3, eventId);
                ps.setString(4, fingerprint);
                ps.setString(5, partitionId);
                ps.setString(6, result);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        public Connection connection() {
            return con;
        }

        public String environmentId() {
            return env;
        }

        @Override
        public Map<String, Processed> processedAll(String family, Collection<String> eventIds) {
            String sql = "select event_id, fingerprint, result from processed_event"
                    + " where environment_id = ? and family = ? and event_id = any(?::text[])";
            Map<String, Processed> found = new HashMap<>();
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setString(1, env);
                ps.setString(2, family);
                ps.setArray(3, con.createArrayOf("text", eventIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(
                                rs.getString(1),
                                new Processed(rs.getString(2), readResult(rs.getString(3))));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return found;
        }

        /** One insert of the ids in sorted order; true when every id was new. */
        @Override
        public boolean markAllProcessed(String family, List<Mark> marks) {
            if (marks.isEmpty()) {
                return true;
            }
            TreeMap<String, Mark> sorted = new TreeMap<>();
            marks.forEach(mark -> sorted.put(mark.eventId(), mark));
            String sql = "insert into processed_event (environment_id, family, event_id,"
                    + " fingerprint, partition_id, result) select ?, ?, m.id, m.fp, m.part,"
                    + " m.result from unnest(?::text[], ?::text[], ?::text[], ?::text[])"
                    + " as m(id, fp, part, result) on conflict do nothing";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setString(1, env);
                ps.setString(2, family);
                ps.setArray(3, con.createArrayOf("text", sorted.keySet().toArray()));
                ps.setArray(
                        4,
                        con.createArrayOf(
                                "text",
                                sorted.values().stream().map(Mark::fingerprint).toArray()));
                ps.setArray(
                        5,
                        con.createArrayOf(
                                "text",
                                sorted.values().stream().map(Mark::partitionId).toArray()));
                ps.setArray(
                        6,
                        con.createArrayOf(
                                "text",
                                sorted.values().stream()
                                        .map(m -> writeResult(m.result()))
                                        .toArray()));
                return ps.executeUpdate() == sorted.size();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures) {
            String sql = "select q.measure, sum(q.quantity) from onhand_record r"
                    + " join onhand_quantity q"
                    + " on q.product_key = r.product_key and q.record_key = r.record_key"
                    + " where r.product_key = ? and r.dimensions @> ?::jsonb"
                    + " and q.measure = any(?::text[]) group by q.measure";
            Map<MeasureRef, BigDecimal> sums = new HashMap<>();
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setObject(1, level.productKey());
                ps.setString(2, json.writeValueAsString(level.dimensions().values()));
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

        @Override
        public Optional<Ledger> ledger(UUID productKey, String reservationId) {
            String sql = "select measure, record_key, quantity from reservation"
                    + " where product_key = ? and reservation_id = ?";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setObject(1, productKey);
                ps.setString(2, reservationId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Ledger(
                            reservationId,
                            MeasureRef.parse("measure", rs.getString(1)),
                            rs.getString(2),
                            rs.getBigDecimal(3)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * One statement: inserts missing records, adds the deltas to the quantities and to the
         * reservation ledgers, each sorted by key (the order on-hand writes lock rows in).
         */
        @Override
        public void apply(List<Delta> deltas) {
            if (deltas.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = con.prepareStatement(APPLY_DELTAS)) {
                bindDeltas(ps, deltas);
                bindLedgers(ps, deltas);
                ps.setString(19, env);
                ps.setString(20, env);
                ps.execute();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Parameters 1-10: one row per delta, its record and its quantity. */
        private void bindDeltas(PreparedStatement ps, List<Delta> deltas) throws SQLException {
            Object[][] columns = new Object[10][deltas.size()];
            for (int i = 0; i < deltas.size(); i++) {
                Delta delta = deltas.get(i);
                RecordKey record = delta.record();
                columns[0][i] = record.productKey();
                columns[1][i] = record.dimensions().key();
                columns[2][i] = record.organizationId();
                columns[3][i] = record.productId();
                columns[4][i] = delta.partitionId();
                columns[5][i] = orEmpty(record.dimensions().get(BaseDimension.SITE));
                columns[6][i] = orEmpty(record.dimensions().get(BaseDimension.LOCATION));
                columns[7][i] = json.writeValueAsString(record.dimensions().values());
                columns[8][i] = delta.measure().qualified();
                columns[9][i] = delta.quantity();
            }
            String[] types = {
                "uuid", "text", "text", "text", "text", "text", "text", "text", "text", "numeric"
            };
            for (int c = 0; c < types.length; c++) {
                ps.setArray(c + 1, con.createArrayOf(types[c], columns[c]));
            }
        }

        /**
         * Parameters 11-18: one row per (product, reservation id), sorted, with the measure and
         * record of its first delta and the sum of its deltas.
         */
        private void bindLedgers(PreparedStatement ps, List<Delta> deltas) throws SQLException {
            Map<String, LedgerRow> byKey = new TreeMap<>();
            for (Delta delta : deltas) {
                String reservationId = delta.reservationId();
                if (reservationId == null) {
                    continue;
                }
                String key = delta.record().productKey() + "\u0000" + reservationId;
                byKey.merge(
                        key,
                        new LedgerRow(delta, reservationId, delta.quantity()),
                        LedgerRow::plus);
            }
            Object[][] columns = new Object[8][byKey.size()];
            int i = 0;
            for (LedgerRow row : byKey.values()) {
                RecordKey record = row.first().record();
                columns[0][i] = record.productKey();
                columns[1][i] = row.reservationId();
                columns[2][i] = record.organizationId();
                columns[3][i] = record.productId();
                columns[4][i] = row.first().measure().qualified();
                columns[5][i] = record.dimensions().key();
                columns[6][i] = json.writeValueAsString(record.dimensions().values());
                columns[7][i] = row.total();
                i++;
            }
            String[] types = {"uuid", "text", "text", "text", "text", "text", "text", "numeric"};
            for (int c = 0; c < types.length; c++) {
                ps.setArray(11 + c, con.createArrayOf(types[c], columns[c]));
            }
        }
    }

    /** One ledger row: the first delta of a reservation id decides its record and measure. */
    private record LedgerRow(Delta first, String reservationId, BigDecimal total) {
        LedgerRow plus(LedgerRow later) {
            return new LedgerRow(first, reservationId, total.add(later.total()));
        }
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private String writeResult(ReservationResult result) {
        ObjectNode node = json.createObjectNode();
        switch (result) {
            case ReservationResult.Reserved r ->
                node.put("type", "reserved").put("reservationId", r.reservationId());
            case ReservationResult.Unreserved u ->
                node.put("type", "unreserved")
                        .put("reservationId", u.reservationId())
                        .put("released", u.released())
                        .put("invalid", u.invalid());
            // The core records answers of applied events only; a rejection is answered anew.
            case ReservationResult.Rejected r ->
                throw Invariants.violated("rejections are not recorded: %s", r);
        }
        node.put("eventId", result.eventId());
        return json.writeValueAsString(node);
    }

    private ReservationResult readResult(String text) {
        JsonNode node = json.readTree(text);
        String eventId = node.get("eventId").asString();
        String reservationId = node.get("reservationId").asString();
        return switch (node.get("type").asString()) {
            case "reserved" -> new ReservationResult.Reserved(eventId, reservationId);
            case "unreserved" ->
                new ReservationResult.Unreserved(
                        eventId,
                        reservationId,
                        node.get("released").decimalValue(),
                        node.get("invalid").decimalValue());
            // Only writeResult writes these answers, and it knows these two types only.
            default -> throw Invariants.violated("unknown stored answer %s", text);
        };
    }

    @Override
    public List<Holding> list(
            String environmentId,
            Optional<String> organizationId,
            Optional<String> productId,
            Optional<String> reservationId,
            int limit) {
        StringBuilder sql = new StringBuilder("select reservation_id, organization_id, product_id,"
                + " measure, dimensions::text, quantity, updated_at from reservation"
                + " where environment_id = ?");
        List<Object> args = new ArrayList<>(List.of(environmentId));
        organizationId.ifPresent(v -> {
            sql.append(" and organization_id = ?");
            args.add(v);
        });
        productId.ifPresent(v -> {
            sql.append(" and product_id = ?");
            args.add(v);
        });
        reservationId.ifPresent(v -> {
            sql.append(" and reservation_id = ?");
            args.add(v);
        });
        sql.append(" order by organization_id, product_id, reservation_id limit ?");
        args.add(limit);
        return jdbc.query(
                sql.toString(),
                (rs, n) -> new Holding(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        MeasureRef.parse("measure", rs.getString(4)),
                        dimensions(rs.getString(5)),
                        rs.getBigDecimal(6),
                        rs.getTimestamp(7).toInstant()),
                args.toArray());
    }

    private Map<String, String> dimensions(String text) {
        Map<String, String> dims = new LinkedHashMap<>();
        json.readTree(text)
                .properties()
                .forEach(e -> dims.put(e.getKey(), e.getValue().asString()));
        return dims;
    }

    @Override
    public int reverseAll(String environmentId, Set<String> dataSources) {
        List<UUID> products = Columns.notNull(jdbc.queryForList(
                "select distinct product_key from reservation"
                        + " where environment_id = ? and quantity <> 0 order by product_key",
                UUID.class,
                environmentId));
        int reversed = 0;
        for (UUID product : products) {
            reversed += withProductsLocked(
                    environmentId,
                    new TreeSet<>(List.of(product)),
                    txn -> reverseProduct(environmentId, product, dataSources, txn));
        }
        return reversed;
    }

    private int reverseProduct(String env, UUID product, Set<String> dataSources, Tx txn) {
        List<Delta> deltas = new ArrayList<>();
        jdbc.query(
                "select r.reservation_id, r.measure, r.quantity, r.organization_id,"
                        + " r.product_id, r.dimensions::text, o.partition_id"
                        + " from reservation r join onhand_record o"
                        + " on o.product_key = r.product_key and o.record_key = r.record_key"
                        + " where r.product_key = ? and r.quantity <> 0",
                rs -> {
                    MeasureRef measure = MeasureRef.parse("measure", rs.getString(2));
                    if (!dataSources.isEmpty() && !dataSources.contains(measure.dataSource())) {
                        return;
                    }
                    RecordKey record = new RecordKey(
                            env,
                            rs.getString(4),
                            rs.getString(5),
                            DimensionSet.of(dimensions(rs.getString(6))));
                    deltas.add(new Delta(
                            record,
                            rs.getString(7),
                            measure,
                            rs.getBigDecimal(3).negate(),
                            rs.getString(1)));
                },
                product);
        txn.apply(deltas);
        return deltas.size();
    }
}
