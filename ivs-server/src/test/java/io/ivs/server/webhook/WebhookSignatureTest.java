package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The signature IVS sends, checked against the Standard Webhooks specification's published test
 * vector, the specification's Java library and the verifier README shows to receivers (compiled
 * from the README text); and the retry waits.
 */
class WebhookSignatureTest {
    /**
     * The test vector of the Standard Webhooks repository (its Java library's WebhookTest,
     * verifyWebhookSignWorks): a secret, message id, timestamp and payload with the signature
     * every implementation must produce.
     */
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1_614_265_330L;
    private static final String VECTOR_PAYLOAD = "{\"test\": 2432232314}";
    private static final String VECTOR_SIGNATURE =
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final String ID = "wh_1-7";
    private static final byte[] BODY = "{\"deliveryId\":\"wh_1-7\",\"change\":{\"position\":7}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void signature_publishedTestVector_matches() throws Exception {
        String signature = WebhookSignature.signature(
                VECTOR_SECRET,
                VECTOR_ID,
                VECTOR_TIMESTAMP,
                VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo(VECTOR_SIGNATURE);
        assertThat(StandardLibrary.webhook(VECTOR_SECRET)
                        .sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD))
                .isEqualTo(VECTOR_SIGNATURE);
        assertThat(ReadmeVerifier.verify(
                        VECTOR_SECRET,
                        VECTOR_ID,
                        Long.toString(VECTOR_TIMESTAMP),
                        "v1,bm90IGl0 " + VECTOR_SIGNATURE,
                        VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8),
                        VECTOR_TIMESTAMP + 10,
                        300))
                .isTrue();
    }

    @Test
    void standardLibrary_acceptsIvsSignature_andRefusesAnyTampering() {
        for (String secret : List.of(WebhookSignature.newSecret(), "a-secret-chosen-as-text")) {
            long now = Instant.now().getEpochSecond();
            Map<String, List<String>> headers = headers(ID, now, sign(secret, ID, now, BODY));

            assertThat(StandardLibrary.verifies(secret, BODY, headers)).isTrue();
            assertThat(StandardLibrary.verifies(secret, tampered(), headers)).isFalse();
            String other =
                    secret.startsWith("whsec_") ? WebhookSignature.newSecret() : secret + "x";
            assertThat(StandardLibrary.verifies(other, BODY, headers)).isFalse();
            Map<String, List<String>> otherId = headers("wh_1-8", now, sign(secret, ID, now, BODY));
            assertThat(StandardLibrary.verifies(secret, BODY, otherId)).isFalse();
            Map<String, List<String>> old =
                    headers(ID, now - 301, sign(secret, ID, now - 301, BODY));
            assertThat(StandardLibrary.verifies(secret, BODY, old)).isFalse();
        }
    }

    @Test
    void readmeVerifier_acceptsIvsSignature_andRefusesAnyTampering() {
        String secret = WebhookSignature.newSecret();
        long now = 1_795_000_000L;
        String t = Long.toString(now);
        String signature = sign(secret, ID, now, BODY);

        assertThat(signature).matches("v1,[A-Za-z0-9+/]{43}=");
        assertThat(ReadmeVerifier.verify(secret, ID, t, signature, BODY, now + 10, 300))
                .isTrue();
        assertThat(ReadmeVerifier.verify(secret, ID, t, signature, tampered(), now, 300))
                .isFalse();
        assertThat(ReadmeVerifier.verify(secret + "x", ID, t, signature, BODY, now, 300))
                .isFalse();
        assertThat(ReadmeVerifier.verify(secret, "wh_1-8", t, signature, BODY, now, 300))
                .isFalse();
        assertThat(ReadmeVerifier.verify(secret, ID, t, signature, BODY, now + 301, 300))
                .isFalse();
        assertThat(ReadmeVerifier.verify(secret, ID, t + "1", signature, BODY, now, 300))
                .isFalse();
        assertThat(ReadmeVerifier.verify(secret, ID, "abc", signature, BODY, now, 300))
                .isFalse();
        assertThat(ReadmeVerifier.verify(secret, ID, t, "", BODY, now, 300)).isFalse();
        assertThat(ReadmeVerifier.verify(
                        secret, ID, t, "v2," + signature.substring(3), BODY, now, 300))
                .isFalse();
    }

    @Test
    void newSecret_isStandardBase64OfThirtyTwoRandomBytes() {
        String one = WebhookSignature.newSecret();
        String two = WebhookSignature.newSecret();

        assertThat(one).startsWith("whsec_").isNotEqualTo(two);
        assertThat(Base64.getDecoder().decode(one.substring(6))).hasSize(32);
        assertThat(WebhookSignature.problem(one)).isEmpty();
    }

    @Test
    void key_ofEachKindOfSecret() {
        assertThat(WebhookSignature.key("whsec_AAEC")).containsExactly(0, 1, 2);
        // Secrets generated before IVS followed the specification used the URL-safe alphabet.
        assertThat(WebhookSignature.key("whsec_-_8")).containsExactly(0xfb, 0xff);
        assertThat(WebhookSignature.key("plain text")).isEqualTo("plain text".getBytes());
        assertThat(WebhookSignature.key("whsec_not base64!"))
                .isEqualTo("whsec_not base64!".getBytes());
    }

    @Test
    void problem_refusesWhsecSecretsTheLibrariesCannotDecode() {
        assertThat(WebhookSignature.problem("chosen-text-secret")).isEmpty();
        assertThat(WebhookSignature.problem(VECTOR_SECRET)).isEmpty();
        assertThat(WebhookSignature.problem("whsec_-_8-_8-_8-_8-_8-_8-_8-_8-_8-_8"))
                .get()
                .asString()
                .contains("standard base64");
        assertThat(WebhookSignature.problem("whsec_AAECAwQF"))
                .get()
                .asString()
                .contains("24 to 64");
    }

    private static String sign(String secret, String id, long now, byte[] body) {
        return WebhookSignature.signature(secret, id, now, body);
    }

    private static byte[] tampered() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] = '8';
        return tampered;
    }

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of(
                WebhookSignature.ID, List.of(id),
                WebhookSignature.TIMESTAMP, List.of(Long.toString(timestamp)),
                WebhookSignature.SIGNATURE, List.of(signature));
    }

    @Test
    void backoff_doublesUpToTheMaximum_withAtMostHalfTakenOff() {
        WebhookSettings settings = new WebhookSettings(
                true,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                10,
                Duration.ofMillis(100),
                Duration.ofMillis(1_000),
                8,
                100,
                List.of());
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            for (int sample = 0; sample < 50; sample++) {
                long waited = SubscriptionDeliverer.backoff(settings, attempt).toMillis();
                assertThat(waited)
                        .as("attempt " + attempt)
                        .isBetween(ceilings[attempt - 1] / 2, ceilings[attempt - 1]);
            }
        }
        assertThat(SubscriptionDeliverer.backoff(settings, 99).toMillis()).isBetween(500L, 1000L);
    }
}
