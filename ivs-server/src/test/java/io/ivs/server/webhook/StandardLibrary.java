package io.ivs.server.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Verification with the Standard Webhooks Java library ({@code com.standardwebhooks}), as a
 * receiver that follows README ("Verifying a delivery") does it: a {@code whsec_} secret as it
 * is, any other secret as its UTF-8 bytes.
 */
final class StandardLibrary {
    private StandardLibrary() {}

    static Webhook webhook(String secret) {
        return secret.startsWith(WebhookSignature.PREFIX)
                ? new Webhook(secret)
                : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the library accepts this body with these headers, at the current time. */
    static boolean verifies(String secret, byte[] body, Map<String, List<String>> headers) {
        try {
            webhook(secret).verify(new String(body, StandardCharsets.UTF_8), headers);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }
}
