package io.ivs.server.web;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

import java.util.List;

/** IV's answer envelope (spec §1.4, A2): one per item of a write, or for a failed request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IvEnvelope(
        @Nullable String id,
        String processingStatus,
        String message,
        int statusCode,
        @Nullable List<String> errors) {
    public static IvEnvelope success(@Nullable String id, String message) {
        return new IvEnvelope(id, "success", message, 200, null);
    }

    public static IvEnvelope failure(@Nullable String id, int status, String message) {
        return new IvEnvelope(id, "failure", message, status, null);
    }
}
