package io.ivs.bench;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The HTTP side of the bench: one {@link HttpClient} on virtual threads. When IVS requires bearer
 * tokens, {@link BearerTokens} supplies one per environment and every call sends it.
 */
final class Http implements AutoCloseable {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final HttpClient client;
    private final ConcurrentHashMap<String, String> tokens = new ConcurrentHashMap<>();
    private volatile @Nullable BearerTokens bearer;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    String base() {
        return base;
    }

    HttpClient client() {
        return client;
    }

    /** From now on, every call to an environment carries a token for it. */
    void useBearerTokens(BearerTokens tokenSource) {
        this.bearer = tokenSource;
    }

    boolean usesBearerTokens() {
        return bearer != null;
    }

    HttpResponse<byte[]> post(String environmentId, String path, byte[] body)
            throws IOException, InterruptedException {
        return send(environmentId, path, "POST", body);
    }

    HttpResponse<byte[]> get(String environmentId, String path)
            throws IOException, InterruptedException {
        return send(environmentId, path, "GET", null);
    }

    HttpResponse<byte[]> send(
            @Nullable String environmentId, String path, String method, byte @Nullable [] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        BearerTokens source = bearer;
        if (source != null && environmentId != null) {
            String token = tokens.computeIfAbsent(environmentId, source::token);
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        client.close();
    }
}
