package io.ivs.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/**
 * A real IVS for the client's tests, started once per test JVM from the server's classes on a
 * random port, backed by embedded PostgreSQL, with a bootstrap administrator (as ivs-cli's
 * tests start it).
 */
final class TestServer {
    static final String ADMIN_ID = "ivs-client-test-admin";
    static final String ADMIN_SECRET = "ivs-client-test-admin-secret-for-tests-only";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer instance;

    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(int port) {
        this.port = port;
    }

    static synchronized TestServer get() {
        if (instance == null) {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(application())
                    .run(
                            "--server.port=0",
                            "--ivs.data-dir=" + tempDir(),
                            "--ivs.security.bootstrap-client-id=" + ADMIN_ID,
                            "--ivs.security.bootstrap-client-secret=" + ADMIN_SECRET);
            Runtime.getRuntime().addShutdownHook(new Thread(context::close));
            Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
            assertThat(port).isNotNull();
            instance = new TestServer(port);
        }
        return instance;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Switches soft reservations on with plain HTTP, as the README does: the configuration
     * document is passed through whole, and the test is about the generated client's calls.
     */
    void enableReservations(String env, String token) {
        String path = url() + "/api/environment/" + env + "/configuration";
        ObjectNode document = (ObjectNode) read(send(HttpRequest.newBuilder(URI.create(path))
                .header("Authorization", "Bearer " + token)
                .GET()));
        ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
        send(HttpRequest.newBuilder(URI.create(path + "/hardupdate"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(document.toString())));
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> application() {
        try {
            return Class.forName("io.ivs.server.IvsApplication");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the server's classes are not on the class path", e);
        }
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("ivs-client-test-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
