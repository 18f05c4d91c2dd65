package io.ivs.server.web;

import io.ivs.core.InvalidInputException;
import io.ivs.core.InvariantViolation;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps failures to answers in one place (DESIGN D9): IV endpoints under {@code /api} get IV's
 * envelope with the HTTP status in {@code statusCode}; our own endpoints get RFC 9457 problem
 * details. Bad input is a 4xx naming the field; a database outage is a 503; anything else is a
 * 500 that points to the request id in the log, never a stack trace.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final String DATABASE_DOWN =
            "the database is unavailable; nothing was changed, retry later";
    static final String RETRY_AFTER_SECONDS = "1";
    static final String CONCURRENT_ABORT = "the database aborted this request to resolve a"
            + " conflict with concurrent requests; nothing was changed, send it again";

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<?> invalid(InvalidInputException e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<?> notFoundThing(NotFoundException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(UnknownEnvironmentException.class)
    ResponseEntity<?> unknownEnvironment(
            UnknownEnvironmentException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ConfigurationRejectedException.class)
    ResponseEntity<?> rejected(ConfigurationRejectedException e, HttpServletRequest request) {
        IvEnvelope body = new IvEnvelope(null, "failure", e.getMessage(), e.status(), e.problems());
        return ResponseEntity.status(e.status()).body(body);
    }

    @ExceptionHandler(ConcurrencyFailureException.class)
    ResponseEntity<?> concurrent(ConcurrencyFailureException e, HttpServletRequest request) {
        if (e instanceof PessimisticLockingFailureException) {
            // A deadlock victim even after the stores ran it again: the database's own text
            // names its processes and transactions, which tells a client nothing.
            log.warn("request aborted by the database after retries: {}", e.getMessage());
            return retryLater(answer(request, HttpStatus.CONFLICT, CONCURRENT_ABORT));
        }
        return answer(request, HttpStatus.CONFLICT, messageOf(e));
    }

    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        CannotCreateTransactionException.class
    })
    ResponseEntity<?> databaseDown(RuntimeException e, HttpServletRequest request) {
        log.warn("database unavailable: {}", e.getMessage());
        return retryLater(answer(request, HttpStatus.SERVICE_UNAVAILABLE, DATABASE_DOWN));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<?> notFound(NoResourceFoundException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, "no endpoint " + request.getRequestURI());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<?> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.METHOD_NOT_ALLOWED, messageOf(e));
    }

    @ExceptionHandler({
        MissingServletRequestParameterException.class,
        MethodArgumentTypeMismatchException.class,
        TypeMismatchException.class,
        HttpMessageNotReadableException.class
    })
    ResponseEntity<?> parameter(Exception e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, messageOf(e));
    }

    /**
     * A client that left an event stream: nobody is there to answer, and it is no failure of
     * IVS (it used to be logged as one, with a stack trace, for every closed change stream).
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void disconnected(AsyncRequestNotUsableException e) {
        log.debug("client gone: {}", e.getMessage());
    }

    /**
     * A state the code's own rules make impossible: a bug or damaged data, never the caller's
     * fault. The checks run inside the transaction that would have written the wrong state, so
     * it has rolled back.
     */
    @ExceptionHandler(InvariantViolation.class)
    ResponseEntity<?> invariant(InvariantViolation e, HttpServletRequest request) {
        log.error("{} on {} {}", e.getMessage(), request.getMethod(), request.getRequestURI(), e);
        return internalError(request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<?> unexpected(Exception e, HttpServletRequest request) {
        if (DatabaseFailures.isUnavailable(e)) {
            // A lost connection can surface wrapped (a commit that failed, a driver exception
            // that Spring could not classify); it is still an outage, not a bug.
            log.warn("database unavailable: {}", e.toString());
            return retryLater(answer(request, HttpStatus.SERVICE_UNAVAILABLE, DATABASE_DOWN));
        }
        // Spring MVC's own exceptions (415, 406, ...) keep their status; this advice runs before
        // Boot's problem-details handler so that IV endpoints always answer with IV's envelope.
        if (e instanceof ErrorResponse error) {
            HttpStatus status = HttpStatus.resolve(error.getStatusCode().value());
            String detail = error.getBody().getDetail();
            if (status != null) {
                return answer(request, status, detail == null ? messageOf(e) : detail);
            }
        }
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return internalError(request);
    }

    /** A 500 that says where to look, never what failed (the log has the stack trace). */
    private static ResponseEntity<?> internalError(HttpServletRequest request) {
        return answer(
                request,
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error; see the server log for request id "
                        + MDC.get(RequestIdFilter.MDC_KEY));
    }

    /**
     * The text of a framework exception. Spring's exceptions carry one, but the type does not
     * promise it, and an answer must say something: the exception's kind stands in.
     */
    private static String messageOf(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * Marks an answer that changed nothing and may succeed if sent again as it was ({@code
     * Retry-After}, RFC 9110), so that a client can tell it from a refusal without reading the
     * message: a deadlock victim or a database outage.
     */
    static ResponseEntity<?> retryLater(ResponseEntity<?> answer) {
        return ResponseEntity.status(answer.getStatusCode())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(answer.getBody());
    }

    public static ResponseEntity<?> answer(
            HttpServletRequest request, HttpStatus status, String message) {
        if (request.getRequestURI().startsWith("/api/")) {
            return ResponseEntity.status(status)
                    .body(IvEnvelope.failure(null, status.value(), message));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        return ResponseEntity.status(status).body(problem);
    }
}
