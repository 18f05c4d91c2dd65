package io.ivs.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} or a new one) for the logs and the
 * response, and refuses bodies larger than the configured limit with 413 before reading them.
 */
@Component
// Right after CanonicalPathFilter, so that it reads the canonical path.
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestIdFilter extends OncePerRequestFilter {
    public static final String MDC_KEY = "requestId";
    public static final String HEADER = "X-Request-Id";

    private final long bodyMaxBytes;

    public RequestIdFilter(@Value("${ivs.request-body-max-bytes}") long bodyMaxBytes) {
        this.bodyMaxBytes = bodyMaxBytes;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String id = given != null && given.matches("[A-Za-z0-9._-]{1,64}")
                ? given
                : UUID.randomUUID().toString();
        MDC.put(MDC_KEY, id);
        response.setHeader(HEADER, id);
        try {
            if (request.getContentLengthLong() > bodyMaxBytes) {
                response.setStatus(413);
                response.setContentType("application/json");
                response.getWriter()
                        .write("{\"processingStatus\":\"failure\",\"message\":"
                                + "\"body: larger than " + bodyMaxBytes
                                + " bytes\",\"statusCode\":413}");
                return;
            }
            String type = request.getContentType();
            if (type != null
                    && type.toLowerCase(java.util.Locale.ROOT)
                            .startsWith("application/x-www-form-urlencoded")
                    && request.getRequestURI().startsWith("/api/")) {
                response.setStatus(415);
                response.setContentType("application/json");
                response.getWriter()
                        .write("{\"processingStatus\":\"failure\",\"message\":"
                                + "\"Content-Type: send JSON bodies as application/json\","
                                + "\"statusCode\":415}");
                return;
            }
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
