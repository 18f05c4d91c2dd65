package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.web.DatabaseFailures;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;

/** Which failures are a database outage (503) and which are not. */
class DatabaseFailuresTest {

    @Test
    void isUnavailable_transactionCouldNotStart_isTrue() {
        // What a request gets when the pool cannot open a connection for its transaction.
        var failure = new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLException("Connection refused", "08001"));

        assertThat(DatabaseFailures.isUnavailable(failure)).isTrue();
    }

    @Test
    void isUnavailable_connectionLostOrServerShuttingDown_isTrueWhereverWrapped() {
        for (String state : new String[] {"08006", "08003", "57P01", "57P02", "57P03"}) {
            var commit = new TransactionSystemException(
                    "commit failed", new SQLException("terminating connection", state));
            var uncategorized = new UncategorizedSQLException(
                    "task", "select 1", new SQLException("lost", state));

            assertThat(DatabaseFailures.isUnavailable(commit)).as(state).isTrue();
            assertThat(DatabaseFailures.isUnavailable(uncategorized)).as(state).isTrue();
        }
    }

    @Test
    void isUnavailable_badDataOrABug_isFalse() {
        var integrity = new DataIntegrityViolationException(
                "bad", new SQLException("invalid byte sequence", "22021"));
        var bug = new IllegalStateException("bug", new NullPointerException());
        var cancelled = new UncategorizedSQLException(
                "task", "select 1", new SQLException("canceled", "57014"));

        assertThat(DatabaseFailures.isUnavailable(integrity)).isFalse();
        assertThat(DatabaseFailures.isUnavailable(bug)).isFalse();
        assertThat(DatabaseFailures.isUnavailable(cancelled)).isFalse();
    }
}
