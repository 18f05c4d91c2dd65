package io.ivs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

class LoadTest {
    @Test
    void run_opsLimit_stopsEachWorkerAtItsLimit() {
        AtomicLong calls = new AtomicLong();
        Load.Measured measured = Load.run(
                new Load.Plan(4, Duration.ZERO, Duration.ofSeconds(30), 25), (worker, sequence) -> {
                    calls.incrementAndGet();
                    return sequence % 5 == 0 ? Outcome.REJECTED : Outcome.OK;
                });
        assertThat(calls.get()).isEqualTo(100);
        assertThat(measured.operations()).isEqualTo(100);
        assertThat(measured.rejected()).isEqualTo(20);
        assertThat(measured.latencyMicros().getTotalCount()).isEqualTo(100);
        assertThat(measured.seconds()).isLessThan(30);
    }

    @Test
    void run_exceptions_countAsErrorsAndTheLoopGoesOn() {
        Load.Measured measured = Load.run(
                new Load.Plan(2, Duration.ZERO, Duration.ofSeconds(30), 10), (worker, sequence) -> {
                    if (sequence == 3) {
                        throw new IllegalStateException("boom");
                    }
                    return Outcome.OK;
                });
        assertThat(measured.errors()).isEqualTo(2);
        assertThat(measured.ok()).isEqualTo(18);
    }

    @Test
    void run_done_stopsTheWorkerWithoutRecording() {
        AtomicLong next = new AtomicLong();
        Load.Measured measured = Load.run(
                new Load.Plan(3, Duration.ZERO, Duration.ofSeconds(30), Long.MAX_VALUE),
                (worker, sequence) -> next.getAndIncrement() < 10 ? Outcome.OK : Outcome.DONE);
        assertThat(measured.ok()).isEqualTo(10);
        assertThat(measured.operations()).isEqualTo(10);
    }

    @Test
    void run_warmUp_isNotCounted() {
        Load.Measured measured = Load.run(
                new Load.Plan(1, Duration.ofMillis(200), Duration.ofMillis(200), Long.MAX_VALUE),
                (worker, sequence) -> {
                    Thread.sleep(10);
                    return Outcome.OK;
                });
        // About 20 operations in the window, about 20 more in the warm-up that are not counted.
        assertThat(measured.ok()).isBetween(5L, 25L);
    }

    @Test
    void plan_concurrencyOutOfBounds_isRefused() {
        assertThatThrownBy(() -> new Load.Plan(0, Duration.ZERO, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
