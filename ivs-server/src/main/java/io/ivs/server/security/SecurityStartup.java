package io.ivs.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Start-up tasks that must finish before the server accepts calls: a signing key exists, and
 * the bootstrap administrator of {@code IVS_BOOTSTRAP_CLIENT_ID}/{@code
 * IVS_BOOTSTRAP_CLIENT_SECRET} is ready. Both are safe when several instances start at once.
 */
final class SecurityStartup implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(SecurityStartup.class);

    private final SigningKeys keys;
    private final ClientService clients;
    private final SecuritySettings settings;

    SecurityStartup(SigningKeys keys, ClientService clients, SecuritySettings settings) {
        this.keys = keys;
        this.clients = clients;
        this.settings = settings;
    }

    @Override
    public void afterSingletonsInstantiated() {
        keys.ensureSigningKey();
        if (!settings.bootstrapClientId().isEmpty()) {
            clients.bootstrap(settings.bootstrapClientId(), settings.bootstrapClientSecret());
        }
        if (!clients.anyActiveAdministrator()) {
            log.warn("no active client can administer IVS: set IVS_BOOTSTRAP_CLIENT_ID and"
                    + " IVS_BOOTSTRAP_CLIENT_SECRET to create one (README, \"Security\")");
        }
    }
}
