package io.ivs.server.security;

import io.ivs.core.InvalidInputException;
import io.ivs.server.security.TokenVerifier.VerifiedAssertion;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.server.ResponseStatusException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * API clients: creation (the secret is returned once and kept only as a slow hash), listing,
 * revocation, authentication at the token endpoints and the bootstrap administrator.
 */
public final class ClientService {
    private static final Logger log = LoggerFactory.getLogger(ClientService.class);
    public static final int CLIENTS_LISTED_MAX = 10_000;
    /** BCrypt reads only the first 72 bytes; longer secrets would be silently truncated. */
    public static final int SECRET_BYTES_MAX = 72;
    /** 256 bits of randomness, Base64url without padding: 43 characters, safe in forms. */
    private static final int SECRET_RANDOM_BYTES = 32;

    private static final int BOOTSTRAP_SECRET_LENGTH_MIN = 16;

    /** A new client and its secret, which exists only in this answer. */
    public record Created(ClientRecord client, @Nullable String secret) {
        @Override
        public String toString() {
            return "Created[" + client + "]";
        }
    }

    private final ClientStore store;
    private final PasswordEncoder encoder;
    private final Set<String> trustedIssuers;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Compared against when a client id is unknown, so that the answer takes as long. */
    private final String unknownClientHash;

    /**
     * @param trustedIssuers the issuers of {@code IVS_TRUSTED_ISSUERS}, the only ones a client
     *     can be registered for
     */
    public ClientService(
            ClientStore store, PasswordEncoder encoder, Set<String> trustedIssuers, Clock clock) {
        this.store = store;
        this.encoder = encoder;
        this.trustedIssuers = Set.copyOf(trustedIssuers);
        this.clock = clock;
        this.unknownClientHash = encoder.encode(newSecret());
    }

    public Created create(NewClient request) {
        if (request.issuer() != null && !trustedIssuers.contains(request.issuer())) {
            // The issuer must match the assertions' iss exactly; a typo would only show later.
            throw new InvalidInputException(
                    "issuer",
                    "'" + request.issuer() + "' is not one of IVS_TRUSTED_ISSUERS "
                            + trustedIssuers);
        }
        String clientId =
                request.clientId() != null ? request.clientId() : "ivs-" + UUID.randomUUID();
        String secret = request.issuer() == null ? newSecret() : null;
        ClientRecord client = new ClientRecord(
                clientId,
                secret == null ? null : encoder.encode(secret),
                request.issuer(),
                request.environments(),
                request.roles(),
                request.description(),
                clock.instant(),
                null);
        if (!store.create(client)) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "clientId: '" + clientId + "' exists (revoked ids are not reused)");
        }
        log.info(
                "created client '{}' for environments {} with roles {}",
                clientId,
                client.environments(),
                client.roles());
        return new Created(client, secret);
    }

    public List<ClientRecord> list() {
        return store.list(CLIENTS_LISTED_MAX);
    }

    public ClientRecord get(String clientId) {
        return store.find(clientId)
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "no client '" + clientId + "'"));
    }

    /** Revokes the client; its tokens are refused from the next call on. Idempotent. */
    public ClientRecord revoke(String clientId) {
        ClientRecord before = get(clientId);
        if (store.revoke(clientId, clock.instant())) {
            log.info("revoked client '{}'", clientId);
        }
        return store.find(clientId).orElse(before);
    }

    /** The active client with this id and secret, or a 401 that does not say which was wrong. */
    public ClientRecord authenticate(String clientId, String secret) {
        Optional<ClientRecord> found = store.find(clientId);
        String hash = found.map(ClientRecord::secretHash).orElse(null);
        boolean matches = secret.getBytes(StandardCharsets.UTF_8).length <= SECRET_BYTES_MAX
                && encoder.matches(secret, Objects.requireNonNullElse(hash, unknownClientHash))
                && hash != null;
        if (!matches || !found.get().active()) {
            throw TokenRejectedException.invalidClient(
                    "client authentication failed (unknown client, wrong secret or revoked)");
        }
        return found.get();
    }

    /** The active client an assertion names, issued by IVS or by the client's own issuer. */
    public ClientRecord forAssertion(VerifiedAssertion assertion) {
        ClientRecord client = store.find(assertion.clientId())
                .filter(ClientRecord::active)
                .orElseThrow(() -> TokenRejectedException.invalidClient("client_assertion: the"
                        + " client '" + assertion.clientId() + "' is unknown or revoked"));
        String expected = assertion.external() ? assertion.issuer() : null;
        if (!Objects.equals(client.issuer(), expected)) {
            throw TokenRejectedException.invalidClient("client_assertion: the client '"
                    + client.clientId() + "' is not registered for issuer '"
                    + assertion.issuer() + "'");
        }
        return client;
    }

    /**
     * Creates or repairs the bootstrap administrator: all environments, every role, the given
     * secret, active. Cheap when nothing changed, so every instance may run it at start-up.
     */
    public void bootstrap(String clientId, String secret) {
        NewClient.requireClientId(clientId);
        if (secret.getBytes(StandardCharsets.UTF_8).length > SECRET_BYTES_MAX) {
            throw new InvalidInputException(
                    "IVS_BOOTSTRAP_CLIENT_SECRET", "may be at most 72 bytes long");
        }
        if (secret.length() < BOOTSTRAP_SECRET_LENGTH_MIN) {
            log.warn(
                    "IVS_BOOTSTRAP_CLIENT_SECRET is shorter than {} characters; use a long"
                            + " random secret",
                    BOOTSTRAP_SECRET_LENGTH_MIN);
        }
        Optional<ClientRecord> existing = store.find(clientId);
        if (existing.isPresent()
                && isBootstrapShaped(existing.get())
                && encoder.matches(secret, existing.get().secretHash())) {
            return;
        }
        store.saveBootstrap(new ClientRecord(
                clientId,
                encoder.encode(secret),
                null,
                List.of(ClientRecord.ALL_ENVIRONMENTS),
                Role.administrator(),
                "bootstrap administrator (IVS_BOOTSTRAP_CLIENT_ID)",
                clock.instant(),
                null));
        log.info(
                "bootstrap client '{}' is ready (all environments, every role but"
                        + " inventory.erp)",
                clientId);
    }

    public boolean anyActiveAdministrator() {
        return store.anyActiveAdministrator();
    }

    private static boolean isBootstrapShaped(ClientRecord client) {
        return client.active()
                && client.issuer() == null
                && client.allEnvironments()
                && client.roles().containsAll(Role.administrator());
    }

    private String newSecret() {
        byte[] bytes = new byte[SECRET_RANDOM_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
