package io.ivs.bench;

import org.HdrHistogram.Histogram;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    static final String SUMMARY_SCENARIO = "summary delay (commit to inventory_summary row)";
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
        measureSummary();
    }

    /**
     * The delay from commit to the inventory summary in immediate mode: the same paced writer;
     * a poller reads {@code inventory_summary} every 5 ms and notes when each product's row
     * first appears.
     */
    private void measureSummary() throws Exception {
        target.enableImmediateSummary();
        awaitFollower();
        int events = options.measure().toSeconds() >= 10 ? 1_000 : 200;
        String run = "summary-" + System.nanoTime();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                Connection con = target.connect(null)) {
            Future<?> poller = threads.submit(() -> pollSummary(con, run, seen, stop));
            long begin = System.nanoTime();
            postPaced(run, events, acknowledged, errors, begin);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!seen.keySet().containsAll(acknowledged.keySet())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            stop.set(true);
            poller.get(30, TimeUnit.SECONDS);
            report(SUMMARY_SCENARIO, 1, acknowledged, seen, errors.get(), seconds, "rows");
        }
    }

    private void awaitFollower() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Connection con = target.connect(null);
                PreparedStatement ps = con.prepareStatement(
                        "select count(*) from feed_cursor where environment_id = ?")) {
            ps.setString(1, Target.ENVIRONMENT);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the summary follower did not start within 10 minutes");
    }

    private void pollSummary(
            Connection con, String run, Map<String, Long> seen, AtomicBoolean stop) {
        try (PreparedStatement ps = con.prepareStatement(
                "select product_id from inventory_summary where environment_id = ?"
                        + " and updated_at > now() - interval '5 minutes'")) {
            ps.setString(1, Target.ENVIRONMENT);
            while (!stop.get()) {
                try (ResultSet rs = ps.executeQuery()) {
                    long now = System.nanoTime();
                    while (rs.next()) {
                        String product = rs.getString(1);
                        if (product.startsWith(run)) {
                            seen.putIfAbsent(product, now);
                        }
                    }
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            if (!stop.get()) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void measure(String condition, int bulkClients) throws Exception {
        int events = options.measure().toSeconds() >= 10 ? 1_000 : 200;
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
            postPaced(run, events, acknowledged, errors, begin);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!received.keySet().containsAll(acknowledged.keySet())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            stop.set(true);
            consumer.get(30, TimeUnit.SECONDS);
            report(
                    SCENARIO + ", " + condition,
                    1 + bulkClients,
                    acknowledged,
                    received,
                    errors.get(),
                    seconds,
                    "changes");
        }
    }

    /** Posts one event per product at the pace; notes when each was acknowledged. */
    private void postPaced(
            String run, int events, Map<String, Long> acknowledged, AtomicLong errors, long begin)
            throws Exception {
        Duration pace = Duration.ofMillis(10);
        for (int i = 0; i < events; i++) {
            String product = run + "-" + i;
            Events.Event event = new Events.Event(product + "-e", product, "s1", "l1", "red", 1);
            Http.Response response =
                    target.http.post(Target.ENVIRONMENT, Target.api("/onhand"), Events.json(event));
            if (response.statusCode() == 200) {
                acknowledged.put(product, System.nanoTime());
            } else {
                errors.incrementAndGet();
            }
            long sleep = begin + (i + 1) * pace.toNanos() - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
    }

    private void report(
            String scenario,
            int clients,
            Map<String, Long> acknowledged,
            Map<String, Long> seen,
            long errors,
            double seconds,
            String what) {
        Histogram delays = new Histogram(Load.LATENCY_MICROS_MAX, 3);
        long missing = 0;
        for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
            Long at = seen.get(ack.getKey());
            if (at == null) {
                missing++;
            } else {
                delays.recordValue(Math.max(0, (at - ack.getValue()) / 1_000));
            }
        }
        Load.Measured measured =
                new Load.Measured(delays.getTotalCount(), 0, errors + missing, seconds, delays);
        report.add(Row.of(
                scenario,
                Row.IVS,
                clients,
                1,
                measured,
                "latency columns are the delay; " + missing + " " + what + " never seen"));
    }

    private String cursor() throws Exception {
        Http.Response response =
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
                Http.Response response = target.http.get(
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
