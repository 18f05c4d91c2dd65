package io.ivs.server.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.ivs.server.support.IvsClient;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A webhook receiver for tests: a JDK HTTP server that checks every request's signature with
 * the README's verifier and with the Standard Webhooks Java library (401 unless both accept it),
 * answers with the status its responder picks, and records every request in arrival order.
 */
public final class Receiver implements AutoCloseable {
    /** One request as received, with the status it was answered with. */
    public record Delivery(
            String path,
            String deliveryId,
            String subscriptionId,
            int attempt,
            boolean replay,
            boolean signatureValid,
            JsonNode body,
            int answered) {
        public boolean delivered() {
            return answered >= 200 && answered < 300;
        }

        public JsonNode change() {
            return body.path("change");
        }

        public String productId() {
            return change().path("productId").asString();
        }

        public long position() {
            return change().path("position").asLong();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String secret;
    private final List<Delivery> deliveries = new ArrayList<>();
    private volatile ToIntFunction<Delivery> responder = request -> 200;
    private volatile byte[] answer = new byte[0];
    private volatile boolean closeConnections;

    /**
     * Compiles the README verifier before a receiver needs it: compiling during the first request
     * takes longer than a delivery's timeout, and the retry would be a second delivery.
     */
    public static void warmUp() {
        ReadmeVerifier.verify(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "wh_1-1",
                "1",
                "v1,AA==",
                new byte[0],
                1,
                0);
    }

    public Receiver(String secret) {
        this(secret, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A receiver listening on {@code address} (a port of 0 picks a free one). */
    Receiver(String secret, InetSocketAddress address) {
        this.secret = secret;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The body of every answer from now on (none by default). */
    void answer(byte[] body) {
        this.answer = body.clone();
    }

    /** Whether each answer closes its connection, so that every request comes on a new one. */
    void closeConnections(boolean close) {
        this.closeConnections = close;
    }

    /** Decides the status of each request (given with {@code answered} 0). */
    void respond(ToIntFunction<Delivery> responder) {
        this.responder = responder;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        var headers = exchange.getRequestHeaders();
        String id = String.valueOf(headers.getFirst(WebhookSignature.ID));
        boolean valid = ReadmeVerifier.verify(
                        secret,
                        id,
                        String.valueOf(headers.getFirst(WebhookSignature.TIMESTAMP)),
                        String.valueOf(headers.getFirst(WebhookSignature.SIGNATURE)),
                        body,
                        System.currentTimeMillis() / 1000,
                        300)
                && StandardLibrary.verifies(secret, body, headers);
        Delivery request = new Delivery(
                exchange.getRequestURI().getPath(),
                id,
                String.valueOf(headers.getFirst(WebhookSender.SUBSCRIPTION_ID)),
                Integer.parseInt(headers.getFirst(WebhookSender.ATTEMPT)),
                "true".equals(headers.getFirst(WebhookSender.REPLAY)),
                valid,
                IvsClient.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8)),
                0);
        int status = valid ? responder.applyAsInt(request) : 401;
        synchronized (deliveries) {
            deliveries.add(new Delivery(
                    request.path(),
                    request.deliveryId(),
                    request.subscriptionId(),
                    request.attempt(),
                    request.replay(),
                    valid,
                    request.body(),
                    status));
        }
        if (closeConnections) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        byte[] reply = answer;
        exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
        try (var out = exchange.getResponseBody()) {
            out.write(reply);
        }
        exchange.close();
    }

    /** Every request so far, in arrival order. */
    public List<Delivery> all() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    public List<Delivery> delivered(String path) {
        return all().stream()
                .filter(Delivery::delivered)
                .filter(d -> d.path().equals(path))
                .toList();
    }

    /** Waits up to 20 seconds until the requests so far satisfy {@code condition}. */
    public List<Delivery> await(String what, Predicate<List<Delivery>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<Delivery> now = all();
            if (condition.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out waiting for " + what + "; received: " + summary(now));
            }
            sleep(Duration.ofMillis(20));
        }
    }

    public static String summary(List<Delivery> deliveries) {
        List<String> lines = new ArrayList<>();
        for (Delivery d : deliveries) {
            lines.add(d.path() + " " + d.deliveryId() + " #" + d.attempt() + " " + d.productId()
                    + " -> " + d.answered());
        }
        return String.join("\n", lines);
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
