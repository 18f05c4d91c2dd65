package io.ivs.core.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class ReserveCombinerTest {
    private static final int REQUESTS = 64;

    private static ResolvedReservation item(String eventId) {
        return new ResolvedReservation(
                EventId.of(eventId),
                new RecordKey(EnvironmentId.of("env"), "usmf", "p1", DimensionSet.of(Map.of())),
                "usmf~~",
                new MeasureRef("iv", "softreserved"),
                BigDecimal.ONE,
                null,
                "r-" + eventId,
                "fingerprint");
    }

    private static List<ReservationResult> answer(List<ResolvedReservation> items) {
        return items.stream()
                .map(i -> (ReservationResult)
                        new ReservationResult.Reserved(i.eventId().value(), i.reservationId()))
                .toList();
    }

    private static List<List<ReservationResult>> run(
            ReserveCombiner combiner,
            ReserveCombiner.Alone alone,
            java.util.function.Function<
                            List<List<ResolvedReservation>>, List<List<ReservationResult>>>
                    together)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<ReservationResult>>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                String id = "e" + i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return combiner.reserve(
                            EnvironmentId.of("env"), List.of(item(id)), alone, together);
                }));
            }
            start.countDown();
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        List<List<ReservationResult>> results = new ArrayList<>();
        for (Future<List<ReservationResult>> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    @Test
    void reserve_concurrentRequests_eachGetsItsOwnAnswerAndSomeRunTogether() throws Exception {
        ReserveCombiner combiner = new ReserveCombiner();
        ConcurrentLinkedQueue<Integer> combinedSizes = new ConcurrentLinkedQueue<>();
        List<List<ReservationResult>> results = run(
                combiner,
                items -> {
                    sleep();
                    return answer(items);
                },
                requests -> {
                    sleep();
                    combinedSizes.add(requests.size());
                    return requests.stream().map(ReserveCombinerTest::answer).toList();
                });
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(results.get(i))
                    .singleElement()
                    .extracting(ReservationResult::eventId)
                    .isEqualTo("e" + i);
        }
        assertThat(combinedSizes).isNotEmpty().allMatch(size -> size > 1);
    }

    @Test
    void reserve_combinedTransactionFails_eachRequestRunsAlone() throws Exception {
        ReserveCombiner combiner = new ReserveCombiner();
        List<List<ReservationResult>> results = run(
                combiner,
                items -> {
                    sleep();
                    return answer(items);
                },
                requests -> {
                    throw new IllegalStateException("an event id was taken");
                });
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(results.get(i).get(0).eventId()).isEqualTo("e" + i);
        }
    }

    @Test
    void reserve_requestFailsAlone_onlyThatRequestFails() {
        ReserveCombiner combiner = new ReserveCombiner();
        assertThatThrownBy(() -> combiner.reserve(
                        EnvironmentId.of("env"),
                        List.of(item("bad")),
                        items -> {
                            throw new IllegalStateException("database down");
                        },
                        requests -> List.of()))
                .hasMessage("database down");
        assertThat(combiner.reserve(
                        EnvironmentId.of("env"),
                        List.of(item("good")),
                        items -> answer(items),
                        r -> {
                            throw new AssertionError("a single request runs alone");
                        }))
                .singleElement()
                .extracting(ReservationResult::eventId)
                .isEqualTo("good");
    }

    private static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
