package io.ivs.server.postgres;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a write transaction again when PostgreSQL aborted it to break a deadlock or because of a
 * serialization failure (SQLState 40P01, 40001). Nothing of an aborted transaction was written,
 * and every write is idempotent by event id, so a second attempt is safe; the caller gets the
 * answer of the attempt that committed instead of an error for a valid request.
 *
 * <p>Concurrent writers of the same records can deadlock: the data-modifying common table
 * expressions of one statement run in no fixed order, so a single-event statement may hold a
 * quantity row while it waits for a record that a bulk transaction inserted and has not
 * committed, and the bulk transaction then waits for that quantity row. ivs-bench's warm-up met
 * this once in 12,879 mixed requests (answered 409 "deadlock detected"; docs/performance.md,
 * 2026-12-06).
 *
 * <p>A write can also lose its record to a partition clean-up: it finds the record there and
 * does not insert it, the clean-up deletes the record (and its rows) and commits, and the
 * write's new quantity row then points at no record (SQLState 23503 naming
 * {@code onhand_record}). Under Citus the steps of a write are separate round trips to the
 * worker, which widens that window enough for concurrent clean-ups to meet it. Run again, the
 * write inserts the record anew, as it would have had it come after the clean-up.
 */
public final class TransactionRetry {
    /** Retries after the first attempt; each needs a new deadlock to fail again. */
    static final int RETRIES_MAX = 3;

    private static final RetryTemplate RETRY = new RetryTemplate(RetryPolicy.builder()
            .maxRetries(RETRIES_MAX)
            .delay(Duration.ofMillis(5))
            .jitter(Duration.ofMillis(5))
            .multiplier(2)
            .maxDelay(Duration.ofMillis(100))
            .predicate(TransactionRetry::isTransient)
            .build());

    private TransactionRetry() {}

    /**
     * Runs {@code transaction}, which must begin and end its own transaction, up to
     * {@link #RETRIES_MAX} more times while PostgreSQL aborts it as above. Inside a caller's
     * transaction it runs once: the abort is then the caller's to handle.
     */
    public static <T> T run(Supplier<T> transaction) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return transaction.get();
        }
        return RETRY.invoke(transaction);
    }

    /**
     * Whether a failure is a deadlock or serialization abort, or a record removed under a
     * write, at any depth of its causes.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && ("40P01".equals(sql.getSQLState())
                            || "40001".equals(sql.getSQLState())
                            || recordRemoved(sql))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A foreign key to {@code onhand_record} that failed: the driver's message carries the
     * server's detail, which names the table (under Citus with its shard's number).
     */
    private static boolean recordRemoved(SQLException sql) {
        String message = sql.getMessage();
        return "23503".equals(sql.getSQLState())
                && message != null
                && message.contains("is not present in table \"onhand_record");
    }
}
