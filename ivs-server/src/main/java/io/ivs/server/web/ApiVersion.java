package io.ivs.server.web;

import io.ivs.core.InvalidInputException;

import org.jspecify.annotations.Nullable;

/** The {@code Api-Version} header: missing means 1.0, unknown is a 400 (spec A25). */
public final class ApiVersion {
    public static final String HEADER = "Api-Version";

    private ApiVersion() {}

    public static int parse(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return 1;
        }
        return switch (header.strip()) {
            case "1", "1.0" -> 1;
            case "2", "2.0" -> 2;
            default ->
                throw new InvalidInputException(
                        HEADER, "'" + header + "' is not supported; use 1.0 or 2.0");
        };
    }
}
