package io.ivs.bench;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The HTTP side of the bench. Load goes through Apache HttpClient 5's blocking client on the
 * calling (virtual) thread: the bench shares the machine with IVS and PostgreSQL, and the JDK's
 * {@link HttpClient} measured 0.45 ms of CPU per small request, more than IVS spent answering it
 * (docs/performance.md, 2026-12-06), so it measured the bench as much as IVS. The JDK client is
 * kept for sign-in ({@link BearerTokens}). When IVS requires bearer tokens, every call to an
 * environment carries one.
 */
final class Http implements AutoCloseable {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** More than any scenario's clients, so no request waits for a connection. */
    static final int CONNECTIONS_MAX = 256;

    private final String base;
    private final HttpClient jdkClient;
    private final CloseableHttpClient client;
    private final ConcurrentHashMap<String, String> tokens = new ConcurrentHashMap<>();
    private volatile @Nullable BearerTokens bearer;

    /** A response: its status and its whole body. */
    record Response(int statusCode, byte[] body) {}

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.jdkClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        PoolingHttpClientConnectionManager connections =
                PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(CONNECTIONS_MAX)
                        .setMaxConnPerRoute(CONNECTIONS_MAX)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(10))
                                .setSocketTimeout(Timeout.of(REQUEST_TIMEOUT))
                                .build())
                        .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(REQUEST_TIMEOUT))
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    String base() {
        return base;
    }

    /** The JDK client, for sign-in. */
    HttpClient client() {
        return jdkClient;
    }

    /** From now on, every call to an environment carries a token for it. */
    void useBearerTokens(BearerTokens tokenSource) {
        this.bearer = tokenSource;
    }

    boolean usesBearerTokens() {
        return bearer != null;
    }

    Response post(String environmentId, String path, byte[] body) throws IOException {
        return send(environmentId, path, "POST", body);
    }

    Response get(String environmentId, String path) throws IOException {
        return send(environmentId, path, "GET", null);
    }

    Response send(
            @Nullable String environmentId, String path, String method, byte @Nullable [] body)
            throws IOException {
        ClassicRequestBuilder request = ClassicRequestBuilder.create(method).setUri(base + path);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        }
        BearerTokens source = bearer;
        if (source != null && environmentId != null) {
            String token = tokens.computeIfAbsent(environmentId, source::token);
            request.addHeader("Authorization", "Bearer " + token);
        }
        return client.execute(
                request.build(),
                response -> new Response(
                        response.getCode(),
                        response.getEntity() == null
                                ? new byte[0]
                                : EntityUtils.toByteArray(response.getEntity())));
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
        jdkClient.close();
    }
}
