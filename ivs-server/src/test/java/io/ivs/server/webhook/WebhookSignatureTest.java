package io.ivs.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The signature IVS sends, checked with the verifier README shows to receivers (compiled from
 * the README text), and the retry waits.
 */
class WebhookSignatureTest {
    private static final String SECRET = "whsec_example-secret-for-the-test";
    private static final byte[] BODY = "{\"deliveryId\":\"wh_1-7\",\"change\":{\"position\":7}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_795_000_000L;

    @Test
    void readmeVerifier_acceptsIvsSignature_andRefusesAnyTampering() {
        String header = WebhookSignature.header(SECRET, NOW, BODY);

        assertThat(header).matches("t=" + NOW + ",v1=[0-9a-f]{64}");
        assertThat(ReadmeVerifier.verify(SECRET, header, BODY, NOW + 10, 300)).isTrue();
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] = '8';
        assertThat(ReadmeVerifier.verify(SECRET, header, tampered, NOW, 300)).isFalse();
        assertThat(ReadmeVerifier.verify(SECRET + "x", header, BODY, NOW, 300)).isFalse();
        assertThat(ReadmeVerifier.verify(SECRET, header, BODY, NOW + 301, 300)).isFalse();
        String otherTime = header.replace("t=" + NOW, "t=" + (NOW + 1));
        assertThat(ReadmeVerifier.verify(SECRET, otherTime, BODY, NOW, 300)).isFalse();
        assertThat(ReadmeVerifier.verify(SECRET, "t=abc,v1=zz", BODY, NOW, 300)).isFalse();
        assertThat(ReadmeVerifier.verify(SECRET, "", BODY, NOW, 300)).isFalse();
    }

    /** A known answer, so that signer and verifier cannot agree on a wrong computation. */
    @Test
    void signature_knownVector_matchesHmacSha256OfTimestampDotBody() {
        // printf '1795000000.{"a":1}' | openssl dgst -sha256 -hmac key
        String header =
                WebhookSignature.header("key", NOW, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(header)
                .isEqualTo("t=1795000000,"
                        + "v1=1bd16f4bb96630234f5d9db1391a58d04079ea2aaf515271f43b4b91dcdfe987");
    }

    @Test
    void newSecret_isRandomAndLongEnough() {
        String one = WebhookSignature.newSecret();
        String two = WebhookSignature.newSecret();

        assertThat(one).startsWith("whsec_").hasSize(6 + 43).isNotEqualTo(two);
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
