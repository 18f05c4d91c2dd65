package io.ivs.server.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API clients in the system of record. */
public interface ClientStore {
    /** Adds a client; false when the id is taken, by an active or a revoked client. */
    boolean create(ClientRecord client);

    Optional<ClientRecord> find(String clientId);

    /** Clients ordered by id, at most {@code limit}. */
    List<ClientRecord> list(int limit);

    /** Marks the client revoked; false when it is unknown or was already revoked. */
    boolean revoke(String clientId, Instant at);

    /**
     * Creates the client or replaces its secret, grants and roles and makes it active again: the
     * start-up settings are the truth about the bootstrap client.
     */
    void saveBootstrap(ClientRecord client);

    /** Whether an active client may administer every environment. */
    boolean anyActiveAdministrator();
}
