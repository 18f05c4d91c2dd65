package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP calls of the CLI to one IVS: sign-in as any IV client does (an assertion from {@code
 * POST /oauth2/token}, exchanged at {@code POST /token} for a token for one environment), then
 * calls with that token. Failures become {@link CliFailure}s with the server's message.
 */
final class IvsApi {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Admin calls answer at once; a server that takes longer than this is not serving. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long an export may take to start: the server counts the rows before the first byte.
     * The body then streams with no time limit, however large the table.
     */
    static final Duration DOWNLOAD_START_TIMEOUT = Duration.ofMinutes(5);
    /** Error answers are read only this far: the message is at the start. */
    static final int ERROR_BODY_BYTES_MAX = 64 * 1024;

    /** Tries of one call whose answer asks to be sent again ({@link #retryable}). */
    static final int RETRIES_MAX = 6;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http;

    IvsApi(String url) {
        this.base = baseUri(url);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    URI base() {
        return base;
    }

    /** An access token of {@code credentials} for {@code environment}. */
    String signIn(Credentials credentials, String environment) {
        String form = "grant_type=client_credentials&client_id=" + form(credentials.clientId())
                + "&client_secret=" + form(credentials.secret());
        HttpRequest assertionRequest = request("/oauth2/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        String what = "sign-in as '" + credentials.clientId() + "'";
        String assertion = accessToken(what, send(assertionRequest));

        ObjectNode exchange = JSON.createObjectNode();
        exchange.put("grant_type", "client_credentials");
        exchange.put("client_assertion_type", "aad_app");
        exchange.put("client_assertion", assertion);
        exchange.put("context", environment);
        exchange.put("context_type", "finops-env");
        HttpRequest tokenRequest = request("/token")
                .header("Content-Type", "application/json")
                .header("Api-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(exchange.toString()))
                .build();
        return accessToken(
                "token exchange for environment '" + environment + "'", send(tokenRequest));
    }

    /** Calls {@code method path} with the token and answers the body of a 2xx answer. */
    String call(String method, String path, String token, @Nullable String json) {
        HttpRequest.Builder builder = request(path).header("Authorization", "Bearer " + token);
        if (json == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response = send(request);
        for (int attempt = 1; attempt < RETRIES_MAX && retryable(response); attempt++) {
            pause(retryDelay(response, attempt));
            response = send(request);
        }
        if (response.statusCode() / 100 != 2) {
            throw CliFailure.ofStatus(method + " " + path, response.statusCode(), response.body());
        }
        return response.body();
    }

    /**
     * An answer that changed nothing and says so with {@code Retry-After}: a deadlock victim
     * (409), a database outage (503) or a rate limit (429). Sending the same request again is
     * safe, since every write the CLI sends carries its event ids.
     */
    static boolean retryable(HttpResponse<?> response) {
        int status = response.statusCode();
        return (status == 409 || status == 429 || status == 503)
                && response.headers().firstValue("Retry-After").isPresent();
    }

    /** The server's {@code Retry-After} (seconds), at least a doubling back-off, at most 10 s. */
    static Duration retryDelay(HttpResponse<?> response, int attempt) {
        long backOffMillis = 100L << Math.min(attempt, 7);
        long askedMillis = response.headers()
                .firstValue("Retry-After")
                .filter(v -> v.strip().matches("\\d{1,4}"))
                .map(v -> Long.parseLong(v.strip()) * 1_000)
                .orElse(0L);
        return Duration.ofMillis(Math.min(Math.max(backOffMillis, askedMillis), 10_000));
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unavailable("interrupted");
        }
    }

    /**
     * Starts a download: a 200 answer whose body the caller reads as it comes, with no time
     * limit on the whole (an export may be large); any other answer fails with its message.
     */
    HttpResponse<InputStream> download(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(resolve(path))
                .timeout(DOWNLOAD_START_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unavailable("interrupted");
        }
        if (response.statusCode() != 200) {
            String body = readError(response.body());
            throw CliFailure.ofStatus("GET " + path, response.statusCode(), body);
        }
        return response;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(resolve(path)).timeout(CALL_TIMEOUT);
    }

    private URI resolve(String path) {
        return URI.create(base + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unavailable("interrupted");
        }
    }

    private CliFailure unreachable(IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return CliFailure.unavailable(
                "cannot reach " + base + " (is the server running?): " + reason);
    }

    private static String accessToken(String what, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw CliFailure.ofStatus(what, response.statusCode(), response.body());
        }
        try {
            JsonNode token = JSON.readTree(response.body()).path("access_token");
            if (token.isString() && !token.asString().isEmpty()) {
                return token.asString();
            }
        } catch (JacksonException e) {
            // Falls through: an answer without a token is not an IVS token endpoint.
        }
        throw CliFailure.unavailable(
                what + ": the answer holds no access_token; is " + "the URL an IVS server?");
    }

    private static String readError(InputStream body) {
        try (body) {
            return new String(body.readNBytes(ERROR_BODY_BYTES_MAX), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A path segment: percent-encoded, so any id stays one segment. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI baseUri(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme();
            if (uri.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw CliFailure.usage(
                        "--url: must be http://HOST[:PORT] or https://..., was '" + url + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliFailure.usage("--url: not a URL: '" + url + "'");
        }
    }
}
