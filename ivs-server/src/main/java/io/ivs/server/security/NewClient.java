package io.ivs.server.security;

import io.ivs.core.InvalidInputException;
import io.ivs.core.environment.EnvironmentId;

import org.jspecify.annotations.Nullable;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request to create a client, valid once built: a well-formed id (or none, and IVS picks one),
 * at least one environment (or {@code *}) and at least one known role.
 *
 * @param issuer null for a client with an IVS secret; otherwise the trusted issuer whose
 *     assertions name this client
 */
public record NewClient(
        @Nullable String clientId,
        List<String> environments,
        Set<Role> roles,
        String description,
        @Nullable String issuer) {
    /** Entra application ids (GUIDs), Keycloak client ids and IVS's own ids all fit. */
    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    public static final int ENVIRONMENTS_MAX = 1000;
    public static final int DESCRIPTION_LENGTH_MAX = 500;

    public NewClient {
        if (clientId != null) {
            requireClientId(clientId);
        }
        if (environments.isEmpty()) {
            throw new InvalidInputException(
                    "environments", "must list at least one environment id, or \"*\"");
        }
        if (environments.size() > ENVIRONMENTS_MAX) {
            throw new InvalidInputException(
                    "environments", "may list at most " + ENVIRONMENTS_MAX + " environments");
        }
        for (int i = 0; i < environments.size(); i++) {
            String environment = environments.get(i);
            if (!environment.equals(ClientRecord.ALL_ENVIRONMENTS)
                    && !EnvironmentId.isValid(environment)) {
                throw new InvalidInputException(
                        "environments[" + i + "]",
                        "'" + environment + "' is neither an environment id nor \"*\"");
            }
        }
        environments = List.copyOf(new LinkedHashSet<>(environments));
        if (roles.isEmpty()) {
            throw new InvalidInputException("roles", "must list at least one of " + roleNames());
        }
        roles = Set.copyOf(roles);
        if (description.length() > DESCRIPTION_LENGTH_MAX) {
            throw new InvalidInputException(
                    "description", "may hold at most " + DESCRIPTION_LENGTH_MAX + " characters");
        }
        if (issuer != null && issuer.isBlank()) {
            throw new InvalidInputException("issuer", "must not be blank");
        }
    }

    public static String requireClientId(String clientId) {
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new InvalidInputException(
                    "clientId",
                    "must be 1 to 128 letters, digits, '.', '_', ':', '@' or '-', starting with"
                            + " a letter or digit");
        }
        return clientId;
    }

    /** Roles by name (case-insensitive); an unknown name is an error naming its position. */
    public static Set<Role> roles(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            roles.add(Role.parse(name)
                    .orElseThrow(() -> new InvalidInputException(
                            "roles", "'" + name + "' is not a role; use " + roleNames())));
        }
        return roles;
    }

    static List<String> roleNames() {
        return List.of(Role.values()).stream().map(Role::wireName).toList();
    }
}
