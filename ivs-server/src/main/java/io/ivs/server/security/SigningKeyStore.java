package io.ivs.server.security;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The keys that sign IVS tokens, shared by every instance through the database (DESIGN D4). */
public interface SigningKeyStore {
    /**
     * A key as stored: its JSON Web Key including the private part.
     *
     * @param retiredAt when it stopped signing; null while it is the signing key
     * @param verifyUntil when the last token it signed expires; null while it signs
     */
    record StoredKey(
            String kid,
            String algorithm,
            String jwk,
            Instant createdAt,
            @Nullable Instant retiredAt,
            @Nullable Instant verifyUntil) {
        public boolean verifies(Instant now) {
            return verifyUntil == null || verifyUntil.isAfter(now);
        }

        /** Leaves the key material out, so that logging a key never logs its private part. */
        @Override
        public String toString() {
            return "StoredKey[" + kid + ", " + algorithm + ", retiredAt=" + retiredAt
                    + ", verifyUntil=" + verifyUntil + "]";
        }
    }

    /** The newest key that is not retired. */
    Optional<StoredKey> signing();

    Optional<StoredKey> find(String kid);

    /** Every key that still verifies at {@code now}, newest first. */
    List<StoredKey> verifying(Instant now);

    /**
     * Stores {@code key} as the signing key unless one exists; serialised across instances, so
     * that instances starting together agree on one key.
     *
     * @return whether the key was stored
     */
    boolean addFirst(StoredKey key);

    /**
     * Retires the signing key (it keeps verifying until {@code verifyUntil}), stores {@code next}
     * as the signing key and deletes keys that verify nothing any more, in one transaction.
     */
    void rotate(StoredKey next, Instant verifyUntil, Instant now);
}
