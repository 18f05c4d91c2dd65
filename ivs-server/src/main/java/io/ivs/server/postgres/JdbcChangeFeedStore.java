package io.ivs.server.postgres;

import io.ivs.core.measure.MeasureRef;
import io.ivs.server.feed.ChangeFeedStore;
import io.ivs.server.feed.StoredChange;

import org.jspecify.annotations.Nullable;
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
                "select position, committed_at, environment_id, kind, organization_id,"
                        + " product_id, dimensions::text, quantities::text, schedule::text"
                        + " from change_log where environment_id = ? and position > ?"
                        + " order by position limit ?",
                (rs, n) -> row(rs),
                environmentId,
                after,
                limit);
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
                schedule);
    }

    private static MeasureRef measure(String qualified) {
        return MeasureRef.parse("measure", qualified);
    }

    @Override
    public long head() {
        return state("last_position");
    }

    @Override
    public long prunedThrough() {
        return state("pruned_through");
    }

    private long state(String column) {
        Long value = jdbc.queryForObject(
                "select " + column + " from change_feed_state where id = 1", Long.class);
        return value == null ? 0 : value;
    }

    @Override
    public int sequence(int max, boolean waitForTurn) {
        Boolean pending = jdbc.queryForObject(
                "select exists (select 1 from change_log where position is null)", Boolean.class);
        if (!Boolean.TRUE.equals(pending) && !waitForTurn) {
            return 0;
        }
        Integer done = tx.execute(status -> {
            // The row lock makes sequencers take turns; a busy one is not waited for.
            List<Long> last = jdbc.queryForList(
                    "select last_position from change_feed_state where id = 1 for update"
                            + (waitForTurn ? "" : " skip locked"),
                    Long.class);
            if (last.isEmpty()) {
                return 0;
            }
            long base = last.getFirst();
            // Only committed rows are visible here; later commits get later positions.
            int count = jdbc.update(
                    "update change_log c set position = s.position, committed_at = now()"
                            + " from (select product_key, change_id,"
                            + " ? + row_number() over (order by change_id) as position"
                            + " from change_log where position is null"
                            + " order by change_id limit ?) s"
                            + " where c.product_key = s.product_key"
                            + " and c.change_id = s.change_id",
                    base,
                    max);
            if (count > 0) {
                jdbc.update(
                        "update change_feed_state set last_position = ? where id = 1",
                        base + count);
            }
            return count;
        });
        return done == null ? 0 : done;
    }

    @Override
    public int prune(Instant cutoff, int max) {
        Integer removed = tx.execute(status -> {
            @Nullable
            Long through = jdbc.queryForObject(
                    "select max(position) from (select position from change_log"
                            + " where position is not null and committed_at < ?"
                            + " order by position limit ?) oldest",
                    Long.class,
                    Timestamp.from(cutoff),
                    max);
            if (through == null) {
                return 0;
            }
            int count = jdbc.update(
                    "delete from change_log where position is not null and position <= ?", through);
            jdbc.update(
                    "update change_feed_state set pruned_through ="
                            + " greatest(pruned_through, ?) where id = 1",
                    through);
            return count;
        });
        return removed == null ? 0 : removed;
    }
}
