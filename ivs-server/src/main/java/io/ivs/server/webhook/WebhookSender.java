package io.ivs.server.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLException;

/**
 * Sends one delivery: a JSON POST signed as Standard Webhooks says ({@link WebhookSignature}),
 * with Apache HttpClient, redirects not followed (a receiver answers for its URL itself),
 * connect and request timeouts from the settings. Any 2xx answer is a success; anything else,
 * and no answer, is a failed attempt.
 *
 * <p>The target is checked by {@link WebhookTargets} before each attempt, and the client's
 * resolver is that same check: a new connection goes only to addresses that passed it, so a DNS
 * answer that changes between check and connect (DNS rebinding) cannot lead IVS to an internal
 * address. A refused target is a failed attempt that is not retried. The answer's body is read
 * (a little, to keep the connection) and dropped: an error never carries text of the receiver,
 * so that IVS cannot be used to read what an internal service answers.
 */
@Component
public class WebhookSender implements AutoCloseable {
    public static final String SUBSCRIPTION_ID = "IVS-Subscription-Id";
    public static final String ATTEMPT = "IVS-Delivery-Attempt";
    public static final String REPLAY = "IVS-Replay";
    /** An answer body up to this many bytes is read and dropped; a longer one closes the link. */
    static final int ANSWER_DRAIN_MAX = 16 * 1024;
    /** {@code application/json} without a charset parameter (JSON is UTF-8). */
    private static final ContentType JSON = ContentType.create("application/json");
    /** Open connections to receivers, in all and to one host. */
    static final int CONNECTIONS_MAX = 512;

    /**
     * The outcome of one attempt; {@code status} is null when no answer came. {@code refused}:
     * the target was refused, nothing was sent, and another attempt would be refused too.
     */
    public record Attempt(
            boolean delivered, @Nullable Integer status, String error, boolean refused) {
        static Attempt delivered(int status) {
            return new Attempt(true, status, "", false);
        }

        static Attempt failed(@Nullable Integer status, String error) {
            return new Attempt(false, status, error, false);
        }

        static Attempt refusedTarget(String reason) {
            return new Attempt(false, null, "target refused: " + reason, true);
        }
    }

    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines;
    private final WebhookTargets targets;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Counter delivered;
    private final Counter failed;
    private final Counter refused;
    private final Counter deadLettered;

    WebhookSender(
            WebhookSettings settings, WebhookTargets targets, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.targets = targets;
        this.clock = clock;
        this.delivered = attempts(meters, "delivered");
        this.failed = attempts(meters, "failed");
        this.refused = attempts(meters, "refused");
        this.deadLettered = Counter.builder("ivs.webhooks.dead.letters")
                .description("Webhook deliveries that failed every attempt")
                .register(meters);
        this.http = client(settings, targets);
        this.deadlines = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("ivs-webhook-deadlines").factory());
    }

    private static CloseableHttpClient client(WebhookSettings settings, WebhookTargets targets) {
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new CheckingResolver(targets))
                // Like the JDK's client: the JDK trust store, or javax.net.ssl.* when set.
                .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.requestTimeout()))
                        .build())
                .setMaxConnTotal(CONNECTIONS_MAX)
                .setMaxConnPerRoute(CONNECTIONS_MAX)
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(settings.requestTimeout()))
                        .setResponseTimeout(Timeout.of(settings.requestTimeout()))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictIdleConnections(TimeValue.ofMinutes(1))
                .setUserAgent("IVS-Webhooks/1")
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
        (outcome.delivered() ? delivered : outcome.refused() ? refused : failed).increment();
        return outcome;
    }

    private Attempt attempt(
            Subscription subscription,
            String deliveryId,
            byte[] body,
            int attempt,
            boolean replay) {
        URI uri;
        try {
            uri = new URI(subscription.url());
        } catch (URISyntaxException e) {
            return Attempt.failed(null, "bad URL");
        }
        if (uri.getRawUserInfo() != null) {
            // Refused when subscribing; a URL stored before that rule is refused here.
            return Attempt.refusedTarget("the URL holds a user name or password");
        }
        try {
            targets.resolve(uri.getHost());
        } catch (WebhookTargets.RefusedTarget e) {
            return Attempt.refusedTarget(e.getMessage());
        } catch (UnknownHostException e) {
            return Attempt.failed(null, "unknown host '" + uri.getHost() + "'");
        }
        HttpPost post = request(subscription, uri, deliveryId, body, attempt, replay);
        return exchange(HttpHost.create(uri), post);
    }

    private HttpPost request(
            Subscription subscription,
            URI uri,
            String deliveryId,
            byte[] body,
            int attempt,
            boolean replay) {
        long now = clock.instant().getEpochSecond();
        HttpPost post = new HttpPost(uri);
        // Standard Webhooks: the id is the delivery's, the same on every attempt and replay, so
        // that receivers deduplicate on it; the time and the signature are this attempt's.
        post.setHeader(WebhookSignature.ID, deliveryId);
        post.setHeader(WebhookSignature.TIMESTAMP, Long.toString(now));
        post.setHeader(
                WebhookSignature.SIGNATURE,
                WebhookSignature.signature(subscription.secret(), deliveryId, now, body));
        post.setHeader(SUBSCRIPTION_ID, subscription.id());
        post.setHeader(ATTEMPT, Integer.toString(attempt));
        if (replay) {
            post.setHeader(REPLAY, "true");
        }
        post.setEntity(new ByteArrayEntity(body, JSON));
        return post;
    }

    /**
     * Sends the request and reads the status. The whole exchange is bounded by the request
     * timeout: a receiver that answers a byte at a time is cut off, as the JDK client did.
     */
    private Attempt exchange(HttpHost target, HttpPost post) {
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> {
                    late.set(true);
                    post.cancel();
                },
                settings.requestTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            ClassicHttpResponse response = http.executeOpen(target, post, null);
            int status = response.getCode();
            drop(response);
            return status >= 200 && status < 300
                    ? Attempt.delivered(status)
                    : Attempt.failed(status, "HTTP " + status);
        } catch (WebhookTargets.RefusedTarget e) {
            return Attempt.refusedTarget(e.getMessage());
        } catch (IOException e) {
            return Attempt.failed(
                    null,
                    late.get() ? "no answer within " + settings.requestTimeout() : describe(e));
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Drops the answer's body: read to its end when it is short (the connection can serve the
     * next delivery), else the connection is closed without reading more.
     */
    private static void drop(ClassicHttpResponse response) {
        try (response) {
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                return;
            }
            InputStream in = entity.getContent();
            in.readNBytes(ANSWER_DRAIN_MAX);
            if (in.read() != -1 && in instanceof EofSensorInputStream sensor) {
                sensor.abort();
            }
        } catch (IOException e) {
            // The status has arrived; a connection that breaks while its body is dropped
            // does not change the outcome.
        }
    }

    /**
     * Says what went wrong without any text that the receiver sent: only the exception's kind,
     * and the message for the kinds whose message IVS or the JDK writes (connect, timeout, TLS).
     */
    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        boolean ownMessage = e instanceof ConnectException
                || e instanceof ConnectTimeoutException
                || e instanceof SocketTimeoutException
                || e instanceof SSLException;
        if (!ownMessage || e.getMessage() == null) {
            return kind;
        }
        String message = e.getMessage();
        return kind + ": " + (message.length() > 200 ? message.substring(0, 200) : message);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        http.close(CloseMode.GRACEFUL);
    }

    /** The HTTP client's resolver: every address it hands out has passed the target check. */
    private record CheckingResolver(WebhookTargets targets) implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return targets.resolve(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
