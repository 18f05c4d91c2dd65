package io.ivs.core.environment;

import io.ivs.core.InvalidInputException;

import java.util.regex.Pattern;

/**
 * The id of an environment: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or
 * digit, so that it is safe in a path segment, a token claim and a log line.
 */
public record EnvironmentId(String value) {
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public EnvironmentId {
        if (!isValid(value)) {
            throw new InvalidInputException(
                    "environmentId",
                    "must be 1 to 128 letters, digits,"
                            + " '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** The id, or a 400 naming {@code environmentId} when the text breaks the rule. */
    public static EnvironmentId of(String value) {
        return new EnvironmentId(value);
    }

    public static boolean isValid(String value) {
        return RULE.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
