package io.ivs.core.event;

import io.ivs.core.Invariants;
import io.ivs.core.environment.EnvironmentId;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs write requests of one environment that arrive while a transaction is in flight together
 * in the next transaction: one commit (one WAL flush) and one set of statements for all of them,
 * instead of one each. Reservations on contended products and single change events are where
 * this pays: their requests would otherwise queue on product locks or on commits, one at a time.
 *
 * <p>The requests of a combined transaction are processed in arrival order, each exactly as it
 * would be alone (its items in order, seeing the effect of the requests before it), so the
 * outcome is one they could have had run one after another. At most one combined transaction per
 * environment runs at a time in this instance; other instances combine their own, and the product
 * locks and event-id claims in PostgreSQL serialise them all (DESIGN D4). Nothing outlives a
 * request: the queue holds only requests that are waiting for their answer. Each request's
 * context ({@link RequestContexts}) is open for its own events while the transaction runs.
 *
 * <p>The transactions of an environment run one after another on a platform thread of the
 * combiner's own, for as long as requests wait, and each request waits on its own thread for its
 * answer. Requests are served on virtual threads, which share as many carrier threads as there
 * are cores: a transaction run on one of them waited, after each of its statements, behind every
 * request queued for a carrier, while the requests behind it waited for the whole transaction.
 * The operating system schedules a platform thread woken by its socket at once (ivs-bench
 * `profile/reserve-contended.sh`; docs/performance.md, 2026-12-08).
 *
 * @param <I> an item of a request (an event)
 * @param <R> the answer to one item
 */
public final class Combiner<I, R> {
    /** Runs one request alone, in its own transaction. */
    public interface Alone<I, R> {
        List<R> run(EnvironmentId environmentId, List<I> items);
    }

    /**
     * Runs several requests in one transaction, answering per request; throws when that
     * transaction could not be committed, and then nothing of it was written.
     */
    public interface Together<I, R> {
        List<List<R>> run(EnvironmentId environmentId, List<List<I>> requests);
    }

    private final int itemsMax;
    private final Function<I, EventId> eventIdOf;
    private final RequestContexts contexts;
    private final Alone<I, R> alone;
    private final Together<I, R> together;
    private final ConcurrentHashMap<EnvironmentId, Lane<I, R>> lanes = new ConcurrentHashMap<>();

    /**
     * The threads that run transactions: one per environment with requests waiting, kept a
     * minute after its last transaction for the next.
     */
    private final ExecutorService workers = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("ivs-combiner-", 0).factory());

    /**
     * @param itemsMax items of one combined transaction at most (a single request larger than
     *     that still runs, alone)
     * @param alone how one request runs alone
     * @param together how requests run together
     */
    public Combiner(
            int itemsMax,
            Function<I, EventId> eventIdOf,
            RequestContexts contexts,
            Alone<I, R> alone,
            Together<I, R> together) {
        this.itemsMax = itemsMax;
        this.eventIdOf = eventIdOf;
        this.contexts = contexts;
        this.alone = alone;
        this.together = together;
    }

    /**
     * The requests of one environment waiting for a transaction, and whether a thread is running
     * them: it runs the waiting requests, answers them, and goes on while requests wait.
     */
    private static final class Lane<I, R> {
        private final EnvironmentId environmentId;
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Waiter<I, R>> queue = new ArrayDeque<>();
        private boolean busy;

        Lane(EnvironmentId environmentId) {
            this.environmentId = environmentId;
        }
    }

    private static final class Waiter<I, R> {
        private final List<I> items;
        private final @Nullable Object context;

        /** Released once, when the answer is there. */
        private final Semaphore wake = new Semaphore(0);

        /** Unset until the request has run; then exactly one of the two is set. */
        private @Nullable List<R> results;

        private @Nullable RuntimeException failure;
        private volatile boolean done;

        Waiter(List<I> items, @Nullable Object context) {
            this.items = items;
            this.context = context;
        }
    }

    /**
     * Runs {@code items}, alone or together with other requests; answers one result each. Inside
     * a caller's transaction they run alone at once, on this thread, in that transaction.
     */
    public List<R> run(EnvironmentId environmentId, List<I> items) {
        if (contexts.inCallersTransaction()) {
            return alone.run(environmentId, items);
        }
        Lane<I, R> lane = lanes.computeIfAbsent(environmentId, Lane::new);
        Waiter<I, R> me = new Waiter<>(items, contexts.capture());
        boolean start;
        lane.lock.lock();
        try {
            lane.queue.add(me);
            start = !lane.busy;
            lane.busy = true;
        } finally {
            lane.lock.unlock();
        }
        if (start) {
            workers.execute(() -> work(lane));
        }
        boolean interrupted = false;
        while (!me.done) {
            try {
                me.wake.acquire();
            } catch (InterruptedException e) {
                // The answer is on its way; the interrupt is kept for the caller.
                interrupted = true;
            }
        }
        try {
            return answer(me);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the lane's waiting requests, batch after batch, until none waits. */
    private void work(Lane<I, R> lane) {
        while (true) {
            List<Waiter<I, R>> batch;
            lane.lock.lock();
            try {
                batch = drain(lane.queue);
                if (batch.isEmpty()) {
                    lane.busy = false;
                    return;
                }
            } finally {
                lane.lock.unlock();
            }
            @Nullable Throwable cause = null;
            try {
                runBatch(lane.environmentId, batch);
            } catch (RuntimeException | Error e) {
                // Whatever went wrong is the batch's answer; the lane goes on with the next.
                cause = e;
            }
            finish(batch, cause);
        }
    }

    /**
     * Marks the batch answered and wakes its requests; a request left without an answer fails,
     * with {@code cause} if the batch threw.
     */
    private static <I, R> void finish(List<Waiter<I, R>> batch, @Nullable Throwable cause) {
        for (Waiter<I, R> waiter : batch) {
            if (waiter.results == null && waiter.failure == null) {
                waiter.failure = new IllegalStateException("the request was not run", cause);
            }
            waiter.done = true;
            waiter.wake.release();
        }
    }

    /** The oldest waiters, up to the item limit; at least one unless none waits. */
    private List<Waiter<I, R>> drain(ArrayDeque<Waiter<I, R>> queue) {
        List<Waiter<I, R>> batch = new ArrayList<>();
        int items = 0;
        while (!queue.isEmpty()) {
            Waiter<I, R> next = queue.peek();
            if (!batch.isEmpty() && items + next.items.size() > itemsMax) {
                break;
            }
            batch.add(queue.poll());
            items += next.items.size();
        }
        return batch;
    }

    private void runBatch(EnvironmentId environmentId, List<Waiter<I, R>> batch) {
        if (batch.size() > 1) {
            List<List<R>> results;
            try (RequestContexts.Scope scope = open(batch)) {
                results = together.run(
                        environmentId, batch.stream().map(w -> w.items).toList());
            } catch (RuntimeException e) {
                // Nothing was written: run each request alone, so one cannot fail the others.
                results = null;
            }
            if (results != null) {
                Invariants.check(
                        results.size() == batch.size(),
                        "%s answers to %s requests run together",
                        results.size(),
                        batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).results = results.get(i);
                }
                return;
            }
        }
        for (Waiter<I, R> waiter : batch) {
            try (RequestContexts.Scope scope = open(List.of(waiter))) {
                waiter.results = alone.run(environmentId, waiter.items);
            } catch (RuntimeException e) {
                waiter.failure = e;
            }
        }
    }

    private RequestContexts.Scope open(List<Waiter<I, R>> batch) {
        List<@Nullable Object> captured = new ArrayList<>(batch.size());
        List<List<EventId>> eventIds = new ArrayList<>(batch.size());
        for (Waiter<I, R> waiter : batch) {
            captured.add(waiter.context);
            eventIds.add(waiter.items.stream().map(eventIdOf).toList());
        }
        return contexts.open(captured, eventIds);
    }

    private static <R> List<R> answer(Waiter<?, R> waiter) {
        RuntimeException failure = waiter.failure;
        List<R> results = waiter.results;
        if (failure != null) {
            throw failure;
        }
        if (results == null) {
            throw new IllegalStateException("the request was answered without a result");
        }
        return results;
    }
}
