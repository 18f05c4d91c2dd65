package io.ivs.server.web;

import java.util.Objects;

/** A request names an environment that does not exist (HTTP 404). */
public final class UnknownEnvironmentException extends RuntimeException {
    public UnknownEnvironmentException(String environmentId) {
        super("environment '" + environmentId + "' does not exist; create it with"
                + " PUT /admin/environments/" + environmentId
                + ", by posting a configuration to .../configuration/hardupdate,"
                + " or with IVS_DEFAULT_ENVIRONMENT");
    }

    /** Never null: this exception is always made with a message. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
