package io.ivs.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Allocation writes from many real threads at once against real PostgreSQL (spec C-B12): the
 * pool is never over-allocated, no bucket goes below zero, every accepted request counts exactly
 * once and every refusal was a true shortage at its moment.
 */
class AllocationConcurrencyIntegrationTest extends AllocationTestSupport {
    private static final int THREADS = 16;
    private static final int SUPPLY = 100;
    private static final long SEED = 20_260_805L;
    private static final long TIMEOUT_SECONDS = 300;
    private static final Pattern AVAILABLE =
            Pattern.compile("available to allocate is (-?\\d+), (\\d+) requested");
    private static final Pattern HELD =
            Pattern.compile("holds (-?\\d+) allocated, (\\d+) requested");
    private static final List<Map<String, String>> PATHS = List.of(
            US,
            EU,
            groups("Online", "VIP"),
            groups("Store"),
            groups("Store", "Normal", "US", "Rush"));

    /** One request a thread sends: the operation, its body and what it moves. */
    private record Call(
            String operation,
            Map<String, Object> body,
            int quantity,
            String path,
            String sourcePath,
            boolean lowersInbound) {}

    /** A call with the answer it got. */
    private record Outcome(Call call, int status, JsonNode answer) {
        boolean succeeded() {
            return status == 200;
        }
    }

    private static String key(Map<String, String> groups) {
        return String.join("/", groups.values());
    }

    /** Runs every thread's calls at once behind a start gate; answers every outcome. */
    private List<Outcome> race(List<List<Call>> callsByThread) throws Exception {
        CountDownLatch ready = new CountDownLatch(callsByThread.size());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callsByThread.size());
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<Call> calls : callsByThread) {
                done.add(pool.submit(() -> {
                    IvsClient own = new IvsClient(port);
                    ready.countDown();
                    if (!start.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start gate never opened");
                    }
                    for (Call call : calls) {
                        IvsClient.Response response = own.post(
                                api("/allocation/" + call.operation()),
                                IvsClient.json(call.body()));
                        outcomes.add(new Outcome(call, response.status(), response.json()));
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
        int sent = callsByThread.stream().mapToInt(List::size).sum();
        assertThat(outcomes).hasSize(sent);
        return List.copyOf(outcomes);
    }

    /**
     * Every answer is a success or a 409 shortage whose message shows that the quantity really
     * exceeded what was there at that moment; answers the smallest refused quantity.
     */
    private static int assertOnlyTrueShortages(List<Outcome> outcomes, Pattern shortage) {
        int smallestRefused = Integer.MAX_VALUE;
        for (Outcome outcome : outcomes) {
            JsonNode answer = outcome.answer();
            assertThat(answer.path("id").asString())
                    .isEqualTo(outcome.call().body().get("id"));
            assertThat(answer.path("statusCode").asInt()).isEqualTo(outcome.status());
            if (outcome.succeeded()) {
                assertThat(answer.path("processingStatus").asString()).isEqualTo("success");
                continue;
            }
            assertThat(outcome.status()).as(answer.toString()).isEqualTo(409);
            assertThat(answer.path("processingStatus").asString()).isEqualTo("failure");
            Matcher matcher = shortage.matcher(answer.path("message").asString());
            assertThat(matcher.find()).as(answer.toString()).isTrue();
            int there = Integer.parseInt(matcher.group(1));
            int requested = Integer.parseInt(matcher.group(2));
            assertThat(requested).isEqualTo(outcome.call().quantity());
            assertThat(there).as(answer.toString()).isLessThan(requested);
            smallestRefused = Math.min(smallestRefused, requested);
        }
        return smallestRefused;
    }

    private static int succeededQuantity(List<Outcome> outcomes) {
        return outcomes.stream()
                .filter(Outcome::succeeded)
                .mapToInt(o -> o.call().quantity())
                .sum();
    }

    @Test
    void allocate_manyThreadsOverSeveralPaths_neverExceedsAvailable() throws Exception {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", SUPPLY);
        assertThat(ata()).isEqualTo("100");
        Random random = new Random(SEED);
        List<List<Call>> callsByThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Map<String, String> path = PATHS.get(random.nextInt(PATHS.size()));
                int quantity = 1 + random.nextInt(3);
                calls.add(new Call(
                        "allocate",
                        request("t" + t + "-" + i, path, quantity),
                        quantity,
                        key(path),
                        "",
                        false));
            }
            callsByThread.add(calls);
        }

        List<Outcome> outcomes = race(callsByThread);

        int smallestRefused = assertOnlyTrueShortages(outcomes, AVAILABLE);
        int total = succeededQuantity(outcomes);
        // 320 requests of 1 to 3 ask for far more than 100: some must have been refused
        assertThat(smallestRefused).isLessThan(Integer.MAX_VALUE);
        assertThat(total).isLessThanOrEqualTo(SUPPLY);
        int left = SUPPLY - total;
        assertThat(left).isGreaterThanOrEqualTo(0).isLessThan(smallestRefused);
        assertThat(ata()).isEqualTo(String.valueOf(left));
        assertThat(onHand("@iv.@allocated")).isEqualTo(String.valueOf(total));
        assertThat(onHand("@iv.@cumulative_allocated")).isEqualTo(String.valueOf(total));
        Map<String, Integer> expected = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            if (outcome.succeeded()) {
                expected.merge(outcome.call().path(), outcome.call().quantity(), Integer::sum);
            }
        }
        Map<String, Balance> expectedBuckets = new TreeMap<>();
        expected.forEach((path, q) -> expectedBuckets.put(path, balance(q, 0, q, 0)));
        assertThat(buckets()).isEqualTo(expectedBuckets);
    }

    @Test
    void consume_manyThreadsOnOneBucket_neverGoesBelowZero() throws Exception {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", SUPPLY);
        success("allocate", request("seed", US, 30));
        Random random = new Random(SEED + 1);
        List<List<Call>> callsByThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int quantity = 1 + random.nextInt(3);
                Map<String, Object> body = consumption(
                        "c" + t + "-" + i, US, quantity, "pos", "inbound", "Subtraction");
                calls.add(new Call("consume", body, quantity, key(US), "", true));
            }
            callsByThread.add(calls);
        }

        List<Outcome> outcomes = race(callsByThread);

        int smallestRefused = assertOnlyTrueShortages(outcomes, HELD);
        int consumed = succeededQuantity(outcomes);
        assertThat(smallestRefused).isLessThan(Integer.MAX_VALUE);
        assertThat(consumed).isLessThanOrEqualTo(30);
        int left = 30 - consumed;
        assertThat(left).isGreaterThanOrEqualTo(0).isLessThan(smallestRefused);
        assertThat(bucket(US)).isEqualTo(balance(left, consumed, 30, consumed));
        assertThat(onHand("@iv.@allocated")).isEqualTo(String.valueOf(left));
        assertThat(onHand("@iv.@consumed")).isEqualTo(String.valueOf(consumed));
        assertThat(onHand("pos.inbound")).isEqualTo(String.valueOf(SUPPLY - consumed));
        // consume lowers supply and allocation alike: the pool stays at 100 - 30
        assertThat(ata()).isEqualTo("70");
    }

    @Test
    void mixedWrites_manyThreads_keepBucketsAndRecordInStep() throws Exception {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", SUPPLY);
        Random random = new Random(SEED + 2);
        List<String> operations = List.of("allocate", "unallocate", "reallocate", "consume");
        List<List<Call>> callsByThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                String operation = operations.get(random.nextInt(operations.size()));
                // allocations twice as likely, so the other writes find quota to work on
                if (random.nextBoolean()) {
                    operation = "allocate";
                }
                Map<String, String> path = PATHS.get(random.nextInt(PATHS.size()));
                Map<String, String> source = PATHS.get(random.nextInt(PATHS.size()));
                while (source.equals(path)) {
                    source = PATHS.get(random.nextInt(PATHS.size()));
                }
                int quantity = 1 + random.nextInt(3);
                String id = "m" + t + "-" + i;
                boolean lowersInbound = operation.equals("consume") && random.nextBoolean();
                Map<String, Object> body = switch (operation) {
                    case "reallocate" -> reallocation(id, source, path, quantity);
                    case "consume" ->
                        lowersInbound
                                ? consumption(id, path, quantity, "pos", "inbound", "Subtraction")
                                : request(id, path, quantity);
                    default -> request(id, path, quantity);
                };
                calls.add(new Call(
                        operation,
                        body,
                        quantity,
                        key(path),
                        operation.equals("reallocate") ? key(source) : "",
                        lowersInbound));
            }
            callsByThread.add(calls);
        }

        List<Outcome> outcomes = race(callsByThread);

        // every write commutes, so the final state is fixed by the set of accepted writes
        Map<String, int[]> expected = new TreeMap<>();
        int allocated = 0;
        int cumulativeAllocated = 0;
        int consumed = 0;
        int inbound = SUPPLY;
        for (Outcome outcome : outcomes) {
            Call call = outcome.call();
            if (!outcome.succeeded()) {
                assertThat(outcome.status()).as(outcome.answer().toString()).isEqualTo(409);
                continue;
            }
            int q = call.quantity();
            int[] target = expected.computeIfAbsent(call.path(), p -> new int[4]);
            switch (call.operation()) {
                case "allocate" -> {
                    target[0] += q;
                    target[2] += q;
                    allocated += q;
                    cumulativeAllocated += q;
                }
                case "unallocate" -> {
                    target[0] -= q;
                    allocated -= q;
                }
                case "reallocate" -> {
                    expected.computeIfAbsent(call.sourcePath(), p -> new int[4])[0] -= q;
                    target[0] += q;
                    target[2] += q;
                    cumulativeAllocated += q;
                }
                case "consume" -> {
                    target[0] -= q;
                    target[1] += q;
                    target[3] += q;
                    allocated -= q;
                    consumed += q;
                    inbound -= call.lowersInbound() ? q : 0;
                }
                default -> throw new IllegalStateException(call.operation());
            }
        }
        Map<String, Balance> expectedBuckets = new TreeMap<>();
        expected.forEach((path, b) -> expectedBuckets.put(path, balance(b[0], b[1], b[2], b[3])));
        Map<String, Balance> actual = buckets();
        // a bucket a refused write never touched may be absent; one with balances is present
        expectedBuckets.values().removeIf(b -> b.equals(balance(0, 0, 0, 0)));
        actual.values().removeIf(b -> b.equals(balance(0, 0, 0, 0)));
        assertThat(actual).isEqualTo(expectedBuckets);
        for (Balance balance : actual.values()) {
            assertThat(Integer.parseInt(balance.allocated())).isGreaterThanOrEqualTo(0);
        }
        assertThat(outcomes.stream().filter(Outcome::succeeded).count()).isPositive();
        assertThat(onHand("@iv.@allocated")).isEqualTo(String.valueOf(allocated));
        assertThat(onHand("@iv.@cumulative_allocated"))
                .isEqualTo(String.valueOf(cumulativeAllocated));
        assertThat(onHand("@iv.@consumed")).isEqualTo(String.valueOf(consumed));
        assertThat(onHand("pos.inbound")).isEqualTo(String.valueOf(inbound));
        assertThat(Integer.parseInt(ata())).isEqualTo(inbound - allocated).isNotNegative();
    }

    @Test
    void allocate_sameIdFromManyThreads_appliesOnce() throws Exception {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", SUPPLY);
        Map<String, Object> body = request("same", US, 5);
        List<List<Call>> callsByThread = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            callsByThread.add(List.of(new Call("allocate", body, 5, key(US), "", false)));
        }

        List<Outcome> outcomes = race(callsByThread);

        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.status()).as(o.answer().toString()).isEqualTo(200);
            assertThat(o.answer()).isEqualTo(outcomes.get(0).answer());
        });
        assertThat(bucket(US)).isEqualTo(balance(5, 0, 5, 0));
        assertThat(ata()).isEqualTo("95");
    }
}
