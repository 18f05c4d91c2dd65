package io.ivs.server.postgres;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;

/**
 * Deletes the rows of one table whose time column is older than an age, in batches of a bounded
 * number of rows until a batch finds fewer (none remain) or a run has done its bounded number of
 * batches (the rest waits for the next run). Short batches never hold long locks, so the
 * retention jobs that use it are safe to run on every instance at once: two instances at worst
 * look for the same rows, and the second finds them gone.
 */
public final class AgedRowDeleter {
    /** Rows one statement deletes at most. */
    public static final int BATCH_ROWS = 10_000;

    /** Statements one run makes at most, so that a run over a large backlog still ends. */
    public static final int BATCHES_PER_RUN_MAX = 100;

    /** Table and column names come from code, never from input; this keeps it that way. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final JdbcTemplate jdbc;
    private final String sql;
    private final int batchRows;
    private final int batchesMax;

    /**
     * Deletes from {@code table} by {@code timeColumn}, 10,000 rows a batch and 100 batches a
     * run, picking rows by {@code keyColumns} (the primary key, distribution column first).
     */
    public AgedRowDeleter(
            JdbcTemplate jdbc, String table, String timeColumn, List<String> keyColumns) {
        this(jdbc, table, timeColumn, keyColumns, BATCH_ROWS, BATCHES_PER_RUN_MAX);
    }

    public AgedRowDeleter(
            JdbcTemplate jdbc,
            String table,
            String timeColumn,
            List<String> keyColumns,
            int batchRows,
            int batchesMax) {
        if (batchRows < 1 || batchesMax < 1 || keyColumns.isEmpty()) {
            throw new IllegalArgumentException("a key column, and positive batchRows and"
                    + " batchesMax are needed: " + keyColumns + ", " + batchRows + ", "
                    + batchesMax);
        }
        this.jdbc = jdbc;
        this.batchRows = batchRows;
        this.batchesMax = batchesMax;
        // By key, not by ctid: under Citus a ctid is only unique within one shard.
        String keys =
                String.join(", ", keyColumns.stream().map(AgedRowDeleter::name).toList());
        this.sql = "delete from " + name(table) + " where (" + keys + ") in (select " + keys
                + " from " + name(table) + " where " + name(timeColumn)
                + " < now() - make_interval(secs => ?) limit ?)";
    }

    /** Deletes the rows older than {@code age}; answers how many. */
    public int deleteOlderThan(Duration age) {
        double seconds = age.toMillis() / 1000.0;
        return inBatches(batchRows, batchesMax, rows -> jdbc.update(sql, seconds, rows));
    }

    /**
     * Calls {@code deleteBatch} with {@code batchRows} until it deletes fewer rows than that, or
     * {@code batchesMax} times; answers the rows deleted in all. For retention whose batch is more
     * than a delete by age (the change feed's also records what it removed).
     */
    public static int inBatches(int batchRows, int batchesMax, IntUnaryOperator deleteBatch) {
        int total = 0;
        for (int batch = 0; batch < batchesMax; batch++) {
            int deleted = deleteBatch.applyAsInt(batchRows);
            total += deleted;
            if (deleted < batchRows) {
                break;
            }
        }
        return total;
    }

    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL name: " + name);
        }
        return name;
    }
}
