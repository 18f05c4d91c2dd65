package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console over plain HTTP, as a browser without scripts: the session cookie is kept by
 * hand, redirects are not followed, and forms carry the CSRF token only when asked to.
 */
final class ConsoleHttp {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern META_TOKEN =
            Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("IVS_CONSOLE_SESSION=([^;]*)");

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private String session = "";

    ConsoleHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    ConsoleHttp(String base) {
        this.base = base;
    }

    record Page(int status, String body, String location) {}

    String session() {
        return session;
    }

    ConsoleHttp withSession(String cookie) {
        session = cookie;
        return this;
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Posts a form; with {@code csrf} the token of a freshly loaded console page is added. */
    Page post(String path, Map<String, String> form, boolean csrf) {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        if (csrf) {
            body += (body.isEmpty() ? "" : "&") + "_csrf=" + encode(token());
        }
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Signs in through the form; answers the response to the form's post. */
    Page signIn(String clientId, String secret) {
        Page login = get("/console/login");
        assertThat(login.status()).isEqualTo(200);
        Matcher token = FORM_TOKEN.matcher(login.body());
        assertThat(token.find()).as(login.body()).isTrue();
        return post(
                "/console/login",
                Map.of("clientId", clientId, "secret", secret, "_csrf", token.group(1)),
                false);
    }

    private String token() {
        Page page = get("/console/login");
        Matcher meta = META_TOKEN.matcher(page.body());
        assertThat(meta.find()).as(page.body()).isTrue();
        return meta.group(1);
    }

    private Page send(HttpRequest.Builder request) {
        if (!session.isEmpty()) {
            request.header("Cookie", "IVS_CONSOLE_SESSION=" + session);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String cookie : response.headers().allValues("Set-Cookie")) {
                Matcher matcher = SESSION.matcher(cookie);
                if (matcher.find()) {
                    session = matcher.group(1);
                }
            }
            return new Page(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Location").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
