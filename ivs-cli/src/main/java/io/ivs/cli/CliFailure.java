package io.ivs.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command that cannot finish, with the exit code that tells a script why: whether to fix the
 * call (1, 2) or try again later (3).
 */
final class CliFailure extends RuntimeException {
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;

    /** Longer answers are cut: an error page from a proxy can be large. */
    private static final int MESSAGE_LENGTH_MAX = 1_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int exitCode;

    private CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliFailure refused(String message) {
        return new CliFailure(REFUSED, message);
    }

    static CliFailure usage(String message) {
        return new CliFailure(USAGE, message);
    }

    static CliFailure unavailable(String message) {
        return new CliFailure(UNAVAILABLE, message);
    }

    /**
     * The failure for a non-2xx answer: a 5xx means the server could not serve now (a retry may
     * succeed), anything else that it refused the call.
     */
    static CliFailure ofStatus(String what, int status, String body) {
        String message = what + " failed (" + status + "): " + serverMessage(body);
        return status >= 500 ? unavailable(message) : refused(message);
    }

    /**
     * The reason the server gave: OAuth's {@code error_description}, a problem detail's {@code
     * detail}, or the {@code message} of IV's envelope; else the answer as it came.
     */
    static String serverMessage(String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            for (String field : new String[] {"error_description", "detail", "message", "title"}) {
                JsonNode value = answer.path(field);
                if (value.isString() && !value.asString().isBlank()) {
                    return cut(value.asString());
                }
            }
        } catch (JacksonException notJson) {
            // Not JSON (a proxy's page, plain text): the text itself is the best message.
        }
        return body.isBlank() ? "(no message)" : cut(body.strip());
    }

    private static String cut(String text) {
        return text.length() <= MESSAGE_LENGTH_MAX
                ? text
                : text.substring(0, MESSAGE_LENGTH_MAX) + "...";
    }
}
