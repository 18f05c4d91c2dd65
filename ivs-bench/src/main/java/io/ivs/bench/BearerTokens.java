package io.ivs.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Obtains IV access tokens when IVS asks for them (DESIGN, runtime contract): a client-credentials
 * token from {@code POST /oauth2/token}, exchanged at {@code POST /token} for an environment.
 */
final class BearerTokens {
    static final String CLIENT_ID = "ivs-bench";
    static final String SCOPE = "https://inventoryservice.operations365.dynamics.com/.default";

    private final HttpClient client;
    private final String base;
    private final String clientSecret;
    private final JsonMapper json = JsonMapper.builder().build();

    BearerTokens(HttpClient client, String base, String clientSecret) {
        this.client = client;
        this.base = base;
        this.clientSecret = clientSecret;
    }

    /** A token for one environment; fails loudly, since the bench cannot run without it. */
    String token(String environmentId) {
        String form = "grant_type=client_credentials&client_id=" + encode(CLIENT_ID)
                + "&client_secret=" + encode(clientSecret);
        JsonNode first = call("/oauth2/token", "application/x-www-form-urlencoded", form);
        String exchange = json.createObjectNode()
                .put("grant_type", "client_credentials")
                .put("client_assertion_type", "aad_app")
                .put("client_assertion", first.get("access_token").asString())
                .put("scope", SCOPE)
                .put("context", environmentId)
                .put("context_type", "finops-env")
                .toString();
        return call("/token", "application/json", exchange).get("access_token").asString();
    }

    private JsonNode call(String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response =
                    client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        path + " answered " + response.statusCode() + ": " + response.body());
            }
            return json.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not obtain a token from " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
