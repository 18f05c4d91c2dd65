package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash safety: a client streams bulk change events with unique ids and retries every request until
 * it gets an answer, while the IVS process is killed with SIGKILL and restarted several times, and
 * then its PostgreSQL is killed with SIGKILL and comes back under IVS's supervision. At the end
 * every event is counted exactly once. During the database outage the API answers 503 with a clear
 * message, readiness is DOWN, and service resumes without an IVS restart.
 *
 * <p>Runs once per build (not in CI's PostgreSQL 15 phase): the server under test always uses
 * its own embedded PostgreSQL, which the test kills.
 */
class CrashReliabilityTest {
    private static final long SEED = 6_2026L;
    private static final int SERVER_KILLS = 3;
    private static final int EVENTS_PER_REQUEST = 10;
    private static final int PRODUCTS = 4;
    /** How long IVS waits before starting its killed PostgreSQL again: the outage we observe. */
    private static final Duration RESTART_DELAY = Duration.ofSeconds(10);

    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(240);

    private static ChildServer server;
    private static IvsClient client;
    private static String env;

    @BeforeAll
    static void start() {
        server = new ChildServer(
                List.of("--ivs.embedded.restart-delay=" + RESTART_DELAY.toString()));
        server.start();
        client = new IvsClient(server.port());
        env = "crash-" + UUID.randomUUID();
        IvsClient.Response created = client.put("/admin/environments/" + env, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What the client was told: acknowledged quantity per product, and requests answered. */
    private static final class Ledger {
        final Map<String, Long> quantityByProduct = new ConcurrentHashMap<>();
        final AtomicInteger requestsAcknowledged = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final Map<Integer, Integer> retriedStatuses = new ConcurrentHashMap<>();
    }

    @Test
    void bulkStream_serverAndDatabaseKilledMidStream_everyEventCountedOnce() throws Exception {
        Ledger ledger = new Ledger();
        AtomicBoolean keepStreaming = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> stream = pool.submit(streamer(ledger, keepStreaming));
        try {
            long firstPid = server.pid();
            Random random = new Random(SEED);
            for (int kill = 0; kill < SERVER_KILLS; kill++) {
                awaitProgress(ledger, stream, 5 + random.nextInt(10));
                int before = ledger.requestsAcknowledged.get();
                server.kill();
                server.start();
                assertThat(server.pid()).isNotEqualTo(firstPid);
                assertThat(ledger.requestsAcknowledged.get() - before)
                        .as("the stream was still running at kill %d", kill)
                        .isLessThan(1_000);
            }
            awaitProgress(ledger, stream, 5);

            long ivsPid = server.pid();
            databaseOutage_answers503AndReadinessDown_thenServiceResumes();
            assertThat(server.pid()).as("IVS was not restarted").isEqualTo(ivsPid);
            awaitProgress(ledger, stream, 10);
        } finally {
            keepStreaming.set(false);
        }
        int requests = stream.get(STREAM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        pool.shutdownNow();

        System.out.printf(
                "crash test: %d bulk requests of %d events acknowledged, %d retries %s, %d"
                        + " server starts%n",
                requests,
                EVENTS_PER_REQUEST,
                ledger.retries.get(),
                ledger.retriedStatuses,
                server.starts());
        assertThat(ledger.retries.get()).as("the kills interrupted the stream").isPositive();
        assertThat(ledger.retriedStatuses).as("503s seen during the outage").containsKey(503);
        assertThat(storedQuantities())
                .as("stored quantities equal the client's ledger")
                .isEqualTo(new TreeMap<>(ledger.quantityByProduct));
        assertThat(server.logText())
                .as("the server log names the supervised restart")
                .contains("the embedded PostgreSQL is running again");
    }

    /** Kills the postmaster and checks the answers during the outage and after it. */
    private void databaseOutage_answers503AndReadinessDown_thenServiceResumes() throws Exception {
        String assertion = client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET);
        OptionalLong postmaster = server.postmasterPid();
        assertThat(postmaster).as("postmaster.pid").isPresent();
        ProcessHandle handle = ProcessHandle.of(postmaster.getAsLong()).orElseThrow();
        long killedAt = System.nanoTime();
        assertThat(handle.destroyForcibly()).isTrue();
        handle.onExit().get(30, TimeUnit.SECONDS);

        // The checks in parallel: each may wait up to the connection timeout (3 s).
        IvsClient anonymous = client.withoutAuth();
        String base = "/api/environment/" + env;
        List<Callable<IvsClient.Response>> calls = List.of(
                () -> client.post(base + "/onhand/indexquery", query()),
                () -> anonymous.get("/actuator/health/readiness"),
                () -> anonymous.get("/health/ping"),
                () -> client.clientCredentials(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET),
                () -> client.exchange(assertion, env));
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        List<IvsClient.Response> answers = new ArrayList<>();
        try {
            for (Future<IvsClient.Response> future : pool.invokeAll(calls)) {
                answers.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
                .as("all answered during the outage")
                .isLessThan(RESTART_DELAY);

        IvsClient.Response api = answers.get(0);
        assertThat(api.status()).as(api.body()).isEqualTo(503);
        assertThat(api.json().path("statusCode").asInt()).isEqualTo(503);
        assertThat(api.json().path("processingStatus").asString()).isEqualTo("failure");
        assertThat(api.json().path("message").asString()).contains("database is unavailable");
        IvsClient.Response readiness = answers.get(1);
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
        assertThat(readiness.json().path("status").asString()).isEqualTo("DOWN");
        IvsClient.Response ping = answers.get(2);
        assertThat(ping.status()).as(ping.body()).isEqualTo(503);
        IvsClient.Response token = answers.get(3);
        assertThat(token.status()).as(token.body()).isEqualTo(503);
        assertThat(token.json().path("detail").asString()).contains("database is unavailable");
        IvsClient.Response exchange = answers.get(4);
        assertThat(exchange.status()).as(exchange.body()).isEqualTo(503);
        for (IvsClient.Response answer : List.of(api, ping, token, exchange)) {
            assertThat(answer.body())
                    .as("a message, no stack trace")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
        // Readiness details name the failure for operators (show-details), but hold no trace.
        assertThat(readiness.body()).doesNotContain("\tat ");

        // IVS starts its PostgreSQL again after RESTART_DELAY; then everything answers again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        IvsClient.Response ready = anonymous.get("/actuator/health/readiness");
        while (ready.status() != 200 && System.nanoTime() < deadline) {
            ChildServer.sleep(Duration.ofMillis(500));
            ready = anonymous.get("/actuator/health/readiness");
        }
        assertThat(ready.status()).as(ready.body() + "\n" + server.logTail()).isEqualTo(200);
        IvsClient.Response after = client.post(base + "/onhand/indexquery", query());
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(server.postmasterPid()).isPresent().isNotEqualTo(postmaster);
    }

    /** Streams bulk requests until told to stop; each one is retried until it is answered. */
    private static Callable<Integer> streamer(Ledger ledger, AtomicBoolean keepStreaming) {
        return () -> {
            Random random = new Random(SEED + 1);
            int sent = 0;
            while (keepStreaming.get()) {
                List<Map<String, Object>> events = new ArrayList<>();
                Map<String, Long> quantities = new TreeMap<>();
                for (int i = 0; i < EVENTS_PER_REQUEST; i++) {
                    String product = "P" + random.nextInt(PRODUCTS);
                    long quantity = 1 + random.nextInt(9);
                    quantities.merge(product, quantity, Long::sum);
                    events.add(event("e-" + sent + "-" + i, product, quantity));
                }
                sendUntilAnswered(IvsClient.json(events), ledger);
                quantities.forEach((p, q) -> ledger.quantityByProduct.merge(p, q, Long::sum));
                ledger.requestsAcknowledged.incrementAndGet();
                sent++;
            }
            return sent;
        };
    }

    private static void sendUntilAnswered(String body, Ledger ledger) {
        long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
        String path = "/api/environment/" + env + "/onhand/bulk";
        while (System.nanoTime() < deadline) {
            int status;
            String text;
            try {
                IvsClient.Response response = client.post(path, body);
                status = response.status();
                text = response.body();
                if (status == 200) {
                    assertThat(response.json().findValuesAsString("processingStatus"))
                            .as(text)
                            .hasSize(EVENTS_PER_REQUEST)
                            .containsOnly("success");
                    return;
                }
            } catch (IllegalStateException | AssertionError e) {
                if (e instanceof AssertionError && e.getMessage().contains("processingStatus")) {
                    throw e;
                }
                // Connection refused or reset while the server restarts, or the sign-in
                // failed for the same reason.
                status = 0;
                text = e.toString();
            }
            assertThat(status).as("only outages are retried: " + text).isIn(0, 401, 503);
            ledger.retries.incrementAndGet();
            ledger.retriedStatuses.merge(status, 1, Integer::sum);
            ChildServer.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("no answer within " + STREAM_TIMEOUT + " for " + body);
    }

    private static void awaitProgress(Ledger ledger, Future<Integer> stream, int requests) {
        int target = ledger.requestsAcknowledged.get() + requests;
        long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
        while (ledger.requestsAcknowledged.get() < target) {
            assertThat(System.nanoTime()).as("stream progress").isLessThan(deadline);
            if (stream.isDone()) {
                try {
                    stream.get();
                } catch (Exception e) {
                    throw new AssertionError("the stream failed", e);
                }
            }
            ChildServer.sleep(Duration.ofMillis(20));
        }
    }

    private static Map<String, Object> event(String id, String product, long quantity) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                product,
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11", "colorId", "red"),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", quantity)));
    }

    private static String query() {
        return """
                {"filters": {"organizationId": ["usmf"], "productId": [],
                             "siteId": ["1"], "locationId": ["11"]},
                 "returnNegative": true}""";
    }

    private static Map<String, Long> storedQuantities() {
        IvsClient.Response response =
                client.post("/api/environment/" + env + "/onhand/indexquery", query());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Long> stored = new TreeMap<>();
        for (JsonNode row : response.json()) {
            stored.put(
                    row.path("productId").asString(),
                    row.path("quantities")
                            .path("pos")
                            .path("inbound")
                            .decimalValue()
                            .longValueExact());
        }
        return stored;
    }
}
