package io.ivs.server.security;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An API client: who it is, how it authenticates and what it is granted. A client either has an
 * IVS secret (stored only as a slow hash) or is named by assertions of a trusted external
 * issuer; never both.
 *
 * @param environments the environment ids granted, or {@link #ALL_ENVIRONMENTS}
 */
public record ClientRecord(
        String clientId,
        @Nullable String secretHash,
        @Nullable String issuer,
        List<String> environments,
        Set<Role> roles,
        String description,
        Instant createdAt,
        @Nullable Instant revokedAt) {
    public static final String ALL_ENVIRONMENTS = "*";

    public ClientRecord {
        environments = List.copyOf(environments);
        roles = Set.copyOf(roles);
        if ((secretHash == null) == (issuer == null)) {
            throw new IllegalArgumentException(
                    "client " + clientId + " needs exactly one of a secret and an issuer");
        }
        if (environments.isEmpty() || roles.isEmpty()) {
            throw new IllegalArgumentException(
                    "client " + clientId + " needs at least one environment and one role");
        }
    }

    public boolean active() {
        return revokedAt == null;
    }

    public boolean allEnvironments() {
        return environments.contains(ALL_ENVIRONMENTS);
    }

    public boolean grants(String environmentId) {
        return allEnvironments() || environments.contains(environmentId);
    }

    /** Leaves the secret hash out, so that logging a client never logs it. */
    @Override
    public String toString() {
        return "ClientRecord[" + clientId + ", issuer=" + issuer + ", environments=" + environments
                + ", roles=" + roles + ", active=" + active() + "]";
    }
}
