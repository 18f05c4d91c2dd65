package io.ivs.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.environment.EnvironmentId;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Items are event ids; an answer is the event id followed by what ran it. */
class CombinerTest {
    private static final int REQUESTS = 64;
    private static final EnvironmentId ENV = EnvironmentId.of("env");

    private static List<String> answer(List<EventId> items, String how) {
        return items.stream().map(id -> id.value() + " " + how).toList();
    }

    private static List<List<String>> run(
            Combiner<EventId, String> combiner,
            Function<Integer, @Nullable String> contextOfRequest)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                int request = i;
                futures.add(threads.submit(() -> {
                    start.await();
                    CONTEXT.set(contextOfRequest.apply(request));
                    try {
                        return combiner.run(ENV, List.of(EventId.of("e" + request)));
                    } finally {
                        CONTEXT.remove();
                    }
                }));
            }
            start.countDown();
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        List<List<String>> results = new ArrayList<>();
        for (Future<List<String>> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    /** A request's context in these tests: a thread-local text, as the server's log context. */
    private static final ThreadLocal<@Nullable String> CONTEXT = new ThreadLocal<>();

    /** Carries {@link #CONTEXT}; while open, each event id's context is in {@link #byEvent}. */
    private static final class TextContexts implements RequestContexts {
        private final Map<EventId, String> byEvent = new ConcurrentHashMap<>();

        @Override
        public @Nullable Object capture() {
            return CONTEXT.get();
        }

        @Override
        public boolean inCallersTransaction() {
            String context = CONTEXT.get();
            return context != null && context.startsWith("in-transaction");
        }

        @Override
        public Scope open(List<@Nullable Object> contexts, List<List<EventId>> eventIds) {
            assertThat(contexts).hasSameSizeAs(eventIds);
            assertThat(byEvent).isEmpty();
            for (int i = 0; i < contexts.size(); i++) {
                Object context = contexts.get(i);
                for (EventId id : eventIds.get(i)) {
                    byEvent.put(id, context == null ? "none" : (String) context);
                }
            }
            return byEvent::clear;
        }

        /** Answers each item alone, slowly, naming the context open for it. */
        List<String> slowlyAlone(EnvironmentId env, List<EventId> items) {
            sleep();
            return answer(items, "alone");
        }

        List<String> answer(List<EventId> items, String how) {
            return items.stream()
                    .map(id -> id.value() + " " + how + " for " + byEvent.get(id))
                    .toList();
        }
    }

    @Test
    void run_concurrentRequests_eachGetsItsOwnAnswerAndSomeRunTogether() throws Exception {
        ConcurrentLinkedQueue<Integer> combinedSizes = new ConcurrentLinkedQueue<>();
        Combiner<EventId, String> combiner = new Combiner<>(
                512,
                id -> id,
                RequestContexts.NONE,
                CombinerTest::slowlyAlone,
                slowlyTogether(combinedSizes));
        List<List<String>> results = run(combiner, request -> null);
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(results.get(i)).singleElement().asString().startsWith("e" + i + " ");
        }
        assertThat(combinedSizes).isNotEmpty().allMatch(size -> size > 1);
        assertThat(results.stream().filter(r -> r.getFirst().endsWith("together")))
                .hasSizeGreaterThan(1);
    }

    @Test
    void run_itemLimit_noTransactionRunsMoreItemsThanIt() throws Exception {
        ConcurrentLinkedQueue<Integer> combinedSizes = new ConcurrentLinkedQueue<>();
        Combiner<EventId, String> combiner = new Combiner<>(
                5,
                id -> id,
                RequestContexts.NONE,
                CombinerTest::slowlyAlone,
                slowlyTogether(combinedSizes));
        run(combiner, request -> null);
        assertThat(combinedSizes).isNotEmpty().allMatch(size -> size > 1 && size <= 5);
    }

    @Test
    void run_eachRequestsContext_isOpenForItsOwnEvents_togetherAndAlone() throws Exception {
        TextContexts contexts = new TextContexts();
        Combiner<EventId, String> combiner =
                new Combiner<>(512, id -> id, contexts, contexts::slowlyAlone, (env, requests) -> {
                    sleep();
                    return requests.stream()
                            .map(r -> contexts.answer(r, "together"))
                            .toList();
                });
        List<List<String>> results =
                run(combiner, request -> request % 3 == 0 ? null : "client-" + request);
        for (int i = 0; i < REQUESTS; i++) {
            String expected = i % 3 == 0 ? "none" : "client-" + i;
            assertThat(results.get(i)).singleElement().asString().endsWith(" for " + expected);
        }
        assertThat(contexts.byEvent).isEmpty();
    }

    @Test
    void run_combinedTransactionFails_eachRequestRunsAloneInItsOwnContext() throws Exception {
        TextContexts contexts = new TextContexts();
        Combiner<EventId, String> combiner =
                new Combiner<>(512, id -> id, contexts, contexts::slowlyAlone, (env, requests) -> {
                    throw new IllegalStateException("an event id was taken");
                });
        List<List<String>> results = run(combiner, request -> "client-" + request);
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(results.get(i)).containsExactly("e" + i + " alone for client-" + i);
        }
    }

    @Test
    void run_insideACallersTransaction_runsAloneOnTheCallersThread() throws Exception {
        TextContexts contexts = new TextContexts();
        Combiner<EventId, String> combiner = new Combiner<>(
                512,
                id -> id,
                contexts,
                (env, items) -> {
                    sleep();
                    return answer(items, "alone on " + CONTEXT.get());
                },
                (env, requests) -> {
                    throw new AssertionError("requests in their callers' transactions combined");
                });
        List<List<String>> results = run(combiner, request -> "in-transaction-" + request);
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(results.get(i)).containsExactly("e" + i + " alone on in-transaction-" + i);
        }
        assertThat(contexts.byEvent).isEmpty();
    }

    @Test
    void run_requestFailsAlone_onlyThatRequestFails() {
        Combiner<EventId, String> combiner =
                failingOnBad(() -> new IllegalStateException("database down"));
        assertThatThrownBy(() -> combiner.run(ENV, List.of(EventId.of("bad"))))
                .hasMessage("database down");
        assertThat(combiner.run(ENV, List.of(EventId.of("good")))).containsExactly("good alone");
    }

    @Test
    void run_errorInATransaction_failsItsRequests_andTheLaneGoesOn() {
        Combiner<EventId, String> combiner = failingOnBad(() -> new StackOverflowError("deep"));
        assertThatThrownBy(() -> combiner.run(ENV, List.of(EventId.of("bad"))))
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(StackOverflowError.class);
        assertThat(combiner.run(ENV, List.of(EventId.of("good")))).containsExactly("good alone");
    }

    /** Runs requests alone; one with the event id "bad" throws what {@code failure} makes. */
    private static Combiner<EventId, String> failingOnBad(
            java.util.function.Supplier<? extends Throwable> failure) {
        return new Combiner<>(
                512,
                id -> id,
                RequestContexts.NONE,
                (env, items) -> {
                    if (items.contains(EventId.of("bad"))) {
                        Throwable t = failure.get();
                        if (t instanceof Error error) {
                            throw error;
                        }
                        throw (RuntimeException) t;
                    }
                    return answer(items, "alone");
                },
                (env, requests) -> {
                    throw new AssertionError("a single request runs alone");
                });
    }

    @Test
    void run_transactionsRunOnAPlatformThread_eachEnvironmentInTurn() {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Combiner<EventId, String> combiner = new Combiner<>(
                512,
                id -> id,
                RequestContexts.NONE,
                (env, items) -> {
                    Thread thread = Thread.currentThread();
                    threads.add(env.value() + " " + thread.isVirtual() + " " + thread.getName());
                    return answer(items, "alone");
                },
                (env, requests) -> {
                    throw new AssertionError("a single request runs alone");
                });
        assertThat(combiner.run(ENV, List.of(EventId.of("e1")))).containsExactly("e1 alone");
        assertThat(combiner.run(EnvironmentId.of("other"), List.of(EventId.of("e2"))))
                .containsExactly("e2 alone");
        assertThat(threads)
                .hasSize(2)
                .allMatch(t -> t.contains(" false ivs-combiner-"))
                .satisfies(t -> assertThat(t.get(0)).startsWith("env "))
                .satisfies(t -> assertThat(t.get(1)).startsWith("other "));
    }

    private static List<String> slowlyAlone(EnvironmentId env, List<EventId> items) {
        sleep();
        return answer(items, "alone");
    }

    /** Runs requests together slowly, noting how many each time in {@code sizes}. */
    private static Combiner.Together<EventId, String> slowlyTogether(
            ConcurrentLinkedQueue<Integer> sizes) {
        return (env, requests) -> {
            sleep();
            sizes.add(requests.size());
            return requests.stream().map(r -> answer(r, "together")).toList();
        };
    }

    private static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
