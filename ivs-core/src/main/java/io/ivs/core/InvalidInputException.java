package io.ivs.core;

import java.util.Objects;

/**
 * Input that breaks a rule of the API: a missing field, an unknown name, a value out of range. The
 * message names the offending field so a client can act on it; the HTTP layer answers 400.
 */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(field.isEmpty() ? message : field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** Never null, unlike a plain exception's: every rejection is made with a message. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
