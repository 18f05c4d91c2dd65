package io.ivs.server.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small real-HTTP client for tests: JSON in, status and parsed JSON out.
 *
 * <p>By default it signs in like any IV client, as the test administrator that every test
 * server bootstraps ({@code src/test/resources/config/application.yml}): an assertion from
 * {@code POST /oauth2/token}, exchanged at {@code POST /token} for a token for the environment
 * in the request path ({@code /api/environment/{id}/…} or {@code /admin/environments/{id}}).
 * {@link #withoutAuth()}, {@link #withToken} and {@link #withAuthorization} turn that off, and an
 * {@code Authorization} header given to a call replaces it for that call.
 */
public final class IvsClient {
    public static final String ADMIN_ID = "ivs-test-admin";
    public static final String ADMIN_SECRET = "ivs-test-admin-secret-for-tests-only";
    /** The environment of the administrator's token for calls outside any environment. */
    public static final String ADMIN_CONTEXT = "ivs-test-admin";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ENVIRONMENT_PATH = "/api/environment/";
    private static final String ADMIN_ENVIRONMENT_PATH = "/admin/environments/";

    /**
     * Tokens are cached per server (base URL) for the whole test run: the assertion costs a slow
     * secret check, and every test would otherwise pay it.
     */
    private static final Map<String, String> ASSERTIONS = new ConcurrentHashMap<>();

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final boolean automatic;
    private final String authorization;

    public IvsClient(int port) {
        this("http://127.0.0.1:" + port, true, null);
    }

    private IvsClient(String base, boolean automatic, String authorization) {
        this.base = base;
        this.automatic = automatic;
        this.authorization = authorization;
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** The same server, without any {@code Authorization} header. */
    public IvsClient withoutAuth() {
        return new IvsClient(base, false, null);
    }

    /** The same server, sending {@code Authorization: Bearer <token>}. */
    public IvsClient withToken(String token) {
        return new IvsClient(base, false, "Bearer " + token);
    }

    /** The same server, sending this {@code Authorization} header as given. */
    public IvsClient withAuthorization(String header) {
        return new IvsClient(base, false, header);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Response post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Response put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    public Response delete(String path, String body, String... headers) {
        return send("DELETE", path, body, headers);
    }

    /** Sends a request; {@code headers} are name, value pairs. */
    public Response send(String method, String path, String body, String... headers) {
        boolean given = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            given |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (given || !automatic) {
            return raw(method, path, body, given ? null : authorization, headers);
        }
        String context = contextOf(path);
        Response response = raw(method, path, body, automaticHeader(context), headers);
        if (response.status() == 401) {
            // A cached token from another server that once had this port; sign in afresh.
            ASSERTIONS.remove(base);
            TOKENS.remove(base + " " + context);
            response = raw(method, path, body, automaticHeader(context), headers);
        }
        return response;
    }

    /** POSTs a form-encoded body. */
    public Response postForm(String path, String form, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.add("Content-Type");
        all.add("application/x-www-form-urlencoded");
        return raw("POST", path, form, null, all.toArray(String[]::new));
    }

    /** Step 1: client credentials at {@code POST /oauth2/token}. */
    public Response clientCredentials(String clientId, String secret) {
        return postForm(
                "/oauth2/token",
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        clientId,
                        "client_secret",
                        secret));
    }

    /** Step 2: IV's exchange at {@code POST /token}, as spec §5.2 shows it. */
    public Response exchange(String assertion, String environmentId) {
        String body = json(map(
                "grant_type", "client_credentials",
                "client_assertion_type", "aad_app",
                "client_assertion", assertion,
                "scope", "https://inventoryservice.operations365.dynamics.com/.default",
                "context", environmentId,
                "context_type", "finops-env"));
        return raw("POST", "/token", body, null, new String[] {"Api-Version", "1.0"});
    }

    /** A token of {@code clientId} for one environment, obtained in the two normal steps. */
    public String accessToken(String clientId, String secret, String environmentId) {
        return accessToken(assertion(clientId, secret), environmentId);
    }

    /** A token for one environment from an assertion; fails the test if refused. */
    public String accessToken(String assertion, String environmentId) {
        Response exchanged = exchange(assertion, environmentId);
        if (exchanged.status() != 200) {
            throw new AssertionError("POST /token: " + exchanged.status() + " " + exchanged.body());
        }
        return exchanged.json().path("access_token").asString();
    }

    /** An assertion from {@code POST /oauth2/token}; fails the test if refused. */
    public String assertion(String clientId, String secret) {
        Response response = clientCredentials(clientId, secret);
        if (response.status() != 200) {
            throw new AssertionError(
                    "POST /oauth2/token: " + response.status() + " " + response.body());
        }
        return response.json().path("access_token").asString();
    }

    /** The test administrator's token for one environment (cached). */
    public String adminToken(String environmentId) {
        return TOKENS.computeIfAbsent(
                base + " " + environmentId,
                key -> accessToken(
                        ASSERTIONS.computeIfAbsent(base, b -> assertion(ADMIN_ID, ADMIN_SECRET)),
                        environmentId));
    }

    private String automaticHeader(String context) {
        return context == null ? null : "Bearer " + adminToken(context);
    }

    /**
     * The environment a call is about, or the administrator's own context for other calls that
     * need a token; null for the token endpoints, and for environment ids that no token can
     * carry (such calls go without one).
     */
    private static String contextOf(String path) {
        String environment = null;
        if (path.startsWith(ENVIRONMENT_PATH)) {
            environment = segment(path, ENVIRONMENT_PATH.length());
        } else if (path.startsWith(ADMIN_ENVIRONMENT_PATH)) {
            environment = segment(path, ADMIN_ENVIRONMENT_PATH.length());
        }
        if (environment != null) {
            return environment.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
                    ? environment
                    : ADMIN_CONTEXT;
        }
        if (path.startsWith("/token") || path.contains("oauth2/")) {
            return null;
        }
        return ADMIN_CONTEXT;
    }

    private static String segment(String path, int start) {
        int end = start;
        while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '?') {
            end++;
        }
        return URLDecoder.decode(path.substring(start, end), StandardCharsets.UTF_8);
    }

    private Response raw(
            String method, String path, String body, String authorization, String[] headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.setHeader("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.setHeader("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A form body from name, value pairs, URL-encoded. */
    public static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (!form.isEmpty()) {
                form.append('&');
            }
            form.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    public static JsonNode parse(String text) {
        return JSON.readTree(text);
    }

    public static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
