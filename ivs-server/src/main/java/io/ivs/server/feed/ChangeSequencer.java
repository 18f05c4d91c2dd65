package io.ivs.server.feed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Hands out commit-ordered positions (see migration V33): every {@code interval} (10 ms) while
 * it finds work, and again at once while it finds full batches, it gives the committed changes
 * without positions the next positions. When it finds none, it waits twice as long each round,
 * up to {@code idle-interval} (100 ms): under Citus the look for work asks every shard, which an
 * idle service should not do a hundred times a second. Every instance runs one; the database
 * lets one at a time do the work. (A round after every API write, tried first, lowered
 * single-event ingest in ivs-bench: the rounds and the readers they woke competed with the
 * writes; docs/performance.md.)
 */
@Component
public class ChangeSequencer implements SmartLifecycle {
    /** Changes per sequencing step. */
    static final int BATCH = 1_000;

    private static final Logger log = LoggerFactory.getLogger(ChangeSequencer.class);

    private final ChangeFeedStore store;
    private final ChangeSignal signal;
    private final Duration interval;
    private final Duration idleInterval;
    private final BackgroundLoop loop;
    private Duration sleep;

    public ChangeSequencer(
            ChangeFeedStore store,
            ChangeSignal signal,
            @Value("${ivs.feed.sequencer-interval:PT0.01S}") Duration interval,
            @Value("${ivs.feed.sequencer-idle-interval:PT0.1S}") Duration idleInterval) {
        this.store = store;
        this.signal = signal;
        this.interval = interval;
        this.idleInterval = idleInterval.compareTo(interval) < 0 ? interval : idleInterval;
        this.sleep = interval;
        this.loop = new BackgroundLoop("ivs-change-sequencer", log, Duration.ofMillis(500), () -> {
            Thread.sleep(nextSleep(sequence(false) > 0));
        });
    }

    /** The pause before the next round: the interval after work, doubling while idle. */
    private Duration nextSleep(boolean worked) {
        Duration doubled = sleep.multipliedBy(2);
        sleep = worked ? interval : doubled.compareTo(idleInterval) > 0 ? idleInterval : doubled;
        return sleep;
    }

    /**
     * Sequences everything committed before the call, waiting for a sequencer at work elsewhere
     * to finish first; answers how many changes got positions here.
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
        } while (done >= BATCH);
        return total;
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
