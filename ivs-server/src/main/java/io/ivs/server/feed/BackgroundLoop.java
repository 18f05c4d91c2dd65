package io.ivs.server.feed;

import io.ivs.core.InvariantViolation;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Duration;

/**
 * A virtual thread that runs one round after another until stopped, for the change feed's
 * background workers. A round does its work and then waits for the next one. A failing round (the
 * database is unreachable or restarting, say) is logged now and then and retried after
 * {@code failureDelay}; the loop itself never dies of it.
 */
public final class BackgroundLoop {
    /** One round: work, then wait. */
    @FunctionalInterface
    public interface Round {
        void run() throws InterruptedException;
    }

    private static final int LOG_EVERY = 100;

    private final String name;
    private final Logger log;
    private final Duration failureDelay;
    private final Round round;
    private volatile boolean running;
    private volatile @Nullable Thread thread;

    public BackgroundLoop(String name, Logger log, Duration failureDelay, Round round) {
        this.name = name;
        this.log = log;
        this.failureDelay = failureDelay;
        this.round = round;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name(name).start(this::loop);
    }

    private void loop() {
        long failures = 0;
        while (running) {
            try {
                round.run();
                failures = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (failures++ % LOG_EVERY == 0) {
                    logFailure(log, name, e);
                }
                try {
                    Thread.sleep(failureDelay);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Logs a failed round of a background worker: a broken invariant is a bug and an error, with
     * its stack trace; anything else (an outage, most likely) is a warning that retries may cure.
     */
    private static void logFailure(Logger log, String worker, RuntimeException e) {
        if (e instanceof InvariantViolation) {
            log.error("{}: {}", worker, e.getMessage(), e);
        } else {
            log.warn("{}: {}", worker, e.getMessage());
        }
    }

    /** Stops the loop and waits up to 5 seconds for its round to end. */
    public synchronized void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return running;
    }
}
