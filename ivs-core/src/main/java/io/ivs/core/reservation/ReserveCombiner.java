package io.ivs.core.reservation;

import io.ivs.core.environment.EnvironmentId;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs reserve requests of one environment that arrive while a transaction is in flight
 * together in the next transaction: one lock per product and one commit (one WAL flush) for all
 * of them, instead of one each. Contended products are where this pays: their requests would
 * otherwise queue on the product lock, one commit at a time.
 *
 * <p>The requests of a combined transaction are processed in arrival order, each exactly as it
 * would be alone (its items in order, seeing the effect of the requests before it), so the
 * outcome is one they could have had run one after another. At most one combined transaction per
 * environment runs at a time in this instance; other instances combine their own, and the product
 * locks in PostgreSQL serialise them all (DESIGN D4). Nothing outlives a request: the queue holds
 * only requests that are waiting for their answer.
 */
final class ReserveCombiner {
    /** Items of one combined transaction; a single request may hold up to the bulk maximum. */
    static final int ITEMS_PER_TRANSACTION_MAX = 512;

    /** Runs one request alone, in its own transaction. */
    interface Alone {
        List<ReservationResult> run(List<ResolvedReservation> items);
    }

    private final ConcurrentHashMap<EnvironmentId, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * The requests of one environment waiting for a transaction, and whether one is running. The
     * request that finds the lane idle leads: it runs the waiting requests, answers them, and
     * hands the lead to the oldest request still waiting, waking only that one (waking every
     * waiter after each transaction measured as a tenth of the reservation path's CPU with 64
     * concurrent requests in ivs-bench).
     */
    private static final class Lane {
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
        private boolean busy;
    }

    private static final class Waiter {
        private final List<ResolvedReservation> items;
        /** Released once: when the answer is there, or when this request is to lead. */
        private final Semaphore wake = new Semaphore(0);

        /** Unset until the request has run; then exactly one of the two is set. */
        private @Nullable List<ReservationResult> results;

        private @Nullable RuntimeException failure;
        private volatile boolean done;
        private volatile boolean leads;

        Waiter(List<ResolvedReservation> items) {
            this.items = items;
        }
    }

    /**
     * @param together runs several requests in one transaction, answering per request; it throws
     *     when that transaction could not be committed, and then nothing of it was written
     */
    List<ReservationResult> reserve(
            EnvironmentId environmentId,
            List<ResolvedReservation> items,
            Alone alone,
            Function<List<List<ResolvedReservation>>, List<List<ReservationResult>>> together) {
        Lane lane = lanes.computeIfAbsent(environmentId, id -> new Lane());
        Waiter me = new Waiter(items);
        lane.lock.lock();
        try {
            lane.queue.add(me);
            if (!lane.busy) {
                lane.busy = true;
                me.leads = true;
            }
        } finally {
            lane.lock.unlock();
        }
        boolean interrupted = false;
        while (!me.done && !me.leads) {
            try {
                me.wake.acquire();
            } catch (InterruptedException e) {
                // The answer is on its way; the interrupt is kept for the caller.
                interrupted = true;
            }
        }
        try {
            if (!me.done) {
                lead(lane, alone, together);
            }
            return answer(me);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the waiting requests (this one among them), then hands the lead on. */
    private static void lead(
            Lane lane,
            Alone alone,
            Function<List<List<ResolvedReservation>>, List<List<ReservationResult>>> together) {
        List<Waiter> batch;
        lane.lock.lock();
        try {
            batch = drain(lane.queue);
        } finally {
            lane.lock.unlock();
        }
        try {
            run(batch, alone, together);
        } finally {
            finish(lane, batch);
        }
    }

    /** Answers the batch and wakes its requests; the oldest request still waiting leads next. */
    private static void finish(Lane lane, List<Waiter> batch) {
        for (Waiter waiter : batch) {
            if (waiter.results == null && waiter.failure == null) {
                waiter.failure = new IllegalStateException("the reservation was not run");
            }
            waiter.done = true;
        }
        Waiter next;
        lane.lock.lock();
        try {
            next = lane.queue.peek();
            if (next == null) {
                lane.busy = false;
            } else {
                next.leads = true;
            }
        } finally {
            lane.lock.unlock();
        }
        for (Waiter waiter : batch) {
            waiter.wake.release();
        }
        if (next != null) {
            next.wake.release();
        }
    }

    /** The oldest waiters, up to the item limit; always at least one. */
    private static List<Waiter> drain(ArrayDeque<Waiter> queue) {
        List<Waiter> batch = new ArrayList<>();
        int items = 0;
        while (!queue.isEmpty()) {
            Waiter next = queue.peek();
            if (!batch.isEmpty() && items + next.items.size() > ITEMS_PER_TRANSACTION_MAX) {
                break;
            }
            batch.add(queue.poll());
            items += next.items.size();
        }
        return batch;
    }

    private static void run(
            List<Waiter> batch,
            Alone alone,
            Function<List<List<ResolvedReservation>>, List<List<ReservationResult>>> together) {
        if (batch.size() > 1) {
            try {
                List<List<ReservationResult>> results =
                        together.apply(batch.stream().map(w -> w.items).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).results = results.get(i);
                }
                return;
            } catch (RuntimeException e) {
                // Nothing was written: run each request alone, so one cannot fail the others.
            }
        }
        for (Waiter waiter : batch) {
            try {
                waiter.results = alone.run(waiter.items);
            } catch (RuntimeException e) {
                waiter.failure = e;
            }
        }
    }

    private static List<ReservationResult> answer(Waiter waiter) {
        RuntimeException failure = waiter.failure;
        List<ReservationResult> results = waiter.results;
        if (failure != null) {
            throw failure;
        }
        if (results == null) {
            throw new IllegalStateException("the reservation was answered without a result");
        }
        return results;
    }
}
