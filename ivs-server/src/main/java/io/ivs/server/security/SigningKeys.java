package io.ivs.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import io.ivs.server.security.SigningKeyStore.StoredKey;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The asymmetric keys that sign IVS tokens. They live in PostgreSQL, so every instance signs and
 * verifies with the same keys (DESIGN D4). Rotation retires the signing key; a retired key keeps
 * verifying until every token it signed has expired, and its public part stays in the JWKS that
 * long.
 *
 * <p>Verification keys are cached. The cache stays correct across instances because keys only
 * ever appear (a key rotated in elsewhere is looked up by its {@code kid} on first sight) or
 * expire at a stored time (checked on every use); nothing else about a key changes.
 */
public final class SigningKeys {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    /** How long a cached key set is used before it is read again, for tidiness only. */
    static final Duration CACHE_REFRESH = Duration.ofMinutes(5);

    private static final int RSA_KEY_BITS = 2048;

    private final SigningKeyStore store;
    private final SecuritySettings settings;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(List.of(), Instant.EPOCH);

    /** Keys as loaded, with their public parts parsed once. */
    private record Snapshot(List<StoredKey> keys, List<JWK> publicKeys, Instant loadedAt) {
        Snapshot(List<StoredKey> keys, Instant loadedAt) {
            this(keys, keys.stream().map(key -> parse(key).toPublicJWK()).toList(), loadedAt);
        }

        boolean knows(String kid) {
            return keys.stream().anyMatch(key -> key.kid().equals(kid));
        }

        JWKSet verifyingAt(Instant now) {
            List<JWK> usable = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).verifies(now)) {
                    usable.add(publicKeys.get(i));
                }
            }
            return new JWKSet(usable);
        }
    }

    public SigningKeys(SigningKeyStore store, SecuritySettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** Creates the first signing key unless one exists (start-up). */
    public void ensureSigningKey() {
        if (store.signing().isPresent()) {
            return;
        }
        StoredKey key = generate(settings.keyAlgorithm(), clock.instant());
        if (store.addFirst(key)) {
            log.info("created signing key {} ({})", key.kid(), key.algorithm());
        }
    }

    /**
     * Makes a new key the signing key. The old one verifies for the longest token lifetime more,
     * so no token issued before the rotation is cut short.
     */
    public StoredKey rotate() {
        Instant now = clock.instant();
        StoredKey next = generate(settings.keyAlgorithm(), now);
        store.rotate(next, now.plus(settings.tokenLifetimeMax()), now);
        snapshot = new Snapshot(List.of(), Instant.EPOCH);
        log.info("rotated signing keys: {} ({}) signs from now on", next.kid(), next.algorithm());
        return next;
    }

    public List<StoredKey> verifying() {
        return store.verifying(clock.instant());
    }

    /** The current signing key, read from the database so that a rotation applies at once. */
    public JWK signingKey() {
        StoredKey key = store.signing()
                .orElseThrow(() -> new IllegalStateException("no signing key; IVS creates one at"
                        + " start-up, so the signing_key table was changed by hand"));
        return parse(key);
    }

    /** The public keys that verify IVS tokens now, for {@code /.well-known/jwks.json}. */
    public JWKSet publicKeys() {
        return new JWKSet(
                verifying().stream().map(key -> parse(key).toPublicJWK()).toList());
    }

    /** The verification keys, for Nimbus's JWT processor. */
    public JWKSource<SecurityContext> verificationSource() {
        return this::select;
    }

    private List<JWK> select(JWKSelector selector, @Nullable SecurityContext context)
            throws KeySourceException {
        try {
            Instant now = clock.instant();
            Snapshot current = snapshot;
            if (current.loadedAt().plus(CACHE_REFRESH).isBefore(now)) {
                current = reload(now);
            }
            List<JWK> found = selector.select(current.verifyingAt(now));
            Set<String> kids = selector.getMatcher().getKeyIDs();
            if (found.isEmpty() && kids != null && kids.size() == 1) {
                String kid = kids.iterator().next();
                // A key rotated in by another instance: one look-up by primary key, and a full
                // reload only when the key exists, so made-up kids cost little.
                if (kid != null && !current.knows(kid) && store.find(kid).isPresent()) {
                    found = selector.select(reload(now).verifyingAt(now));
                }
            }
            return found;
        } catch (RuntimeException e) {
            // Nimbus would report a runtime failure as a bad token (401); a key source failure
            // lets the caller answer 503 instead.
            throw new KeySourceException("signing keys could not be read: " + e.getMessage(), e);
        }
    }

    private Snapshot reload(Instant now) {
        Snapshot loaded = new Snapshot(store.verifying(now), now);
        snapshot = loaded;
        return loaded;
    }

    static JWK parse(StoredKey key) {
        try {
            return JWK.parse(key.jwk());
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + key.kid() + " is not a valid JWK", e);
        }
    }

    static StoredKey generate(String algorithm, Instant now) {
        try {
            JWK jwk = switch (algorithm) {
                case "RS256" ->
                    new RSAKeyGenerator(RSA_KEY_BITS)
                            .keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.RS256)
                            .keyIDFromThumbprint(true)
                            .issueTime(Date.from(now))
                            .generate();
                case "ES256" ->
                    new ECKeyGenerator(Curve.P_256)
                            .keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.ES256)
                            .keyIDFromThumbprint(true)
                            .issueTime(Date.from(now))
                            .generate();
                default -> throw new IllegalArgumentException("unsupported " + algorithm);
            };
            return new StoredKey(jwk.getKeyID(), algorithm, jwk.toJSONString(), now, null, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a " + algorithm + " key", e);
        }
    }
}
