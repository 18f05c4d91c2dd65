package io.ivs.server.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;

/**
 * Sends one delivery: a signed JSON POST with the JDK {@link HttpClient}, redirects not followed
 * (a receiver answers for its URL itself), connect and request timeouts from the settings. Any
 * 2xx answer is a success; anything else, and no answer, is a failed attempt.
 */
@Component
public class WebhookSender {
    public static final String DELIVERY_ID = "IVS-Delivery-Id";
    public static final String SUBSCRIPTION_ID = "IVS-Subscription-Id";
    public static final String ATTEMPT = "IVS-Delivery-Attempt";
    public static final String REPLAY = "IVS-Replay";
    /** How much of a failed answer's body is kept as the error, in bytes. */
    static final int ERROR_BODY_MAX = 300;

    /** The outcome of one attempt; {@code status} is null when no answer came. */
    public record Attempt(boolean delivered, @Nullable Integer status, String error) {}

    private final HttpClient http;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Counter delivered;
    private final Counter failed;
    private final Counter deadLettered;

    public WebhookSender(WebhookSettings settings, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.clock = clock;
        this.delivered = attempts(meters, "delivered");
        this.failed = attempts(meters, "failed");
        this.deadLettered = Counter.builder("ivs.webhooks.dead.letters")
                .description("Webhook deliveries that failed every attempt")
                .register(meters);
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    private static Counter attempts(MeterRegistry meters, String outcome) {
        return Counter.builder("ivs.webhooks.attempts")
                .description("Webhook delivery attempts by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Counts a change that failed every attempt (metric {@code ivs.webhooks.dead.letters}). */
    void countDeadLetter() {
        deadLettered.increment();
    }

    public Attempt send(
            Subscription subscription,
            String deliveryId,
            byte[] body,
            int attempt,
            boolean replay) {
        Attempt outcome = attempt(subscription, deliveryId, body, attempt, replay);
        (outcome.delivered() ? delivered : failed).increment();
        return outcome;
    }

    private Attempt attempt(
            Subscription subscription,
            String deliveryId,
            byte[] body,
            int attempt,
            boolean replay) {
        long now = clock.instant().getEpochSecond();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(subscription.url()));
        } catch (IllegalArgumentException e) {
            return new Attempt(false, null, "bad URL: " + e.getMessage());
        }
        request.timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "IVS-Webhooks/1")
                .header(DELIVERY_ID, deliveryId)
                .header(SUBSCRIPTION_ID, subscription.id())
                .header(ATTEMPT, Integer.toString(attempt))
                .header(
                        WebhookSignature.HEADER,
                        WebhookSignature.header(subscription.secret(), now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (replay) {
            request.header(REPLAY, "true");
        }
        try {
            HttpResponse<InputStream> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            String answer;
            try (InputStream in = response.body()) {
                answer = new String(in.readNBytes(ERROR_BODY_MAX), StandardCharsets.UTF_8);
            }
            if (status >= 200 && status < 300) {
                return new Attempt(true, status, "");
            }
            return new Attempt(
                    false,
                    status,
                    "HTTP " + status + (answer.isBlank() ? "" : ": " + answer.strip()));
        } catch (IOException e) {
            return new Attempt(
                    false,
                    null,
                    e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, null, "interrupted: IVS is stopping");
        }
    }
}
