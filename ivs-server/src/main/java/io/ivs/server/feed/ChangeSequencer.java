package io.ivs.server.feed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Hands out commit-ordered positions (see migration V6): every {@code interval}, at once when
 * this instance has just written ({@link #nudge()}), and again while it finds full batches, it
 * gives the committed transactions without positions the next positions. Every instance runs
 * one; the database lets one at a time do the work.
 */
@Component
public class ChangeSequencer implements SmartLifecycle {
    /** Transactions per sequencing step. */
    static final int BATCH = 1_000;

    private static final Logger log = LoggerFactory.getLogger(ChangeSequencer.class);

    private final ChangeFeedStore store;
    private final ChangeSignal signal;
    private final Duration interval;
    private final Semaphore nudges = new Semaphore(0);
    private final BackgroundLoop loop;

    public ChangeSequencer(
            ChangeFeedStore store,
            ChangeSignal signal,
            @Value("${ivs.feed.sequencer-interval:PT0.02S}") Duration interval) {
        this.store = store;
        this.signal = signal;
        this.interval = interval;
        this.loop = new BackgroundLoop("ivs-change-sequencer", log, Duration.ofMillis(500), () -> {
            sequence(false);
            if (nudges.tryAcquire(this.interval.toNanos(), TimeUnit.NANOSECONDS)) {
                nudges.drainPermits();
            }
        });
    }

    /**
     * Sequences everything committed before the call, waiting for a sequencer at work elsewhere
     * to finish first; answers how many transactions got positions here.
     */
    public int sequenceNow() {
        return sequence(true);
    }

    private int sequence(boolean waitForTurn) {
        int total = 0;
        int done;
        do {
            done = store.sequence(BATCH, waitForTurn);
            total += done;
            if (done > 0) {
                signal.advanced();
            }
        } while (done == BATCH);
        return total;
    }

    /** Asks for a round now rather than at the end of the interval: this instance just wrote. */
    public void nudge() {
        if (nudges.availablePermits() == 0) {
            nudges.release();
        }
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
