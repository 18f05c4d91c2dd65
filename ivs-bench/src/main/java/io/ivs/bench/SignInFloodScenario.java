package io.ivs.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * API query latency with no sign-in flood and during a wrong-secret flood of {@code POST
 * /oauth2/token}, side by side. Each flood try names a new, unknown client id (still one BCrypt
 * check per try without limits), from one address or from {@link #FLOOD_ADDRESSES} loopback
 * addresses (a flood from many hosts, which the per-address limits cannot stop alone). A
 * limited flood from one address is measured once its limit answers, in its steady state; the
 * flood from many addresses is measured while each address still has failures left, so that
 * only the bound on concurrent secret checks protects the API. The
 * flood is paced at {@link #FLOOD_TRIES_PER_SECOND}, far above what BCrypt allowed before the
 * limits (about 25 per second), so that its own client does not take over the shared machine.
 */
final class SignInFloodScenario {
    static final String SCENARIO = "queries during a sign-in flood";
    static final int FLOOD_THREADS = 16;
    static final int FLOOD_ADDRESSES = 16;
    static final int FLOOD_TRIES_PER_SECOND = 400;
    static final int QUERY_PRODUCTS = 10;
    /** Percentiles of a 2 s window (quick mode) say little; the floods are measured longer. */
    static final Duration MEASURE_MIN = Duration.ofSeconds(5);
    /** Bound on waiting for a limited flood to be refused. */
    static final Duration SETTLE_MAX = Duration.ofSeconds(60);

    /** The flood of one measurement: none, from one address, or from many. */
    enum Flood {
        NONE("no flood"),
        ONE_ADDRESS("flood from 1 address"),
        MANY_ADDRESSES("flood from " + FLOOD_ADDRESSES + " addresses");

        final String label;

        Flood(String label) {
            this.label = label;
        }
    }

    private final Options options;
    private final Target target;
    private final Report report;
    private final String system;
    private final boolean limited;

    /**
     * @param system how the report names this server ("IVS", or "IVS, limits off")
     * @param limited whether the server limits sign-ins: then a flood from one address is
     *     measured once its limit answers (its first tries are checked, up to the limit)
     */
    SignInFloodScenario(
            Options options, Target target, Report report, String system, boolean limited) {
        this.options = options;
        this.target = target;
        this.report = report;
        this.system = system;
        this.limited = limited;
    }

    void run(List<Flood> floods) throws Exception {
        for (Flood flood : floods) {
            measure(flood);
        }
    }

    private void measure(Flood flood) throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        long[] answers = new long[3];
        Load.Measured queries;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> floods = new ArrayList<>();
            if (flood != Flood.NONE) {
                for (int t = 0; t < FLOOD_THREADS; t++) {
                    HttpClient client = floodClient(flood, t);
                    floods.add(threads.submit(() -> floodLoop(client, flooding, answers)));
                }
            }
            if (flood == Flood.ONE_ADDRESS && limited) {
                awaitRefusals(answers);
            }
            synchronized (answers) {
                Arrays.fill(answers, 0);
            }
            queries = Load.run(plan(), (worker, sequence) -> query(worker, sequence));
            flooding.set(false);
            for (Future<?> f : floods) {
                f.get();
            }
        }
        String note = flood == Flood.NONE
                ? flood.label
                : flood.label + ": in the window " + answers[0]
                        + " tries answered 401 (secret checked), " + answers[1] + " answered 429, "
                        + answers[2] + " other";
        Row row = Row.of(SCENARIO, system, options.queryClients(), 1, queries, note);
        report.add(row);
        System.out.printf(
                "bench: %s, %s: query p50 %.2f ms, p99 %.2f ms, %.0f queries/s%s%n",
                system,
                flood.label,
                row.p50Millis(),
                row.p99Millis(),
                row.requestsPerSecond(),
                flood == Flood.NONE ? "" : "; " + note.substring(note.indexOf(':') + 2));
    }

    /** The query variants' plan, measured for at least {@link #MEASURE_MIN}. */
    private Load.Plan plan() {
        Load.Plan queries = options.queryPlan();
        return queries.measure().compareTo(MEASURE_MIN) >= 0
                ? queries
                : new Load.Plan(
                        queries.concurrency(), queries.warmUp(), MEASURE_MIN, Long.MAX_VALUE);
    }

    /**
     * Waits (a bounded time) until the flood's tries are refused: every thread about twice, so
     * that the tries admitted before the limit was reached have all been checked.
     */
    private static void awaitRefusals(long[] answers) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (answers) {
                if (answers[1] >= 2L * FLOOD_THREADS) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    private Outcome query(int worker, long sequence) throws IOException {
        SplittableRandom random = new SplittableRandom(worker * 9_000_011L + sequence);
        List<String> products = new ArrayList<>(QUERY_PRODUCTS);
        for (int i = 0; i < QUERY_PRODUCTS; i++) {
            products.add(WarmUp.PRODUCT_PREFIX + random.nextInt(WarmUp.PRODUCTS));
        }
        Http.Response response = target.http.post(
                Target.ENVIRONMENT,
                Target.api("/onhand/indexquery"),
                Target.queryBody(products, List.of()));
        return response.statusCode() == 200 ? Outcome.OK : Outcome.ERROR;
    }

    /** One flood thread: wrong secrets, paced, until told to stop; counts the answers. */
    private Void floodLoop(HttpClient client, AtomicBoolean flooding, long[] answers)
            throws InterruptedException {
        long intervalNanos = 1_000_000_000L * FLOOD_THREADS / FLOOD_TRIES_PER_SECOND;
        long next = System.nanoTime();
        while (flooding.get()) {
            int status = tryWrongSecret(client);
            synchronized (answers) {
                answers[status == 401 ? 0 : status == 429 ? 1 : 2]++;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
        }
        return null;
    }

    private int tryWrongSecret(HttpClient client) throws InterruptedException {
        String form = "grant_type=client_credentials&client_id=flood-" + UUID.randomUUID()
                + "&client_secret=wrong-" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(target.http.base() + "/oauth2/token"))
                .timeout(Http.REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The JDK client can choose its source address; Apache's blocking client cannot easily. */
    private static HttpClient floodClient(Flood flood, int thread) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (flood == Flood.MANY_ADDRESSES) {
            builder.localAddress(
                    InetAddress.getByName("127.0.0." + (20 + thread % FLOOD_ADDRESSES)));
        }
        return builder.build();
    }
}
