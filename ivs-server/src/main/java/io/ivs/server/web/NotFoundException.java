package io.ivs.server.web;

import java.util.Objects;

/** A named thing that does not exist (HTTP 404). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }

    /** Never null: this exception is always made with a message. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
