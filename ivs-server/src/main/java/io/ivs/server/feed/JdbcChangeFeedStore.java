package io.ivs.server.feed;

import io.ivs.core.Invariants;
import io.ivs.core.measure.MeasureRef;
import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.OnHandDeltas;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * The change feed of migration V33: change rows keyed by product ({@code feed_change}), given
 * positions after commit by {@link #sequence}, read up to the published position.
 */
@Repository
public class JdbcChangeFeedStore implements ChangeFeedStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcChangeFeedStore.class);
    private static final TypeReference<TreeMap<String, String>> DIMENSIONS =
            new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, BigDecimal>> QUANTITIES =
            new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, LinkedHashMap<String, BigDecimal>>>
            SCHEDULE = new TypeReference<>() {};

    /** The session lock that makes sequencers (of every instance) take turns. */
    private static final long SEQUENCER_LOCK = 0x1F5_C4A9_6E5EL;

    /** Change rows with their positions; {@link #row} reads them. */
    private static final String CHANGES = "select position, committed_at, environment_id, kind,"
            + " organization_id, product_id, dimensions::text, quantities::text,"
            + " schedule::text, alert::text from feed_change";

    /**
     * A sequencer step's pick: the oldest committed rows without a position (by time of
     * writing), as the highest seq picked on each node. Read through the index of unsequenced
     * rows by time (V37), so a step reads what it picks, not the whole backlog.
     */
    private static final String PICK = "select seq >> 48, max(seq) from (select seq"
            + " from feed_change where position is null order by written_at, seq limit ?) p"
            + " group by 1";

    /**
     * The rows a step numbers on one node: every unsequenced row up to the highest picked seq
     * (a node's rows must get positions in seq order, which keeps each record's changes in
     * commit order even if the clock stepped back), read as a range of the index of
     * unsequenced rows by seq (V37).
     */
    private static final String NODE_ROWS = "select product_key, seq, written_at from feed_change"
            + " where position is null and seq >= ? and seq <= ? order by seq";

    /** Gives the numbered rows their positions: one row each, found by its key. */
    private static final String NUMBER = "with numbered as (select * from unnest(?::uuid[],"
            + " ?::bigint[], ?::bigint[]) as n(product_key, seq, position))"
            + " update feed_change c set position = n.position, committed_at = now()"
            + " from numbered n where c.product_key = n.product_key and c.seq = n.seq"
            + " and c.position is null";

    /** A row to number: its key, and the latest time of writing of its node's rows up to it. */
    private record Pending(UUID productKey, long seq, Timestamp at) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json = JsonMapper.builder().build();

    /** The last position whose publishing waits, said once in the log. */
    private volatile long waitingFor;

    public JdbcChangeFeedStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public List<StoredChange> read(String environmentId, long after, int limit) {
        long visible = head();
        if (visible <= after) {
            return List.of();
        }
        return jdbc.query(
                CHANGES
                        + " where environment_id = ? and position > ? and position <= ?"
                        + " order by position limit ?",
                (rs, n) -> row(rs),
                environmentId,
                after,
                visible,
                limit);
    }

    @Override
    public List<StoredChange> latest(String environmentId, int limit) {
        List<StoredChange> newestFirst = jdbc.query(
                CHANGES
                        + " where environment_id = ? and position is not null and position <= ?"
                        + " order by position desc limit ?",
                (rs, n) -> row(rs),
                environmentId,
                head(),
                limit);
        return newestFirst.reversed();
    }

    private StoredChange row(ResultSet rs) throws SQLException {
        Map<MeasureRef, BigDecimal> physical = new TreeMap<>();
        String quantities = rs.getString(8);
        if (quantities != null) {
            json.readValue(quantities, QUANTITIES)
                    .forEach((measure, value) -> physical.put(measure(measure), value));
        }
        Map<MeasureRef, Map<String, BigDecimal>> schedule = new TreeMap<>();
        String dated = rs.getString(9);
        if (dated != null) {
            json.readValue(dated, SCHEDULE)
                    .forEach((measure, byDate) -> schedule.put(measure(measure), byDate));
        }
        String alert = rs.getString(10);
        Timestamp committed = rs.getTimestamp(2);
        return new StoredChange(
                rs.getLong(1),
                committed.toInstant(),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                json.readValue(rs.getString(7), DIMENSIONS),
                physical,
                schedule,
                alert == null ? null : json.readValue(alert, Alert.class));
    }

    private static MeasureRef measure(String qualified) {
        return MeasureRef.parse("measure", qualified);
    }

    @Override
    public Backlog backlog(String environmentId, long after) {
        Backlog backlog = jdbc.queryForObject(
                "select count(*), coalesce(extract(epoch from now() - min(committed_at)), 0)"
                        + " from (select committed_at from feed_change where environment_id = ?"
                        + " and position > ? and position <= ? order by position limit ?) behind",
                (rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2)),
                environmentId,
                after,
                head(),
                BACKLOG_CHANGES_MAX);
        return backlog == null ? new Backlog(0, 0) : backlog;
    }

    @Override
    public List<FeedCursor> cursors(String consumer, int max) {
        return jdbc.query(
                "select environment_id, position from feed_cursor where consumer = ?"
                        + " order by environment_id limit ?",
                (rs, n) -> new FeedCursor(consumer, rs.getString(1), "", rs.getLong(2)),
                consumer,
                max);
    }

    @Override
    public long head() {
        return state("visible_through");
    }

    @Override
    public long prunedThrough() {
        return state("pruned_through");
    }

    @Override
    public long prunedThrough(String environmentId) {
        List<Long> pruned = Columns.notNull(jdbc.queryForList(
                "select pruned_through from change_feed_pruned where environment_id = ?",
                Long.class,
                environmentId));
        return pruned.isEmpty() ? 0 : pruned.getFirst();
    }

    private long state(String column) {
        Long value = jdbc.queryForObject(
                "select " + column + " from change_feed_state where id = 1", Long.class);
        return value == null ? 0 : value;
    }

    @Override
    public int sequence(int max, boolean waitForTurn) {
        Boolean unpublished = jdbc.queryForObject(
                "select visible_through < last_position from change_feed_state where id = 1",
                Boolean.class);
        Boolean pending = Boolean.TRUE.equals(unpublished)
                || Boolean.TRUE.equals(jdbc.queryForObject(
                        "select exists (select 1 from feed_change where position is null)",
                        Boolean.class));
        if (!pending && !waitForTurn) {
            return 0;
        }
        Integer done = jdbc.execute((ConnectionCallback<Integer>) con -> {
            if (!turn(con, waitForTurn)) {
                return 0;
            }
            try {
                return sequence(con, max);
            } finally {
                try (PreparedStatement ps = con.prepareStatement("select pg_advisory_unlock(?)")) {
                    ps.setLong(1, SEQUENCER_LOCK);
                    ps.executeQuery().close();
                }
            }
        });
        return done == null ? 0 : done;
    }

    /**
     * Takes the sequencers' session lock on the database the instances share (the coordinator
     * under Citus). It is held across the two transactions of a step, so that no step starts
     * before the previous one has published its positions.
     */
    private static boolean turn(Connection con, boolean wait) throws SQLException {
        String sql =
                wait ? "select pg_advisory_lock(?) is not null" : "select pg_try_advisory_lock(?)";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setLong(1, SEQUENCER_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Two transactions: the first gives rows their positions; the second, once the first has
     * committed everywhere (under Citus a commit reaches the workers one after another), makes
     * them visible to readers. A step that died between the two is published by the next.
     */
    private int sequence(Connection con, int max) throws SQLException {
        boolean autoCommit = con.getAutoCommit();
        con.setAutoCommit(false);
        try {
            long base;
            try (PreparedStatement ps = con.prepareStatement(
                            "select last_position from change_feed_state where id = 1 for update");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                base = rs.getLong(1);
            }
            List<Pending> rows = pending(con, max);
            long count = rows.isEmpty() ? 0 : number(con, rows, base);
            long last = base + count;
            if (count > 0) {
                try (PreparedStatement ps = con.prepareStatement(
                        "update change_feed_state set last_position = ? where id = 1")) {
                    ps.setLong(1, last);
                    ps.executeUpdate();
                }
            }
            con.commit();
            publish(con);
            con.commit();
            return (int) count;
        } catch (SQLException | RuntimeException e) {
            con.rollback();
            throw e;
        } finally {
            con.setAutoCommit(autoCommit);
        }
    }

    /**
     * The rows of one step, in the order of their positions: on each node, the rows up to its
     * highest picked seq in seq order, each at the latest time of writing of its node's rows up
     * to it; the nodes interleaved by that time.
     */
    private static List<Pending> pending(Connection con, int max) throws SQLException {
        Map<Long, Long> tops = new TreeMap<>();
        try (PreparedStatement ps = con.prepareStatement(PICK)) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tops.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        List<Pending> rows = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement(NODE_ROWS)) {
            for (Map.Entry<Long, Long> node : tops.entrySet()) {
                ps.setLong(1, node.getKey() << 48);
                ps.setLong(2, node.getValue());
                try (ResultSet rs = ps.executeQuery()) {
                    Timestamp latest = null;
                    while (rs.next()) {
                        Timestamp written = rs.getTimestamp(3);
                        latest = latest == null || written.after(latest) ? written : latest;
                        rows.add(new Pending(rs.getObject(1, UUID.class), rs.getLong(2), latest));
                    }
                }
            }
        }
        rows.sort(Comparator.comparing(Pending::at).thenComparingLong(Pending::seq));
        return rows;
    }

    /** Numbers {@code rows} after {@code base}; answers how many got their positions. */
    private static long number(Connection con, List<Pending> rows, long base) throws SQLException {
        List<Long> positions =
                LongStream.rangeClosed(base + 1, base + rows.size()).boxed().toList();
        try (PreparedStatement ps = con.prepareStatement(NUMBER)) {
            ps.setArray(1, OnHandDeltas.array(con, "uuid", rows, Pending::productKey));
            ps.setArray(2, OnHandDeltas.array(con, "bigint", rows, Pending::seq));
            ps.setArray(3, OnHandDeltas.array(con, "bigint", positions, p -> p));
            int updated = ps.executeUpdate();
            Invariants.check(
                    updated == rows.size(), "numbered %s of %s change rows", updated, rows.size());
            return updated;
        }
    }

    /**
     * Publishes the positions handed out, once every row they number is visible here. Positions
     * are dense, so that is a count. Under Citus a sequencing commit reaches the workers one
     * after the other; a worker that failed between the two phases of that commit has its rows
     * committed later by Citus's recovery, and until then the count falls short: the positions
     * stay unpublished (readers see nothing past them, so no cursor moves past those rows), and
     * a later round publishes them once recovery has committed them.
     */
    private void publish(Connection con) throws SQLException {
        long visible;
        long last;
        try (PreparedStatement ps = con.prepareStatement("select visible_through, last_position"
                        + " from change_feed_state where id = 1 for update");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            visible = rs.getLong(1);
            last = rs.getLong(2);
        }
        if (visible >= last) {
            return;
        }
        long seen;
        try (PreparedStatement ps = con.prepareStatement(
                "select count(*) from feed_change where position > ? and position <= ?")) {
            ps.setLong(1, visible);
            ps.setLong(2, last);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seen = rs.getLong(1);
            }
        }
        if (seen < last - visible) {
            if (last == waitingFor) {
                return;
            }
            waitingFor = last;
            log.warn(
                    "change feed: {} of the positions {} to {} are not visible yet (a worker's"
                            + " commit still to be recovered?); publishing waits",
                    last - visible - seen,
                    visible + 1,
                    last);
            return;
        }
        try (PreparedStatement ps = con.prepareStatement(
                "update change_feed_state set visible_through = ? where id = 1")) {
            ps.setLong(1, last);
            ps.executeUpdate();
        }
    }

    @Override
    public int prune(Instant cutoff, int max) {
        Integer removed = tx.execute(status -> {
            Long through = jdbc.queryForObject(
                    "select max(position) from (select position from feed_change"
                            + " where position is not null and position <= ? and committed_at < ?"
                            + " order by position limit ?) old",
                    Long.class,
                    head(),
                    Timestamp.from(cutoff),
                    max);
            if (through == null) {
                return 0;
            }
            List<Object[]> marks = new ArrayList<>();
            long[] total = {0};
            jdbc.query(
                    "with gone as (delete from feed_change where position is not null"
                            + " and position <= ? returning environment_id, position)"
                            + " select environment_id, max(position), count(*) from gone"
                            + " group by environment_id",
                    rs -> {
                        marks.add(new Object[] {rs.getString(1), rs.getLong(2)});
                        total[0] += rs.getLong(3);
                    },
                    through);
            jdbc.batchUpdate(
                    "insert into change_feed_pruned values (?, ?) on conflict (environment_id)"
                            + " do update set pruned_through = greatest("
                            + "change_feed_pruned.pruned_through, excluded.pruned_through)",
                    marks);
            jdbc.update(
                    "update change_feed_state set pruned_through ="
                            + " greatest(pruned_through, ?) where id = 1",
                    through);
            return (int) total[0];
        });
        return removed == null ? 0 : removed;
    }
}
