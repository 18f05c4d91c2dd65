package io.ivs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call whose answer says it changed nothing and may be sent again ({@code Retry-After} on a
 * 409, 429 or 503) is sent again, over real HTTP, and only such a call: a refusal is not.
 */
class IvsApiRetryTest {
    private record Answer(int status, boolean retryAfter, String body) {}

    private final Deque<Answer> answers = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    IvsApiRetryTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Answer answer = answers.isEmpty() ? new Answer(200, false, "[]") : answers.poll();
            if (answer.retryAfter()) {
                exchange.getResponseHeaders().add("Retry-After", "0");
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private IvsApi api() {
        return new IvsApi("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void deadlockVictimAndOutage_areSentAgainUntilTheyGoIn() {
        answers.add(new Answer(409, true, "{\"message\":\"send it again\"}"));
        answers.add(new Answer(503, true, "{\"message\":\"retry later\"}"));
        answers.add(new Answer(200, false, "[{\"statusCode\":200}]"));

        String body = api().call("POST", "/api/environment/e/onhand/bulk", "t", "[]");

        assertThat(body).isEqualTo("[{\"statusCode\":200}]");
        assertThat(requests).hasValue(3);
    }

    @Test
    void conflictWithoutRetryAfter_isARefusalAndSentOnce() {
        answers.add(new Answer(409, false, "{\"message\":\"event id reused\"}"));

        assertThatThrownBy(() -> api().call("POST", "/api/environment/e/onhand", "t", "{}"))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("409")
                .hasMessageContaining("event id reused");
        assertThat(requests).hasValue(1);
    }

    @Test
    void retryable_givesUpAfterItsTries() {
        for (int i = 0; i < IvsApi.RETRIES_MAX + 2; i++) {
            answers.add(new Answer(503, true, "{\"message\":\"retry later\"}"));
        }

        assertThatThrownBy(() -> api().call("GET", "/api/environment/e/x", "t", null))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("503");
        assertThat(requests).hasValue(IvsApi.RETRIES_MAX);
    }
}
