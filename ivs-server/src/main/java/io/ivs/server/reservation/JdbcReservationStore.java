package io.ivs.server.reservation;

import io.ivs.core.Invariants;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReservationStore;
import io.ivs.server.inventorylog.ClaimedEvents;
import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.OnHandDeltas;
import io.ivs.server.postgres.ProcessedEventsSql;
import io.ivs.server.postgres.ProductLocks;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Soft reservations in PostgreSQL: the reservation ledgers and the operators' view of them. Work
 * on products runs under {@link ProductLocks}, stock moves through {@link OnHandDeltas}, and
 * answers to event ids are kept by {@link ProcessedEventsSql}.
 */
@Repository
public class JdbcReservationStore implements ReservationStore {
    private final JdbcTemplate jdbc;
    private final ProductLocks locks;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ProcessedEventsSql.Codec<ReservationResult> answers =
            ProcessedEventsSql.Codec.of(this::writeResult, this::readResult);

    public JdbcReservationStore(JdbcTemplate jdbc, ProductLocks locks) {
        this.jdbc = jdbc;
        this.locks = locks;
    }

    @Override
    public <T> T withProductsLocked(
            EnvironmentId environment, SortedSet<UUID> productKeys, Function<Tx, T> work) {
        String environmentId = environment.value();
        return locks.locked(
                productKeys, con -> work.apply(new JdbcTx(con, environmentId, productKeys)));
    }

    private final class JdbcTx implements Tx {
        private final Connection con;
        private final String env;
        private final ClaimedEvents<ReservationResult> events;

        JdbcTx(Connection con, String env, SortedSet<UUID> products) {
            this.con = con;
            this.env = env;
            this.events = new ClaimedEvents<>(
                    ProcessedEventsSql.of(con, env, products, answers),
                    JdbcReservationStore::reservationOf);
        }

        @Override
        public ProcessedEvents<ReservationResult> events() {
            return events;
        }

        @Override
        public Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures) {
            return OnHandDeltas.sum(con, level, measures);
        }

        @Override
        public Optional<Ledger> ledger(UUID productKey, String reservationId) {
            String sql = "select measure, record_key, quantity, expires_at from reservation"
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
                            rs.getBigDecimal(3),
                            instant(rs.getTimestamp(4))));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Ledgers not at zero, with the partition of their record (a ledger always has one). */
        @Override
        public List<HeldLedger> heldLedgers(UUID productKey) {
            String sql = "select r.reservation_id, r.measure, r.quantity, r.organization_id,"
                    + " r.product_id, r.dimensions::text, o.partition_id"
                    + " from reservation r join onhand_record o"
                    + " on o.product_key = r.product_key and o.record_key = r.record_key"
                    + " where r.product_key = ? and r.quantity <> 0";
            List<HeldLedger> held = new ArrayList<>();
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setObject(1, productKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RecordKey record = new RecordKey(
                                EnvironmentId.of(env),
                                rs.getString(4),
                                rs.getString(5),
                                DimensionSet.of(dimensions(rs.getString(6))));
                        held.add(new HeldLedger(
                                rs.getString(1),
                                MeasureRef.parse("measure", rs.getString(2)),
                                record,
                                rs.getString(7),
                                rs.getBigDecimal(3)));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return held;
        }

        @Override
        public void apply(List<Delta> deltas) {
            OnHandDeltas.apply(con, env, deltas);
            try {
                events.logDeltas(con, env, deltas);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public List<LapsedHold> lapsedHolds(SortedSet<UUID> productKeys, Instant now) {
            String sql = "select r.reservation_id, r.measure, r.quantity, r.organization_id,"
                    + " r.product_id, r.dimensions::text, o.partition_id, r.expires_at"
                    + " from reservation r join onhand_record o"
                    + " on o.product_key = r.product_key and o.record_key = r.record_key"
                    + " where r.product_key = any(?::uuid[]) and r.expires_at <= ?"
                    + " order by r.product_key, r.reservation_id";
            List<LapsedHold> lapsed = new ArrayList<>();
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setArray(1, con.createArrayOf("uuid", productKeys.toArray()));
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lapsed.add(new LapsedHold(
                                heldLedger(rs), rs.getTimestamp(8).toInstant()));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return lapsed;
        }

        @Override
        public void expire(List<Expiry> expiries) {
            if (expiries.isEmpty()) {
                return;
            }
            List<Expiry> rows = new ArrayList<>(expiries);
            rows.sort(
                    Comparator.comparing(Expiry::productKey).thenComparing(Expiry::reservationId));
            // Instants travel as ISO-8601 text, which PostgreSQL reads as timestamptz; the array
            // is cast as a whole, since Citus refuses a cast (a stable function) of a column in
            // an update.
            String sql = "update reservation r set expires_at = e.at from unnest("
                    + " ?::uuid[], ?::text[], ?::timestamptz[]) as e(pk, reservation, at)"
                    + " where r.product_key = e.pk and r.reservation_id = e.reservation";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setArray(1, OnHandDeltas.array(con, "uuid", rows, Expiry::productKey));
                ps.setArray(2, OnHandDeltas.array(con, "text", rows, Expiry::reservationId));
                // Null clears an expiry: a plain array, as the shared helper takes no nulls.
                @Nullable Object[] instants = new Object[rows.size()];
                for (int i = 0; i < instants.length; i++) {
                    instants[i] = text(rows.get(i).expiresAt());
                }
                ps.setArray(3, con.createArrayOf("text", instants));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void released(List<LapsedHold> releases) {
            String sql = "insert into hold_release (environment_id, product_key, record_key,"
                    + " reservation_id, expires_at, released) select ?, r.pk, r.rk, r.id,"
                    + " r.at::timestamptz, r.qty from unnest(?::uuid[], ?::text[], ?::text[],"
                    + " ?::text[], ?::numeric[]) as r(pk, rk, id, at, qty)";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setString(1, env);
                ps.setArray(
                        2,
                        OnHandDeltas.array(
                                con, "uuid", releases, h -> h.ledger().record().productKey()));
                ps.setArray(
                        3,
                        OnHandDeltas.array(
                                con,
                                "text",
                                releases,
                                h -> h.ledger().record().dimensions().key()));
                ps.setArray(
                        4,
                        OnHandDeltas.array(
                                con, "text", releases, h -> h.ledger().reservationId()));
                ps.setArray(
                        5,
                        OnHandDeltas.array(
                                con, "text", releases, h -> h.expiresAt().toString()));
                ps.setArray(
                        6,
                        OnHandDeltas.array(
                                con, "numeric", releases, h -> h.ledger().quantity()));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private HeldLedger heldLedger(ResultSet rs) throws SQLException {
            RecordKey record = new RecordKey(
                    EnvironmentId.of(env),
                    rs.getString(4),
                    rs.getString(5),
                    DimensionSet.of(dimensions(rs.getString(6))));
            return new HeldLedger(
                    rs.getString(1),
                    MeasureRef.parse("measure", rs.getString(2)),
                    record,
                    rs.getString(7),
                    rs.getBigDecimal(3));
        }
    }

    private static @Nullable String reservationOf(ReservationResult result) {
        return switch (result) {
            case ReservationResult.Reserved r -> r.reservationId();
            case ReservationResult.Unreserved u -> u.reservationId();
            case ReservationResult.Rejected r -> r.reservationId();
        };
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public List<DueHold> dueHolds(Instant now, int limit) {
        return jdbc.query(
                "select environment_id, product_key, reservation_id, expires_at from reservation"
                        + " where expires_at <= ? order by expires_at limit ?",
                (rs, n) -> new DueHold(
                        EnvironmentId.of(rs.getString(1)),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant()),
                Timestamp.from(now),
                limit);
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
            EnvironmentId environment,
            Optional<String> organizationId,
            Optional<String> productId,
            Optional<String> reservationId,
            int limit) {
        String environmentId = environment.value();
        StringBuilder sql = new StringBuilder("select reservation_id, organization_id, product_id,"
                + " measure, dimensions::text, quantity, updated_at, expires_at from reservation"
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
                        rs.getTimestamp(7).toInstant(),
                        instant(rs.getTimestamp(8))),
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
    public List<UUID> productsHoldingReservations(EnvironmentId environment) {
        String environmentId = environment.value();
        return Columns.notNull(jdbc.queryForList(
                "select distinct product_key from reservation"
                        + " where environment_id = ? and quantity <> 0 order by product_key",
                UUID.class,
                environmentId));
    }
}
