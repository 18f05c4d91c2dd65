package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/** A client id and secret taken from the environment; the secret never shows in a message. */
record Credentials(String clientId, String secret) {
    private static final String ADMIN_HINT = "set IVS_ADMIN_CLIENT_ID and IVS_ADMIN_CLIENT_SECRET"
            + " (or IVS_BOOTSTRAP_CLIENT_ID and IVS_BOOTSTRAP_CLIENT_SECRET)";
    private static final String READER_HINT =
            "set IVS_CLIENT_ID and IVS_CLIENT_SECRET" + " (a client with the role inventory.read)";

    /** An administrator granted every environment, as the clients and keys commands need. */
    static Credentials administrator(Map<String, String> environment) {
        Credentials found = first(environment, "IVS_ADMIN_CLIENT", "IVS_BOOTSTRAP_CLIENT");
        if (found == null) {
            throw CliFailure.usage(ADMIN_HINT);
        }
        return found;
    }

    /** A client that may write the environment (imports), else the administrator. */
    static Credentials writer(Map<String, String> environment) {
        Credentials found =
                first(environment, "IVS_CLIENT", "IVS_ADMIN_CLIENT", "IVS_BOOTSTRAP_CLIENT");
        if (found == null) {
            throw CliFailure.usage("set IVS_CLIENT_ID and IVS_CLIENT_SECRET"
                    + " (a client with the role inventory.write)");
        }
        return found;
    }

    /** A client that may read the environment, else the administrator. */
    static Credentials reader(Map<String, String> environment) {
        Credentials found =
                first(environment, "IVS_CLIENT", "IVS_ADMIN_CLIENT", "IVS_BOOTSTRAP_CLIENT");
        if (found == null) {
            throw CliFailure.usage(READER_HINT);
        }
        return found;
    }

    /** The first prefix whose {@code _ID} and {@code _SECRET} are both set and not empty. */
    private static @Nullable Credentials first(
            Map<String, String> environment, String... prefixes) {
        for (String prefix : prefixes) {
            String id = environment.get(prefix + "_ID");
            String secret = environment.get(prefix + "_SECRET");
            if (id != null && !id.isEmpty() && secret != null && !secret.isEmpty()) {
                return new Credentials(id, secret);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Credentials[clientId=" + clientId + "]";
    }
}
