package io.ivs.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a request refused before it reaches a controller (DESIGN D9): IV's envelope
 * under {@code /api}, an RFC 9457 problem detail elsewhere.
 */
public final class Refusals {
    private Refusals() {}

    public static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String message)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setCharacterEncoding("UTF-8");
        Object body;
        if (request.getRequestURI().startsWith("/api/")) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            body = IvEnvelope.failure(null, status.value(), message);
        } else {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            body = problem(request, status, message);
        }
        response.getWriter().write(Json.mapper().writeValueAsString(body));
    }

    /** An RFC 9457 problem detail for a refused request; callers may add members. */
    public static Map<String, Object> problem(
            HttpServletRequest request, HttpStatus status, String message) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", message);
        problem.put("instance", request.getRequestURI());
        return problem;
    }
}
