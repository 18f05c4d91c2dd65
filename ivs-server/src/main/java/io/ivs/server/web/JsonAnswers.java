package io.ivs.server.web;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;

import java.io.IOException;

/**
 * Writes a small JSON answer with its length, in one write. The write endpoints answer this way
 * rather than through Spring's message converters, which stream without a length and flush, so
 * that every answer went out chunked in two socket writes, and which negotiate the content type
 * on every call (docs/performance.md, 2026-12-06).
 */
public final class JsonAnswers {
    private JsonAnswers() {}

    public static void write(HttpServletResponse response, int status, Object body)
            throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
