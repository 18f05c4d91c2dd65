package io.ivs.server.security;

import io.ivs.server.web.DatabaseFailures;
import io.ivs.server.web.Refusals;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Answers 503 when a call cannot be checked because the database (clients, keys) is down.
 * Without it such a failure would surface as a 500, or worse as a 401 that tells a valid client
 * its token is bad. Controllers' own failures never get here: {@code ApiExceptionHandler}
 * answers them.
 */
final class SecurityFailureFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(SecurityFailureFilter.class);

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (AuthenticationServiceException | DataAccessException e) {
            unavailable(request, response, e);
        } catch (RuntimeException e) {
            // A lost connection may come wrapped in an exception of another kind (a failed
            // transaction start, say); anything else is not ours to answer.
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            unavailable(request, response, e);
        }
    }

    private static void unavailable(
            HttpServletRequest request, HttpServletResponse response, RuntimeException e)
            throws IOException {
        log.warn("could not check the caller of {}: {}", request.getRequestURI(), e.toString());
        Refusals.write(
                request,
                response,
                HttpStatus.SERVICE_UNAVAILABLE,
                "the caller could not be checked because the database is unavailable;"
                        + " nothing was changed, retry later");
    }
}
