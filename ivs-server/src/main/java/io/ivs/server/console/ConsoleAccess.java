package io.ivs.server.console;

import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.ClientRecord;
import io.ivs.server.security.ClientStore;
import io.ivs.server.security.Role;
import io.ivs.server.web.UnknownEnvironmentException;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is signed in to the console and what they may do, decided on the server for every request
 * from the client as it is in PostgreSQL now: a revoked client is signed out at its next request
 * and a grant taken away takes effect at once, on every instance (DESIGN D4). The rules follow
 * the API's ({@link io.ivs.server.security.AccessPolicy}): the configuration needs
 * {@code config.admin}; queries need {@code inventory.read}; the reservation list needs either
 * of the two; reversing a reservation needs {@code inventory.write}.
 */
@Component
public class ConsoleAccess {
    private final ClientStore clients;
    private final EnvironmentService environments;

    public ConsoleAccess(ClientStore clients, EnvironmentService environments) {
        this.clients = clients;
        this.environments = environments;
    }

    /** The signed-in client, still active; otherwise the session ends. */
    public ClientRecord client(Authentication authentication) {
        return clients.find(authentication.getName())
                .filter(ClientRecord::active)
                .orElseThrow(SessionEndedException::new);
    }

    /** The environments that exist and that the client is granted, sorted. */
    public List<String> environments(ClientRecord client) {
        return environments.environments().stream()
                .filter(client::grants)
                .sorted()
                .toList();
    }

    /**
     * The page context for an environment: it must exist and be granted to the client (404
     * either way, so that a client learns nothing of environments it is not granted), and the
     * client must hold one of {@code roles} (403).
     */
    public ConsolePage page(Authentication authentication, String environmentId, Role... roles) {
        ClientRecord client = client(authentication);
        List<String> granted = environments(client);
        if (!granted.contains(environmentId)) {
            throw new UnknownEnvironmentException(environmentId);
        }
        require(client, roles);
        return new ConsolePage(client, environmentId, granted);
    }

    static void require(ClientRecord client, Role... roles) {
        if (roles.length > 0 && Arrays.stream(roles).noneMatch(client.roles()::contains)) {
            throw new ForbiddenException("this needs the role "
                    + Arrays.stream(roles).map(Role::wireName).collect(Collectors.joining(" or "))
                    + "; client '" + client.clientId() + "' has "
                    + names(client.roles()));
        }
    }

    private static String names(Set<Role> roles) {
        return roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(", "));
    }

    /** The client of the session is unknown or revoked. */
    static final class SessionEndedException extends RuntimeException {
        SessionEndedException() {
            super("the client of this session is unknown or revoked");
        }
    }

    /** The client may not do this (HTTP 403). */
    static final class ForbiddenException extends RuntimeException {
        ForbiddenException(String message) {
            super(message);
        }
    }
}
