package io.ivs.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code IVS-Signature} header: {@code t=<unix seconds>,v1=<hex>}, where {@code v1} is
 * HMAC-SHA256 keyed with the subscription's secret (its UTF-8 bytes) over the bytes of
 * {@code "<t>."} followed by the exact body bytes. Signing the timestamp with the body lets a
 * receiver refuse an old request replayed by someone who captured it.
 */
public final class WebhookSignature {
    public static final String HEADER = "IVS-Signature";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 32;

    private WebhookSignature() {}

    /** A new secret: 32 random bytes, base64url, with a prefix that says what it is. */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The header value for a body sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds, body);
    }

    static String hmacHex(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is required of every Java platform.
            throw new IllegalStateException(e);
        }
    }
}
