package io.ivs.server.security;

import java.util.Set;

/**
 * Who makes an API call, as far as it is still true now: the token's client and environment,
 * the token's roles that the client still holds, and whether the client is granted every
 * environment (which the administration API requires).
 */
public record Caller(
        String clientId, String environmentId, Set<Role> roles, boolean allEnvironments) {
    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
