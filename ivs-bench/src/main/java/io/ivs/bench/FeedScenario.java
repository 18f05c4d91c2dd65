package io.ivs.bench;

import org.HdrHistogram.Histogram;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The delay from commit to the change feed: one writer posts single change events, each for a
 * product of its own, at a steady pace; a consumer long-polls {@code GET …/changes}. The delay of
 * an event is the time from the writer receiving its 200 (the commit is acknowledged) to the
 * consumer receiving the change; an event the consumer saw first counts as 0. Run idle and with
 * bulk ingest going on at the same time.
 */
final class FeedScenario {
    static final String SCENARIO = "change feed delay (commit to consumer)";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Options options;
    private final Target target;
    private final Report report;

    FeedScenario(Options options, Target target, Report report) {
        this.options = options;
        this.target = target;
        this.report = report;
    }

    void run() throws Exception {
        measure("idle", 0);
        measure("during bulk ingest", 2);
    }

    private void measure(String condition, int bulkClients) throws Exception {
        int events = options.measure().toSeconds() >= 10 ? 1_000 : 200;
        Duration pace = Duration.ofMillis(10);
        String run = "feed-" + condition.replace(' ', '-') + "-" + System.nanoTime();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, Long> received = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        String start = cursor();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> consumer = threads.submit(() -> consume(start, run, received, stop));
            for (int b = 0; b < bulkClients; b++) {
                int client = b;
                threads.submit(() -> bulkLoad(run + "-bulk" + client, stop));
            }
            long begin = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String product = run + "-" + i;
                Events.Event event =
                        new Events.Event(product + "-e", product, "s1", "l1", "red", 1);
                HttpResponse<byte[]> response = target.http.post(
                        Target.ENVIRONMENT, Target.api("/onhand"), Events.json(event));
                if (response.statusCode() == 200) {
                    acknowledged.put(product, System.nanoTime());
                } else {
                    errors.incrementAndGet();
                }
                long next = begin + (i + 1) * pace.toNanos();
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!received.keySet().containsAll(acknowledged.keySet())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            stop.set(true);
            consumer.get(30, TimeUnit.SECONDS);
            Histogram delays = new Histogram(Load.LATENCY_MICROS_MAX, 3);
            long missing = 0;
            for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                Long seen = received.get(ack.getKey());
                if (seen == null) {
                    missing++;
                } else {
                    delays.recordValue(Math.max(0, (seen - ack.getValue()) / 1_000));
                }
            }
            Load.Measured measured = new Load.Measured(
                    delays.getTotalCount(), 0, errors.get() + missing, seconds, delays);
            report.add(Row.of(
                    SCENARIO + ", " + condition,
                    Row.IVS,
                    1 + bulkClients,
                    1,
                    measured,
                    "latency columns are the feed delay; " + missing + " changes never seen"));
        }
    }

    private String cursor() throws Exception {
        HttpResponse<byte[]> response =
                target.http.get(Target.ENVIRONMENT, Target.api("/changes?after=latest"));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("change feed answered " + response.statusCode());
        }
        return JSON.readTree(response.body()).path("next").asString();
    }

    private void consume(String start, String run, Map<String, Long> received, AtomicBoolean stop) {
        String cursor = start;
        while (!stop.get()) {
            try {
                HttpResponse<byte[]> response = target.http.get(
                        Target.ENVIRONMENT,
                        Target.api("/changes?after=" + cursor + "&limit=1000&wait=1"));
                long now = System.nanoTime();
                JsonNode page = JSON.readTree(response.body());
                for (JsonNode change : page.path("changes")) {
                    String product = change.path("productId").asString();
                    if (product.startsWith(run)) {
                        received.putIfAbsent(product, now);
                    }
                }
                cursor = page.path("next").asString(cursor);
            } catch (Exception e) {
                if (stop.get()) {
                    return;
                }
            }
        }
    }

    private void bulkLoad(String stream, AtomicBoolean stop) {
        long batch = 0;
        while (!stop.get()) {
            try {
                List<Events.Event> events =
                        Events.randomBatch(stream, batch++, Options.BULK_SIZE, options.space());
                target.http.post(
                        Target.ENVIRONMENT, Target.api("/onhand/bulk"), Events.json(events));
            } catch (Exception e) {
                return;
            }
        }
    }
}
