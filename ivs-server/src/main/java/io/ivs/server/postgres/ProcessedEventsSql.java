package io.ivs.server.postgres;

import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.event.ProcessedEvents.Claim;
import io.ivs.core.event.ProcessedEvents.Stored;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The table of processed event ids ({@code processed_event}), per product, environment and write
 * family, inside the caller's transaction. An id is kept with the product its event names
 * (migration V34), so that under Citus it lives on the product's shard and a write stays on one
 * node: a retry carries the same body, so the same product, and finds its id there. An id is
 * claimed by inserting it, in sorted order so that concurrent claimers lock index entries in one
 * order; {@code on conflict do nothing} tells a claimer which ids it owns. Answers are stored as
 * text: a feature's answer through the codec it passes in (column {@code result}), or a message
 * per event (column {@code message}) for writes whose answer is only known once they were
 * applied.
 */
public final class ProcessedEventsSql {
    private static final String CLAIM_ONE = "insert into processed_event (product_key,"
            + " environment_id, family, event_id, fingerprint, partition_id, result)"
            + " values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    private static final String CLAIM_ALL = "insert into processed_event (product_key,"
            + " environment_id, family, event_id, fingerprint, partition_id, result)"
            + " select m.pk, ?, ?, m.id, m.fp, m.part, m.result from unnest(?::uuid[],"
            + " ?::text[], ?::text[], ?::text[], ?::text[]) as m(pk, id, fp, part, result)"
            + " on conflict do nothing returning event_id";
    private static final String CLAIM_IDS = "insert into processed_event (product_key,"
            + " environment_id, family, event_id, fingerprint, partition_id)"
            + " select e.pk, ?, ?, e.id, e.fp, e.part from unnest(?::uuid[], ?::text[],"
            + " ?::text[], ?::text[]) as e(pk, id, fp, part) on conflict do nothing"
            + " returning event_id";

    /**
     * The product key of the ids recorded before ids were kept by product (migration V34):
     * look-ups search it too while such rows exist, until retention has removed them.
     */
    public static final UUID LEGACY_PRODUCT = new UUID(0, 0);

    /** Whether rows under {@link #LEGACY_PRODUCT} may exist; checked by the retention job. */
    private static volatile boolean legacyRows = true;

    private ProcessedEventsSql() {}

    /** Records whether ids from before migration V34 are left (ProcessedEventRetention). */
    static void legacyRows(boolean exist) {
        legacyRows = exist;
    }

    /** How a feature's answers are stored as text and read back. */
    public interface Codec<A> {
        String write(A answer);

        A read(String text);

        static <A> Codec<A> of(Function<A, String> write, Function<String, A> read) {
            return new Codec<>() {
                @Override
                public String write(A answer) {
                    return write.apply(answer);
                }

                @Override
                public A read(String text) {
                    return read.apply(text);
                }
            };
        }
    }

    /** An id to claim before its answer is known. */
    public record IdClaim(
            EventId eventId, UUID productKey, String fingerprint, String partitionId) {}

    /**
     * The processed events of one transaction on {@code products}, with answers stored through
     * {@code codec}.
     */
    public static <A> ProcessedEvents<A> of(
            Connection con, String env, Collection<UUID> products, Codec<A> codec) {
        return new Answers<>(con, env, List.copyOf(new TreeSet<>(products)), codec);
    }

    private record Answers<A>(Connection con, String env, List<UUID> products, Codec<A> codec)
            implements ProcessedEvents<A> {
        @Override
        public Map<EventId, Stored<A>> find(String family, Collection<EventId> eventIds) {
            Map<EventId, Stored<A>> found = new HashMap<>();
            try {
                stored(con, env, family, eventIds, products, "result")
                        .forEach((id, row) -> found.put(
                                id, new Stored<>(row.fingerprint(), codec.read(row.answer()))));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return found;
        }

        @Override
        public Set<EventId> claim(String family, List<Claim<A>> claims) {
            TreeMap<EventId, Claim<A>> sorted = new TreeMap<>();
            claims.forEach(claim -> sorted.putIfAbsent(claim.eventId(), claim));
            try {
                return switch (sorted.size()) {
                    case 0 -> Set.of();
                    case 1 -> claimOne(family, sorted.firstEntry().getValue());
                    default -> claimAll(family, sorted.values());
                };
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The path of a request alone: one row, one round trip. */
        private Set<EventId> claimOne(String family, Claim<A> claim) throws SQLException {
            try (PreparedStatement ps = con.prepareStatement(CLAIM_ONE)) {
                ps.setObject(1, claim.productKey());
                ps.setString(2, env);
                ps.setString(3, family);
                ps.setString(4, claim.eventId().value());
                ps.setString(5, claim.fingerprint());
                ps.setString(6, claim.partitionId());
                ps.setString(7, codec.write(claim.answer()));
                return ps.executeUpdate() == 1 ? Set.of(claim.eventId()) : Set.of();
            }
        }

        private Set<EventId> claimAll(String family, Collection<Claim<A>> sorted)
                throws SQLException {
            try (PreparedStatement ps = con.prepareStatement(CLAIM_ALL)) {
                ps.setString(1, env);
                ps.setString(2, family);
                ps.setArray(3, uuids(con, sorted.stream().map(Claim::productKey).toList()));
                ps.setArray(
                        4,
                        texts(con, sorted.stream().map(c -> c.eventId().value()).toList()));
                ps.setArray(
                        5, texts(con, sorted.stream().map(Claim::fingerprint).toList()));
                ps.setArray(
                        6, texts(con, sorted.stream().map(Claim::partitionId).toList()));
                ps.setArray(
                        7,
                        texts(
                                con,
                                sorted.stream()
                                        .map(c -> codec.write(c.answer()))
                                        .toList()));
                return eventIds(ps);
            }
        }
    }

    /**
     * Claims the ids (sorted here) without an answer yet; answers the ids this call recorded.
     */
    public static Set<EventId> claimIds(
            Connection con, String env, String family, Collection<IdClaim> claims)
            throws SQLException {
        TreeMap<EventId, IdClaim> sorted = new TreeMap<>();
        claims.forEach(claim -> sorted.putIfAbsent(claim.eventId(), claim));
        try (PreparedStatement ps = con.prepareStatement(CLAIM_IDS)) {
            ps.setString(1, env);
            ps.setString(2, family);
            ps.setArray(
                    3,
                    uuids(con, sorted.values().stream().map(IdClaim::productKey).toList()));
            ps.setArray(
                    4, texts(con, sorted.keySet().stream().map(EventId::value).toList()));
            ps.setArray(
                    5,
                    texts(
                            con,
                            sorted.values().stream().map(IdClaim::fingerprint).toList()));
            ps.setArray(
                    6,
                    texts(
                            con,
                            sorted.values().stream().map(IdClaim::partitionId).toList()));
            return eventIds(ps);
        }
    }

    /**
     * Fingerprint and message of ids processed by earlier requests under {@code products}, by
     * event id.
     */
    public static Map<EventId, Stored<String>> findMessages(
            Connection con,
            String env,
            String family,
            Collection<EventId> ids,
            Collection<UUID> products)
            throws SQLException {
        Map<EventId, Stored<String>> found = new HashMap<>();
        stored(con, env, family, ids, List.copyOf(new TreeSet<>(products)), "message")
                .forEach((id, row) -> found.put(id, new Stored<>(row.fingerprint(), row.answer())));
        return found;
    }

    /**
     * Records the message of each claimed id that has one; {@code productOf} names the product
     * each id was claimed under. The products also go as one array, which lets Citus send the
     * update to their shards alone.
     */
    public static void recordMessages(
            Connection con,
            String env,
            String family,
            Map<EventId, String> messages,
            Function<EventId, UUID> productOf)
            throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        List<Map.Entry<EventId, String>> rows = List.copyOf(messages.entrySet());
        List<UUID> keys =
                rows.stream().map(row -> productOf.apply(row.getKey())).toList();
        String sql = "update processed_event set message = m.msg"
                + " from unnest(?::uuid[], ?::text[], ?::text[]) as m(pk, id, msg)"
                + " where product_key = any(?::uuid[]) and product_key = m.pk"
                + " and environment_id = ? and family = ? and event_id = m.id";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setArray(1, uuids(con, keys));
            ps.setArray(
                    2, texts(con, rows.stream().map(row -> row.getKey().value()).toList()));
            ps.setArray(3, texts(con, rows.stream().map(Map.Entry::getValue).toList()));
            ps.setArray(4, uuids(con, List.copyOf(new TreeSet<>(keys))));
            ps.setString(5, env);
            ps.setString(6, family);
            ps.executeUpdate();
        }
    }

    /** A stored row: the fingerprint and the answer column as text. */
    private record StoredRow(String fingerprint, String answer) {}

    /**
     * One look-up: by equality for one id and one product (a request alone), by array
     * otherwise. The products go as one array parameter, so that Citus routes the look-up to
     * their shards alone.
     */
    private static Map<EventId, StoredRow> stored(
            Connection con,
            String env,
            String family,
            Collection<EventId> ids,
            List<UUID> products,
            String column)
            throws SQLException {
        Map<EventId, StoredRow> found = new HashMap<>();
        if (ids.isEmpty() || products.isEmpty()) {
            return found;
        }
        List<UUID> keys = new ArrayList<>(products);
        if (legacyRows) {
            keys.add(LEGACY_PRODUCT);
        }
        String sql = "select event_id, fingerprint, " + column + " from processed_event"
                + " where product_key " + (keys.size() == 1 ? "= ?" : "= any(?::uuid[])")
                + " and environment_id = ? and family = ? and event_id "
                + (ids.size() == 1 ? "= ?" : "= any(?::text[])");
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            if (keys.size() == 1) {
                ps.setObject(1, keys.getFirst());
            } else {
                ps.setArray(1, uuids(con, keys));
            }
            ps.setString(2, env);
            ps.setString(3, family);
            if (ids.size() == 1) {
                ps.setString(4, ids.iterator().next().value());
            } else {
                ps.setArray(4, texts(con, ids.stream().map(EventId::value).toList()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(
                            EventId.of(rs.getString(1)),
                            new StoredRow(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return found;
    }

    private static java.sql.Array texts(Connection con, List<String> values) throws SQLException {
        return con.createArrayOf("text", values.toArray());
    }

    private static java.sql.Array uuids(Connection con, List<UUID> values) throws SQLException {
        return con.createArrayOf("uuid", values.toArray());
    }

    private static Set<EventId> eventIds(PreparedStatement ps) throws SQLException {
        Set<EventId> ids = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(EventId.of(rs.getString(1)));
            }
        }
        return ids;
    }
}
