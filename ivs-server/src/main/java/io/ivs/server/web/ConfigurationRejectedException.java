package io.ivs.server.web;

import java.util.List;
import java.util.Objects;

/** A configuration document that fails validation as a whole; every problem is listed. */
public final class ConfigurationRejectedException extends RuntimeException {
    private final List<String> problems;
    private final int status;

    public ConfigurationRejectedException(int status, List<String> problems) {
        super("the configuration was rejected: " + String.join("; ", problems));
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    /** Never null: this exception is always made with a message. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }

    public List<String> problems() {
        return problems;
    }

    public int status() {
        return status;
    }
}
