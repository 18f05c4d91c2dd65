package io.ivs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A real IVS for the CLI's tests: the server application started once per test JVM from the
 * server's classes, on a random port, backed by PostgreSQL (embedded in a temporary data
 * directory, or the database of {@code IVS_DATABASE_URL}), with a bootstrap administrator. Also
 * a plain HTTP client for the tests' own setup and checks, independent of the CLI's code.
 */
final class TestIvs {
    static final String ADMIN_ID = "ivs-cli-test-admin";
    static final String ADMIN_SECRET = "ivs-cli-test-admin-secret-for-tests-only";
    static final Map<String, String> ADMIN =
            Map.of("IVS_ADMIN_CLIENT_ID", ADMIN_ID, "IVS_ADMIN_CLIENT_SECRET", ADMIN_SECRET);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestIvs instance;

    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestIvs(int port) {
        this.port = port;
    }

    /** The one server of this JVM, started on first use and stopped when the JVM ends. */
    static synchronized TestIvs get() {
        if (instance == null) {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(application())
                    .run(
                            "--server.port=0",
                            "--ivs.data-dir=" + tempDir("ivs-cli-test-"),
                            "--ivs.security.bootstrap-client-id=" + ADMIN_ID,
                            "--ivs.security.bootstrap-client-secret=" + ADMIN_SECRET);
            Runtime.getRuntime().addShutdownHook(new Thread(context::close));
            Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
            assertThat(port).isNotNull();
            instance = new TestIvs(port);
        }
        return instance;
    }

    /**
     * The server's application class, found by name: once the reactor has packaged the server,
     * the compiler sees only its Spring Boot jar, whose classes it cannot read, while the tests
     * run with the server's compiled classes (see the pom).
     */
    private static Class<?> application() {
        try {
            return Class.forName("io.ivs.server.IvsApplication");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the server's classes are not on the class path", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A URL where nothing listens: a port just taken from the system and given back. */
    static String unreachableUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Answer(int status, String body, Map<String, java.util.List<String>> headers) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** A new environment with the default configuration, so tests never see each other's data. */
    String newEnvironment() {
        String env = "cli-" + UUID.randomUUID();
        Answer created = call("PUT", "/admin/environments/" + env, adminToken(env), null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return env;
    }

    String adminToken(String environment) {
        return token(ADMIN_ID, ADMIN_SECRET, environment);
    }

    /** Signs in over plain HTTP; answers the token, or fails the test. */
    String token(String clientId, String secret, String environment) {
        Answer answer = tokenAnswer(clientId, secret, environment);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("access_token").asString();
    }

    /** The answer of the token exchange, or of the first step when that one refuses. */
    Answer tokenAnswer(String clientId, String secret, String environment) {
        String form = "grant_type=client_credentials&client_id=" + form(clientId)
                + "&client_secret=" + form(secret);
        Answer assertion = send(HttpRequest.newBuilder(URI.create(url() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (assertion.status() != 200) {
            return assertion;
        }
        String exchange = JSON.createObjectNode()
                .put("grant_type", "client_credentials")
                .put("client_assertion_type", "aad_app")
                .put("client_assertion", assertion.json().path("access_token").asString())
                .put("context", environment)
                .toString();
        return send(HttpRequest.newBuilder(URI.create(url() + "/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exchange)));
    }

    Answer call(String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + token);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(request);
    }

    /** The bytes the export endpoint serves, for comparison with the CLI's file. */
    byte[] served(String env, String format) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        url() + "/api/environment/" + env + "/summary/export?format=" + format))
                .header("Authorization", "Bearer " + adminToken(env))
                .build();
        try {
            HttpResponse<byte[]> response =
                    http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(
                    request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The CLI run in this JVM, as main runs it, with this environment; output captured. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    static Run ivs(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = IvsCli.commandLine(environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
