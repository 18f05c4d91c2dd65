package io.ivs.server.web;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database outage from other failures, whatever wraps it: callers answer 503 ("retry
 * later") for an outage and keep 500 for real faults.
 */
public final class DatabaseFailures {
    /** How deep to look into a chain of causes; real chains are a handful of links long. */
    private static final int CAUSE_DEPTH_MAX = 16;

    private DatabaseFailures() {}

    /**
     * True when {@code failure} or one of its causes says the database cannot be reached: no
     * connection, a connection lost, or a server shutting down or restarting (SQLState class
     * 08, {@code 57P01}..{@code 57P03}).
     */
    public static boolean isUnavailable(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < CAUSE_DEPTH_MAX; depth++) {
            if (current instanceof CannotGetJdbcConnectionException
                    || current instanceof CannotCreateTransactionException
                    || current instanceof DataAccessResourceFailureException
                    || current instanceof TransientDataAccessResourceException
                    || current instanceof SQLTransientConnectionException
                    || current instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (current instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    static boolean isUnavailableState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P0"));
    }
}
