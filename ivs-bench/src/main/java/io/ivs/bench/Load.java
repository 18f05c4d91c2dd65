package io.ivs.bench;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop load: {@code concurrency} virtual threads each run an operation back to back for
 * the warm-up and then the measured window. Only operations that start inside the measured window
 * are counted; every loop stops at the window's end or at {@code opsPerWorkerMax}, whichever
 * comes first.
 */
final class Load {
    /** Latencies above this are recorded as this (one minute, in microseconds). */
    static final long LATENCY_MICROS_MAX = 60_000_000L;

    private Load() {}

    /** One operation of a worker; {@code sequence} counts that worker's operations from 0. */
    interface Operation {
        Outcome run(int worker, long sequence) throws Exception;
    }

    /** Shape of a load: how many workers, for how long, and at most how many operations each. */
    record Plan(int concurrency, Duration warmUp, Duration measure, long opsPerWorkerMax) {
        Plan {
            if (concurrency < 1 || concurrency > 1024) {
                throw new IllegalArgumentException("concurrency must be 1..1024: " + concurrency);
            }
            if (measure.isZero() || measure.isNegative()) {
                throw new IllegalArgumentException("the measured window must be positive");
            }
        }

        Plan withConcurrency(int workers) {
            return new Plan(workers, warmUp, measure, opsPerWorkerMax);
        }
    }

    /** What a load measured in its window. */
    record Measured(long ok, long rejected, long errors, double seconds, Histogram latencyMicros) {
        long operations() {
            return ok + rejected + errors;
        }

        double operationsPerSecond() {
            return seconds <= 0 ? 0 : operations() / seconds;
        }
    }

    static Measured run(Plan plan, Operation operation) {
        long start = System.nanoTime();
        long measureStart = start + plan.warmUp().toNanos();
        long measureEnd = measureStart + plan.measure().toNanos();
        List<Future<Worker>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < plan.concurrency(); w++) {
                Worker worker = new Worker(w, measureStart, measureEnd, plan.opsPerWorkerMax());
                futures.add(threads.submit(() -> worker.loop(operation)));
            }
            threads.shutdown();
            long graceSeconds = plan.warmUp().plus(plan.measure()).toSeconds() + 120;
            if (!threads.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
                threads.shutdownNow();
                throw new IllegalStateException(
                        "a load did not stop within " + graceSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Histogram all = new Histogram(LATENCY_MICROS_MAX, 3);
        long ok = 0;
        long rejected = 0;
        long errors = 0;
        long lastEnd = measureStart;
        for (Future<Worker> future : futures) {
            Worker worker = future.resultNow();
            all.add(worker.latency);
            ok += worker.ok;
            rejected += worker.rejected;
            errors += worker.errors;
            lastEnd = Math.max(lastEnd, worker.lastEndNanos);
        }
        // A worker limited by opsPerWorkerMax may stop early: the window ends at the last answer.
        long windowEnd = Math.min(measureEnd, lastEnd);
        double seconds = Math.max(windowEnd - measureStart, 1) / 1e9;
        return new Measured(ok, rejected, errors, seconds, all);
    }

    private static final class Worker {
        private final int index;
        private final long measureStart;
        private final long measureEnd;
        private final long opsMax;
        private final Histogram latency = new Histogram(LATENCY_MICROS_MAX, 3);
        private long ok;
        private long rejected;
        private long errors;
        private long lastEndNanos;
        private @Nullable Throwable firstError;

        Worker(int index, long measureStart, long measureEnd, long opsMax) {
            this.index = index;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.opsMax = opsMax;
        }

        Worker loop(Operation operation) {
            for (long sequence = 0; sequence < opsMax; sequence++) {
                long begin = System.nanoTime();
                if (begin >= measureEnd) {
                    break;
                }
                Outcome outcome;
                try {
                    outcome = operation.run(index, sequence);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    outcome = Outcome.ERROR;
                    if (firstError == null) {
                        firstError = e;
                        System.err.println("bench: worker " + index + ": " + e);
                    }
                }
                if (outcome == Outcome.DONE) {
                    break;
                }
                long end = System.nanoTime();
                if (begin >= measureStart) {
                    latency.recordValue(Math.min((end - begin) / 1_000, LATENCY_MICROS_MAX));
                    lastEndNanos = end;
                    switch (outcome) {
                        case OK -> ok++;
                        case REJECTED -> rejected++;
                        case ERROR -> errors++;
                        case DONE -> throw new IllegalStateException("unreachable");
                    }
                }
            }
            return this;
        }
    }
}
