package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Sends accepted rows in batches with a few requests in flight, keeping each product's rows in
 * order: a row goes to the worker its product's key hashes to, and each worker sends its batches
 * one after the other. Memory is bounded by the workers' queues ({@link #QUEUED_BATCHES_MAX}
 * batches each) and one open batch per worker: the reader waits when a queue is full.
 *
 * <p>The watermark is the last line up to which every row has been answered: the line before the
 * first row of the oldest batch not yet answered (open or in flight), else the last line read.
 * The resume state stores it.
 */
final class ImportPipeline<T> implements AutoCloseable {
    static final int QUEUED_BATCHES_MAX = 2;
    static final int WORKERS_MAX = 16;

    /** Sends one batch; answers one refusal (or null) per item, or throws a CliFailure. */
    interface Sender<T> {
        List<ImportTarget.Outcome> send(List<T> items);
    }

    /** What happens to a refused item (its line and the server's reason). */
    interface Refusals {
        void refused(long line, String text, String reason);
    }

    /** A row: its line, its item, and its text for a rejects file. */
    record Row<T>(long line, T item, String text) {}

    private record Batch<T>(List<Row<T>> rows) {
        long firstLine() {
            return rows.get(0).line();
        }
    }

    private final int batchSize;
    private final Function<T, String> key;
    private final Sender<T> sender;
    private final Refusals refusals;
    private final List<BlockingQueue<Batch<T>>> queues = new ArrayList<>();
    private final List<List<Row<T>>> open = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final TreeMap<Long, Integer> unanswered = new TreeMap<>();
    private final AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
    private final AtomicLong accepted = new AtomicLong();
    private long lastRead;
    private boolean finished;

    private static final Batch<?> END = new Batch<>(List.of());

    ImportPipeline(
            int workers,
            int batchSize,
            Function<T, String> key,
            Sender<T> sender,
            Refusals refusals,
            long startLine) {
        this.batchSize = batchSize;
        this.key = key;
        this.sender = sender;
        this.refusals = refusals;
        this.lastRead = startLine;
        for (int i = 0; i < workers; i++) {
            BlockingQueue<Batch<T>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES_MAX);
            queues.add(queue);
            open.add(new ArrayList<>(batchSize));
            Thread thread = Thread.ofPlatform()
                    .name("ivs-import-" + i)
                    .daemon(true)
                    .start(() -> work(queue));
            threads.add(thread);
        }
    }

    /** A row read and accepted: it joins its worker's open batch. */
    void accept(long line, T item, String text) {
        throwIfFailed();
        int worker = Math.floorMod(key.apply(item).hashCode(), queues.size());
        List<Row<T>> batch = open.get(worker);
        synchronized (this) {
            if (batch.isEmpty()) {
                unanswered.merge(line, 1, Integer::sum);
            }
            lastRead = line;
        }
        batch.add(new Row<>(line, item, text));
        if (batch.size() >= batchSize) {
            dispatch(worker);
        }
    }

    /** A row read that sends nothing (refused here, or empty): the watermark may pass it. */
    synchronized void skip(long line) {
        lastRead = line;
    }

    synchronized long watermark() {
        return unanswered.isEmpty() ? lastRead : unanswered.firstKey() - 1;
    }

    long accepted() {
        return accepted.get();
    }

    /** Sends what is open and waits for every answer; throws the first failure. */
    void finish() {
        for (int i = 0; i < queues.size(); i++) {
            if (!open.get(i).isEmpty()) {
                dispatch(i);
            }
        }
        stop();
        throwIfFailed();
    }

    private void dispatch(int worker) {
        Batch<T> batch = new Batch<>(List.copyOf(open.get(worker)));
        open.get(worker).clear();
        put(queues.get(worker), batch);
    }

    private void put(BlockingQueue<Batch<T>> queue, Batch<T> batch) {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                throwIfFailed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unavailable("interrupted");
        }
    }

    @SuppressWarnings("unchecked")
    private void stop() {
        if (finished) {
            return;
        }
        finished = true;
        for (BlockingQueue<Batch<T>> queue : queues) {
            if (failure.get() == null) {
                put(queue, (Batch<T>) END);
            } else {
                queue.clear();
                queue.offer((Batch<T>) END);
            }
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliFailure.unavailable("interrupted");
            }
        }
    }

    private void throwIfFailed() {
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }

    private void work(BlockingQueue<Batch<T>> queue) {
        while (true) {
            Batch<T> batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch.rows().isEmpty()) {
                return;
            }
            if (failure.get() != null) {
                continue;
            }
            try {
                send(batch);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private void send(Batch<T> batch) {
        List<T> items = batch.rows().stream().map(Row::item).toList();
        List<ImportTarget.Outcome> outcomes = sender.send(items);
        long ok = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            String refusal = outcomes.get(i).refusal();
            if (refusal == null) {
                ok++;
            } else {
                Row<T> row = batch.rows().get(i);
                refusals.refused(row.line(), row.text(), "refused by the server: " + refusal);
            }
        }
        accepted.addAndGet(ok);
        synchronized (this) {
            unanswered.computeIfPresent(batch.firstLine(), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Stops the workers without sending what is open (after a failure). */
    @Override
    public void close() {
        failure.compareAndSet(null, CliFailure.unavailable("stopped"));
        stop();
    }
}
