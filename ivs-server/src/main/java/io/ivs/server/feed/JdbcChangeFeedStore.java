package io.ivs.server.feed;

import io.ivs.core.measure.MeasureRef;
import io.ivs.server.postgres.Columns;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The change log of migration V6. */
@Repository
public class JdbcChangeFeedStore implements ChangeFeedStore {
    private static final TypeReference<TreeMap<String, String>> DIMENSIONS =
            new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, BigDecimal>> QUANTITIES =
            new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, LinkedHashMap<String, BigDecimal>>>
            SCHEDULE = new TypeReference<>() {};

    /** Change rows with their positions; {@link #row} reads them. */
    private static final String CHANGES = "select t.first_position + c.ordinal, t.committed_at,"
            + " c.environment_id, c.kind, c.organization_id, c.product_id, c.dimensions::text,"
            + " c.quantities::text, c.schedule::text, c.alert::text from change_tx t"
            + " join change_log c"
            + " on c.environment_id = t.environment_id and c.xid = t.xid";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json = JsonMapper.builder().build();

    public JdbcChangeFeedStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public List<StoredChange> read(String environmentId, long after, int limit) {
        return jdbc.query(
                CHANGES
                        + " where t.environment_id = ? and t.last_position > ?"
                        + " and t.first_position + c.ordinal > ?"
                        + " order by t.last_position, c.ordinal limit ?",
                (rs, n) -> row(rs),
                environmentId,
                after,
                after,
                limit);
    }

    @Override
    public List<StoredChange> latest(String environmentId, int limit) {
        List<StoredChange> newestFirst = jdbc.query(
                CHANGES
                        + " where t.environment_id = ? and t.last_position is not null"
                        + " order by t.last_position desc, c.ordinal desc limit ?",
                (rs, n) -> row(rs),
                environmentId,
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
        // A transaction holds positions first_position .. last_position; the cursor may fall
        // inside one, whose changes after the cursor are then the rest of its range.
        Backlog backlog = jdbc.queryForObject(
                "select coalesce(sum(last_position - greatest(first_position, ? + 1) + 1), 0),"
                        + " coalesce(extract(epoch from now() - min(committed_at)), 0)"
                        + " from (select first_position, last_position, committed_at"
                        + " from change_tx where environment_id = ? and last_position > ?"
                        + " order by last_position limit ?) behind",
                (rs, n) -> new Backlog(rs.getLong(1), rs.getDouble(2)),
                after,
                environmentId,
                after,
                BACKLOG_TRANSACTIONS_MAX);
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
        return state("last_position");
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
        Boolean pending = jdbc.queryForObject(
                "select exists (select 1 from change_tx where first_position is null)",
                Boolean.class);
        if (!Boolean.TRUE.equals(pending) && !waitForTurn) {
            return 0;
        }
        Integer done = tx.execute(status -> {
            // The row lock makes sequencers take turns; a busy one is not waited for.
            List<Long> last = Columns.notNull(jdbc.queryForList(
                    "select last_position from change_feed_state where id = 1 for update"
                            + (waitForTurn ? "" : " skip locked"),
                    Long.class));
            if (last.isEmpty()) {
                return 0;
            }
            long base = last.getFirst();
            // Only committed transactions are visible here; later commits get later positions.
            long[] counts = jdbc.queryForObject(
                    "with pending as (select environment_id, xid, rows, last_seq from change_tx"
                            + " where first_position is null order by last_seq limit ?),"
                            + " numbered as (select environment_id, xid, rows, ? + sum(rows)"
                            + " over (order by last_seq rows unbounded preceding) as last"
                            + " from pending),"
                            + " done as (update change_tx t set first_position = n.last - n.rows"
                            + " + 1, last_position = n.last, committed_at = now() from numbered n"
                            + " where t.environment_id = n.environment_id and t.xid = n.xid"
                            + " returning t.rows)"
                            + " select count(*), coalesce(sum(rows), 0) from done",
                    (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)},
                    max,
                    base);
            if (counts[1] > 0) {
                jdbc.update(
                        "update change_feed_state set last_position = ? where id = 1",
                        base + counts[1]);
            }
            return (int) counts[0];
        });
        return done == null ? 0 : done;
    }

    @Override
    public int prune(Instant cutoff, int max) {
        Integer removed = tx.execute(status -> {
            long[] pruned = jdbc.queryForObject(
                    "with old as (select environment_id, xid, last_position from change_tx"
                            + " where last_position is not null and committed_at < ?"
                            + " order by last_position limit ?),"
                            + " rows as (delete from change_log c using old"
                            + " where c.environment_id = old.environment_id and c.xid = old.xid),"
                            + " txs as (delete from change_tx t using old"
                            + " where t.environment_id = old.environment_id and t.xid = old.xid"
                            + " returning t.environment_id, t.last_position),"
                            + " marks as (insert into change_feed_pruned"
                            + " select environment_id, max(last_position) from txs"
                            + " group by environment_id on conflict (environment_id) do update"
                            + " set pruned_through = greatest(change_feed_pruned.pruned_through,"
                            + " excluded.pruned_through))"
                            + " select count(*), coalesce(max(last_position), 0) from txs",
                    (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)},
                    Timestamp.from(cutoff),
                    max);
            if (pruned[0] > 0) {
                jdbc.update(
                        "update change_feed_state set pruned_through ="
                                + " greatest(pruned_through, ?) where id = 1",
                        pruned[1]);
            }
            return (int) pruned[0];
        });
        return removed == null ? 0 : removed;
    }
}
