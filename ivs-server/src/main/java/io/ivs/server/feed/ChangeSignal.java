package io.ivs.server.feed;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the readers of this instance (long polls, streams) when this instance's sequencer has
 * handed out new positions. Positions handed out by another instance's sequencer are found by
 * the readers' own polling, so a missed signal only delays a reader by one poll interval.
 */
@Component
public class ChangeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private long generation;

    /** Called after new positions were committed. */
    public void advanced() {
        lock.lock();
        try {
            generation++;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code max} for the next {@link #advanced()}. */
    public void await(Duration max) throws InterruptedException {
        lock.lock();
        try {
            long seen = generation;
            long nanos = max.toNanos();
            while (generation == seen && nanos > 0) {
                nanos = advanced.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
