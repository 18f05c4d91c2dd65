package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Eight clients post bulk change events for the same few records at once. Every event must count
 * exactly once, whatever the interleaving: no lost update, no deadlock surfacing as an error, no
 * duplicate applied twice when the same event ids race each other (spec §2.2, A1, A4).
 */
class ConcurrentWritesIntegrationTest extends HttpTestSupport {
    private static final int THREADS = 8;
    private static final int REQUESTS_PER_THREAD = 25;
    private static final int EVENTS_PER_REQUEST = 50;
    private static final List<String> COLORS = List.of("red", "black", "blue");
    private static final List<String> MEASURES = List.of("inbound", "outbound");
    private static final long SEED = 20_260_417L;
    private static final long TIMEOUT_SECONDS = 300;

    /** One change event: deltas per pos measure for (usmf, T-shirt, site 1, loc 11, color). */
    private record Event(String id, String color, Map<String, BigDecimal> quantities) {
        Map<String, Object> body() {
            return IvsClient.map(
                    "id",
                    id,
                    "organizationId",
                    "usmf",
                    "productId",
                    "T-shirt",
                    "dimensions",
                    IvsClient.map("siteId", "1", "locationId", "11", "colorId", color),
                    "quantities",
                    IvsClient.map("pos", quantities));
        }
    }

    private static Event randomEvent(String id, Random random) {
        Map<String, BigDecimal> quantities = new LinkedHashMap<>();
        List<String> measures = new ArrayList<>(MEASURES);
        Collections.shuffle(measures, random);
        int count = 1 + random.nextInt(MEASURES.size());
        for (String measure : measures.subList(0, count)) {
            // Two decimals and occasionally negative, so a lost or doubled event shows in the sum.
            quantities.put(measure, BigDecimal.valueOf(random.nextInt(-2_000, 10_000), 2));
        }
        return new Event(id, COLORS.get(random.nextInt(COLORS.size())), quantities);
    }

    /** The exact expected totals: color, then measure, summed once per distinct event. */
    private static Map<String, Map<String, BigDecimal>> totals(List<Event> events) {
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        for (Event event : events) {
            Map<String, BigDecimal> byMeasure =
                    totals.computeIfAbsent(event.color(), c -> new TreeMap<>());
            event.quantities()
                    .forEach((measure, quantity) ->
                            byMeasure.merge(measure, quantity, BigDecimal::add));
        }
        return totals;
    }

    /** Runs every thread's requests at once behind a start gate; answers the failures seen. */
    private List<String> race(List<List<List<Event>>> requestsByThread) throws Exception {
        CountDownLatch ready = new CountDownLatch(requestsByThread.size());
        CountDownLatch start = new CountDownLatch(1);
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(requestsByThread.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < requestsByThread.size(); t++) {
                List<List<Event>> requests = requestsByThread.get(t);
                String thread = "thread " + t;
                done.add(pool.submit(() -> {
                    IvsClient own = new IvsClient(port);
                    ready.countDown();
                    start.await();
                    for (List<Event> request : requests) {
                        post(own, thread, request, failures);
                    }
                    return null;
                }));
            }
            assertThat(ready.await(60, TimeUnit.SECONDS))
                    .as("all threads ready")
                    .isTrue();
            start.countDown();
            for (Future<?> future : done) {
                future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        return List.copyOf(failures);
    }

    private void post(IvsClient own, String thread, List<Event> request, Queue<String> failures) {
        String body = IvsClient.json(request.stream().map(Event::body).toList());
        IvsClient.Response response = own.post(api("/onhand/bulk"), body);
        if (response.status() != 200) {
            failures.add(thread + ": HTTP " + response.status() + " " + response.body());
            return;
        }
        JsonNode items = response.json();
        if (items.size() != request.size()) {
            failures.add(
                    thread + ": " + items.size() + " answers for " + request.size() + " events");
            return;
        }
        for (int i = 0; i < request.size(); i++) {
            JsonNode item = items.get(i);
            boolean success = "success".equals(item.path("processingStatus").asString())
                    && item.path("statusCode").asInt() == 200
                    && request.get(i).id().equals(item.path("id").asString());
            if (!success) {
                failures.add(thread + ": event " + request.get(i).id() + " answered " + item);
            }
        }
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(List.copyOf(items.subList(from, Math.min(items.size(), from + size))));
        }
        return chunks;
    }

    private void assertTotals(Map<String, Map<String, BigDecimal>> expected, String context) {
        IvsClient.Response response = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["T-shirt"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"], "returnNegative": true}""");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Map<String, String>> actual = new TreeMap<>();
        for (JsonNode row : response.json()) {
            Map<String, String> byMeasure = new TreeMap<>();
            for (String measure : MEASURES) {
                byMeasure.put(measure, quantity(row, "pos", measure));
            }
            actual.put(row.path("dimensions").path("ColorId").asString(), byMeasure);
        }
        Map<String, Map<String, String>> wanted = new TreeMap<>();
        expected.forEach((color, byMeasure) -> {
            Map<String, String> plain = new TreeMap<>();
            for (String measure : MEASURES) {
                BigDecimal sum = byMeasure.get(measure);
                plain.put(measure, sum == null ? null : sum.stripTrailingZeros().toPlainString());
            }
            wanted.put(color, plain);
        });
        assertThat(actual).as(context).isEqualTo(wanted);
    }

    @Test
    void bulkChanges_eightThreadsOnSameRecords_sumExactly() throws Exception {
        Random random = new Random(SEED);
        List<Event> all = new ArrayList<>();
        List<List<List<Event>>> requestsByThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<List<Event>> requests = new ArrayList<>();
            for (int r = 0; r < REQUESTS_PER_THREAD; r++) {
                List<Event> request = new ArrayList<>();
                for (int e = 0; e < EVENTS_PER_REQUEST; e++) {
                    request.add(randomEvent("t" + t + "-r" + r + "-e" + e, random));
                }
                all.addAll(request);
                requests.add(request);
            }
            requestsByThread.add(requests);
        }

        List<String> failures = race(requestsByThread);

        assertThat(failures).as("seed %d: failed answers", SEED).isEmpty();
        assertTotals(totals(all), "seed " + SEED + ": totals after " + all.size() + " events");
    }

    @Test
    void bulkChanges_everyThreadResendsTheSameIds_eachEventCountsOnce() throws Exception {
        Random random = new Random(SEED + 1);
        List<Event> pool = new ArrayList<>();
        for (int e = 0; e < REQUESTS_PER_THREAD * EVENTS_PER_REQUEST; e++) {
            pool.add(randomEvent("dup-" + e, random));
        }
        List<List<List<Event>>> requestsByThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            // Each thread sends every event, grouped and ordered differently from the others.
            List<Event> order = new ArrayList<>(pool);
            Collections.shuffle(order, new Random(SEED + 100 + t));
            requestsByThread.add(chunks(order, EVENTS_PER_REQUEST));
        }

        List<String> failures = race(requestsByThread);

        assertThat(failures).as("seed %d: failed answers", SEED + 1).isEmpty();
        assertTotals(
                totals(pool), "seed " + (SEED + 1) + ": each of " + pool.size() + " events once");
    }
}
