package io.ivs.server.allocation;

import io.ivs.core.Invariants;
import io.ivs.core.allocation.AllocationResult;
import io.ivs.core.allocation.AllocationStore;
import io.ivs.core.allocation.Bucket;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore;
import io.ivs.server.inventorylog.ClaimedEvents;
import io.ivs.server.postgres.OnHandDeltas;
import io.ivs.server.postgres.ProcessedEventsSql;
import io.ivs.server.postgres.ProductLocks;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Allocation buckets in PostgreSQL. Writes run under the same per-product locks as reservations
 * ({@link ProductLocks}) and move the {@code @iv} measures through the same on-hand write path
 * ({@link OnHandDeltas}), so a bucket and the measures of its record move in one transaction.
 */
@Repository
public class JdbcAllocationStore implements AllocationStore {
    private final JdbcTemplate jdbc;
    private final ProductLocks locks;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ProcessedEventsSql.Codec<AllocationResult> answers =
            ProcessedEventsSql.Codec.of(this::writeResult, this::readResult);

    public JdbcAllocationStore(JdbcTemplate jdbc, ProductLocks locks) {
        this.jdbc = jdbc;
        this.locks = locks;
    }

    @Override
    public <T> T withProductsLocked(
            EnvironmentId environment, SortedSet<UUID> productKeys, Function<Tx, T> work) {
        String environmentId = environment.value();
        return locks.locked(
                productKeys, con -> work.apply(new Locked(con, environmentId, productKeys)));
    }

    /** The group path as one key: JSON array text of the values, level by level. */
    private String pathKey(List<String> path) {
        ArrayNode array = json.createArrayNode();
        path.forEach(array::add);
        return json.writeValueAsString(array);
    }

    private String writeResult(AllocationResult result) {
        if (!(result instanceof AllocationResult.Done done)) {
            // The core records answers of applied events only; a rejection is answered anew.
            throw Invariants.violated("rejections are not recorded: %s", result);
        }
        ObjectNode node = json.createObjectNode()
                .put("type", "allocation")
                .put("eventId", done.eventId())
                .put("reservationId", done.reservationId());
        return json.writeValueAsString(node);
    }

    private AllocationResult readResult(String text) {
        JsonNode node = json.readTree(text);
        JsonNode reservation = node.get("reservationId");
        return new AllocationResult.Done(
                node.get("eventId").asString(),
                reservation == null || reservation.isNull() ? null : reservation.asString());
    }

    private final class Locked implements Tx {
        private final Connection con;
        private final String env;
        private final ClaimedEvents<AllocationResult> events;

        Locked(Connection con, String env, SortedSet<UUID> products) {
            this.con = con;
            this.env = env;
            this.events = new ClaimedEvents<>(
                    ProcessedEventsSql.of(con, env, products, answers),
                    result -> result instanceof AllocationResult.Done done
                            ? done.reservationId()
                            : null);
        }

        @Override
        public ProcessedEvents<AllocationResult> events() {
            return events;
        }

        @Override
        public Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures) {
            return OnHandDeltas.sum(con, level, measures);
        }

        @Override
        public Optional<Bucket> bucket(RecordKey record, List<String> path) {
            List<Bucket> found = select(con, record, path, true);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }

        @Override
        public void apply(List<ReservationStore.Delta> deltas, List<BucketDelta> buckets) {
            OnHandDeltas.apply(con, env, deltas);
            try {
                events.logDeltas(con, env, deltas);
                applyBuckets(con, env, buckets);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sums deltas per bucket and upserts them in key order, as every writer locks rows. */
    private void applyBuckets(Connection con, String env, List<BucketDelta> deltas)
            throws SQLException {
        TreeMap<String, BucketDelta> byKey = new TreeMap<>();
        for (BucketDelta delta : deltas) {
            String key = delta.record().productKey() + "\u0000"
                    + delta.record().dimensions().key() + '\u0000' + pathKey(delta.path());
            byKey.merge(
                    key,
                    delta,
                    (a, b) -> new BucketDelta(
                            a.record(),
                            a.path(),
                            a.allocated().add(b.allocated()),
                            a.consumed().add(b.consumed()),
                            a.cumulativeAllocated().add(b.cumulativeAllocated()),
                            a.cumulativeConsumed().add(b.cumulativeConsumed())));
        }
        String sql = "insert into allocation_bucket (product_key, record_key, group_path,"
                + " environment_id, organization_id, product_id, dimensions, groups, allocated,"
                + " consumed, cumulative_allocated, cumulative_consumed)"
                + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)"
                + " on conflict (product_key, record_key, group_path) do update set"
                + " allocated = allocation_bucket.allocated + excluded.allocated,"
                + " consumed = allocation_bucket.consumed + excluded.consumed,"
                + " cumulative_allocated = allocation_bucket.cumulative_allocated"
                + " + excluded.cumulative_allocated,"
                + " cumulative_consumed = allocation_bucket.cumulative_consumed"
                + " + excluded.cumulative_consumed, updated_at = excluded.updated_at";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            for (BucketDelta delta : byKey.values()) {
                RecordKey record = delta.record();
                ps.setObject(1, record.productKey());
                ps.setString(2, record.dimensions().key());
                ps.setString(3, pathKey(delta.path()));
                ps.setString(4, env);
                ps.setString(5, record.organizationId());
                ps.setString(6, record.productId());
                ps.setString(7, json.writeValueAsString(record.dimensions().values()));
                ps.setString(8, pathKey(delta.path()));
                ps.setBigDecimal(9, delta.allocated());
                ps.setBigDecimal(10, delta.consumed());
                ps.setBigDecimal(11, delta.cumulativeAllocated());
                ps.setBigDecimal(12, delta.cumulativeConsumed());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<Bucket> query(RecordKey record, List<String> prefix) {
        return jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<List<Bucket>>)
                con -> select(con, record, prefix, false));
    }

    @Override
    public boolean hasBuckets(EnvironmentId environment) {
        String environmentId = environment.value();
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from allocation_bucket where environment_id = ?"
                        + " and allocated <> 0)",
                Boolean.class,
                environmentId));
    }

    /** Buckets at the record's exact dimensions: the one path, or every path under a prefix. */
    private List<Bucket> select(
            Connection con, RecordKey record, List<String> path, boolean exact) {
        String sql = "select groups::text, allocated, consumed, cumulative_allocated,"
                + " cumulative_consumed from allocation_bucket where product_key = ?"
                + " and record_key = ? and "
                + (exact ? "group_path = ?" : "groups @> ?::jsonb")
                + " order by group_path";
        List<Bucket> buckets = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setObject(1, record.productKey());
            ps.setString(2, record.dimensions().key());
            ps.setString(3, pathKey(path));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> groups = new ArrayList<>();
                    json.readTree(rs.getString(1)).values().forEach(v -> groups.add(v.asString()));
                    if (!exact && !startsWith(groups, path)) {
                        continue;
                    }
                    buckets.add(new Bucket(
                            record.organizationId(),
                            record.productId(),
                            new LinkedHashMap<>(record.dimensions().values()),
                            groups,
                            rs.getBigDecimal(2),
                            rs.getBigDecimal(3),
                            rs.getBigDecimal(4),
                            rs.getBigDecimal(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return buckets;
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }
}
