package io.ivs.server.console;

import io.ivs.server.security.ClientRecord;
import io.ivs.server.security.Role;

import java.util.List;

/**
 * The signed-in client and the environment a console page is about, with what the navigation
 * needs to know.
 *
 * @param environments the environments the client may switch to
 */
public record ConsolePage(ClientRecord client, String environmentId, List<String> environments) {
    public ConsolePage {
        environments = List.copyOf(environments);
    }

    public String clientId() {
        return client.clientId();
    }

    public boolean admin() {
        return client.roles().contains(Role.CONFIG_ADMIN);
    }

    public boolean reader() {
        return client.roles().contains(Role.INVENTORY_READ);
    }

    public boolean writer() {
        return client.roles().contains(Role.INVENTORY_WRITE);
    }

    /** The base path of this environment's pages. */
    public String base() {
        return "/console/env/" + environmentId;
    }
}
