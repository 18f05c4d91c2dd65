package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console cookie is {@code Secure} when the browser's request was HTTPS, also when a TLS
 * proxy on a loopback or private address says so with {@code X-Forwarded-Proto} (the default
 * {@code server.forward-headers-strategy: native}); over plain HTTP it cannot be, or the browser
 * would never send it back.
 */
class ConsoleSecureCookieIntegrationTest extends HttpTestSupport {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("IVS_CONSOLE_SESSION=([^;]*)");

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** Signs in as the administrator; answers the session cookie set by the sign-in. */
    private String signInCookie(@Nullable String forwardedProto) throws Exception {
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(uri("/console/login")).GET(), forwardedProto, null);
        Matcher token = FORM_TOKEN.matcher(page.body());
        assertThat(token.find()).as(page.body()).isTrue();
        String session = sessionCookie(page);
        Matcher id = SESSION.matcher(session);
        assertThat(id.find()).isTrue();
        String form = "clientId=" + encode(IvsClient.ADMIN_ID) + "&secret="
                + encode(IvsClient.ADMIN_SECRET) + "&_csrf=" + encode(token.group(1));
        HttpResponse<String> signIn = send(
                HttpRequest.newBuilder(uri("/console/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)),
                forwardedProto,
                "IVS_CONSOLE_SESSION=" + id.group(1));
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().firstValue("Location").orElse("")).endsWith("/console");
        return sessionCookie(signIn);
    }

    private HttpResponse<String> send(
            HttpRequest.Builder request, @Nullable String forwardedProto, @Nullable String cookie)
            throws Exception {
        if (forwardedProto != null) {
            request.header("X-Forwarded-Proto", forwardedProto);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<String> response) {
        List<String> cookies = response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("IVS_CONSOLE_SESSION="))
                .toList();
        assertThat(cookies).as(response.headers().map().toString()).hasSize(1);
        return cookies.get(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void signIn_behindTlsProxyOnLoopback_setsASecureCookie() throws Exception {
        String cookie = signInCookie("https");

        assertThat(cookie).containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly");
    }

    @Test
    void signIn_overPlainHttp_setsNoSecureFlag() throws Exception {
        String cookie = signInCookie(null);

        assertThat(cookie).doesNotContainIgnoringCase("Secure").containsIgnoringCase("HttpOnly");
    }

    @Test
    void signIn_proxyForwardingPlainHttp_setsNoSecureFlag() throws Exception {
        String cookie = signInCookie("http");

        assertThat(cookie).doesNotContainIgnoringCase("Secure");
    }
}
