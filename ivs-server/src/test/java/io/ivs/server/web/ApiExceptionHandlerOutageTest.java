package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Regression (commit e48e127, 2026-11-23): a request that passed the caller check just before the
 * database went away failed when its transaction could not start, and that exception is no
 * {@code DataAccessException}, so it was answered 500. It is a 503 like any outage.
 */
class ApiExceptionHandlerOutageTest {
    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void transactionCannotStart_is503EnvelopeOnTheApi() {
        var failure = new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLTransientConnectionException("ivs - Connection is not available"));

        ResponseEntity<?> answer =
                handler.databaseDown(failure, request("/api/environment/e/onhand"));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        IvEnvelope body = (IvEnvelope) answer.getBody();
        assertThat(body.statusCode()).isEqualTo(503);
        assertThat(body.message()).contains("database is unavailable");
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    @Test
    void lostConnectionAtCommit_is503NotA500() {
        var failure = new TransactionSystemException(
                "Could not commit JDBC transaction",
                new SQLException("An I/O error occurred while sending to the backend", "08006"));

        ResponseEntity<?> answer = handler.unexpected(failure, request("/admin/clients"));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
    }

    @Test
    void deadlockVictimAfterRetries_is409WithoutTheDatabaseText() {
        var failure = new DeadlockLoserDataAccessException(
                "ConnectionCallback; ERROR: deadlock detected\n  Detail: Process 1105 waits",
                new SQLException("deadlock detected", "40P01"));

        ResponseEntity<?> answer =
                handler.concurrent(failure, request("/api/environment/e/onhand"));

        assertThat(answer.getStatusCode().value()).isEqualTo(409);
        IvEnvelope body = (IvEnvelope) answer.getBody();
        assertThat(body.message()).isEqualTo(ApiExceptionHandler.CONCURRENT_ABORT);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    @Test
    void otherFailure_staysA500() {
        ResponseEntity<?> answer =
                handler.unexpected(new IllegalStateException("bug"), request("/api/x"));

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getHeaders().containsHeader("Retry-After")).isFalse();
    }

    private static MockHttpServletRequest request(String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        request.setRequestURI(uri);
        return request;
    }
}
