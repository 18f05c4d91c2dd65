package io.ivs.server.postgres;

import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.event.ProcessedEvents.Claim;
import io.ivs.core.event.ProcessedEvents.Stored;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The table of processed event ids ({@code processed_event}), per environment and write family,
 * inside the caller's transaction. An id is claimed by inserting it, in sorted order so that
 * concurrent claimers lock index entries in one order; {@code on conflict do nothing} tells a
 * claimer which ids it owns. Answers are stored as text: a feature's answer through the codec it
 * passes in (column {@code result}), or a message per event (column {@code message}) for writes
 * whose answer is only known once they were applied.
 */
public final class ProcessedEventsSql {
    private static final String CLAIM_ONE = "insert into processed_event (environment_id, family,"
            + " event_id, fingerprint, partition_id, result) values (?, ?, ?, ?, ?, ?)"
            + " on conflict do nothing";
    private static final String CLAIM_ALL = "insert into processed_event (environment_id, family,"
            + " event_id, fingerprint, partition_id, result) select ?, ?, m.id, m.fp, m.part,"
            + " m.result from unnest(?::text[], ?::text[], ?::text[], ?::text[])"
            + " as m(id, fp, part, result) on conflict do nothing returning event_id";
    private static final String CLAIM_IDS = "insert into processed_event (environment_id, family,"
            + " event_id, fingerprint, partition_id) select ?, ?, e.id, e.fp, e.part"
            + " from unnest(?::text[], ?::text[], ?::text[]) as e(id, fp, part)"
            + " on conflict do nothing returning event_id";

    private ProcessedEventsSql() {}

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
    public record IdClaim(EventId eventId, String fingerprint, String partitionId) {}

    /** The processed events of one transaction, with answers stored through {@code codec}. */
    public static <A> ProcessedEvents<A> of(Connection con, String env, Codec<A> codec) {
        return new Answers<>(con, env, codec);
    }

    private record Answers<A>(Connection con, String env, Codec<A> codec)
            implements ProcessedEvents<A> {
        @Override
        public Map<EventId, Stored<A>> find(String family, Collection<EventId> eventIds) {
            Map<EventId, Stored<A>> found = new HashMap<>();
            try {
                stored(con, env, family, eventIds, "result")
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
                ps.setString(1, env);
                ps.setString(2, family);
                ps.setString(3, claim.eventId().value());
                ps.setString(4, claim.fingerprint());
                ps.setString(5, claim.partitionId());
                ps.setString(6, codec.write(claim.answer()));
                return ps.executeUpdate() == 1 ? Set.of(claim.eventId()) : Set.of();
            }
        }

        private Set<EventId> claimAll(String family, Collection<Claim<A>> sorted)
                throws SQLException {
            try (PreparedStatement ps = con.prepareStatement(CLAIM_ALL)) {
                ps.setString(1, env);
                ps.setString(2, family);
                ps.setArray(
                        3,
                        texts(con, sorted.stream().map(c -> c.eventId().value()).toList()));
                ps.setArray(
                        4, texts(con, sorted.stream().map(Claim::fingerprint).toList()));
                ps.setArray(
                        5, texts(con, sorted.stream().map(Claim::partitionId).toList()));
                ps.setArray(
                        6,
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
                    3, texts(con, sorted.keySet().stream().map(EventId::value).toList()));
            ps.setArray(
                    4,
                    texts(
                            con,
                            sorted.values().stream().map(IdClaim::fingerprint).toList()));
            ps.setArray(
                    5,
                    texts(
                            con,
                            sorted.values().stream().map(IdClaim::partitionId).toList()));
            return eventIds(ps);
        }
    }

    /** Fingerprint and message of ids processed by earlier requests, by event id. */
    public static Map<EventId, Stored<String>> findMessages(
            Connection con, String env, String family, Collection<EventId> ids)
            throws SQLException {
        Map<EventId, Stored<String>> found = new HashMap<>();
        stored(con, env, family, ids, "message")
                .forEach((id, row) -> found.put(id, new Stored<>(row.fingerprint(), row.answer())));
        return found;
    }

    /** Records the message of each claimed id that has one. */
    public static void recordMessages(
            Connection con, String env, String family, Map<EventId, String> messages)
            throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        String sql = "update processed_event set message = m.msg from unnest(?::text[], ?::text[])"
                + " as m(id, msg) where environment_id = ? and family = ? and event_id = m.id";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setArray(
                    1, texts(con, messages.keySet().stream().map(EventId::value).toList()));
            ps.setArray(2, texts(con, List.copyOf(messages.values())));
            ps.setString(3, env);
            ps.setString(4, family);
            ps.executeUpdate();
        }
    }

    /** A stored row: the fingerprint and the answer column as text. */
    private record StoredRow(String fingerprint, String answer) {}

    /** One look-up: by equality for one id (a request alone), by array for several. */
    private static Map<EventId, StoredRow> stored(
            Connection con, String env, String family, Collection<EventId> ids, String column)
            throws SQLException {
        Map<EventId, StoredRow> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        String sql = "select event_id, fingerprint, " + column + " from processed_event"
                + " where environment_id = ? and family = ? and event_id "
                + (ids.size() == 1 ? "= ?" : "= any(?::text[])");
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, env);
            ps.setString(2, family);
            if (ids.size() == 1) {
                ps.setString(3, ids.iterator().next().value());
            } else {
                ps.setArray(3, texts(con, ids.stream().map(EventId::value).toList()));
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
