package io.ivs.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures as the Standard Webhooks specification defines them, so that receivers can verify
 * deliveries with its libraries: headers {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds) and {@code webhook-signature: v1,<base64>}, where the signature is HMAC-SHA256 over
 * {@code "<id>.<timestamp>.<body>"}. Signing the id and the time with the body lets a receiver
 * refuse an old request replayed by someone who captured it, and deduplicate on the id.
 *
 * <p>The key is the base64-decoded part of a {@code whsec_} secret (what IVS generates). A secret
 * that a caller chose without that prefix is used as its UTF-8 bytes, which the standard
 * libraries accept as a raw key.
 */
public final class WebhookSignature {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final String PREFIX = "whsec_";
    /** Key sizes the specification allows for a {@code whsec_} secret. */
    static final int KEY_BYTES_MIN = 24;

    static final int KEY_BYTES_MAX = 64;
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new secret: {@code whsec_} and 32 random bytes in standard base64. */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The {@code webhook-signature} value for a body sent with this id at this time. */
    public static String signature(String secret, String id, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((id + "." + unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is required of every Java platform.
            throw new IllegalStateException(e);
        }
    }

    /** The HMAC key of a secret: see the class comment. */
    static byte[] key(String secret) {
        return decodedKey(secret).orElseGet(() -> secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes after {@code whsec_}, when the secret has the prefix and the rest is base64
     * (standard, or the URL-safe alphabet of secrets generated before IVS followed the
     * specification); empty otherwise.
     */
    static Optional<byte[]> decodedKey(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String encoded = secret.substring(PREFIX.length());
        try {
            return Optional.of(Base64.getDecoder().decode(encoded));
        } catch (IllegalArgumentException notStandard) {
            try {
                return Optional.of(Base64.getUrlDecoder().decode(encoded));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
    }

    /**
     * Why a secret chosen by a caller cannot be used, or empty: a {@code whsec_} secret must
     * hold 24 to 64 bytes in standard base64, as the standard libraries decode it.
     */
    static Optional<String> problem(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.of("after 'whsec_' must be standard base64 (the Standard Webhooks"
                    + " libraries decode it so); leave the prefix out to use the text itself");
        }
        if (key.length < KEY_BYTES_MIN || key.length > KEY_BYTES_MAX) {
            return Optional.of("after 'whsec_' must encode " + KEY_BYTES_MIN + " to "
                    + KEY_BYTES_MAX + " bytes; it encodes " + key.length);
        }
        return Optional.empty();
    }
}
