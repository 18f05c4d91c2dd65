package io.ivs.server.web;

/** A named thing that does not exist (HTTP 404). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
