package io.ivs.server.reservation;

import io.ivs.core.reservation.ReservationService;
import io.ivs.server.feed.BackgroundLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Releases lapsed holds in the background: every {@code interval} (one second by default), and
 * again at once while it finds full batches, it asks the core to release the holds that are due,
 * soonest first. Every instance runs one; the product locks and the holds' derived event ids let
 * any number run side by side, each hold released exactly once, by whichever gets there first.
 * The due holds are read from PostgreSQL, so a hold whose instance crashed is released by any
 * other, or by the same one after its restart. {@code ivs.reservation.hold-sweep-interval=0}
 * switches the sweeper off (tests run its step by hand).
 */
@Component
public class HoldSweeper implements SmartLifecycle {
    /** Due holds read per step; a step ends them all, product by product. */
    static final int BATCH = 500;

    /** Steps in one round, so that one round cannot run without bound. */
    static final int STEPS_PER_ROUND_MAX = 100;

    private static final Logger log = LoggerFactory.getLogger(HoldSweeper.class);

    private final ReservationService reservations;
    private final HoldReleases releases;
    private final Duration interval;
    private final BackgroundLoop loop;
    private final Counter ended;

    public HoldSweeper(
            ReservationService reservations,
            HoldReleases releases,
            MeterRegistry meters,
            @Value("${ivs.reservation.hold-sweep-interval:PT1S}") Duration interval) {
        this.reservations = reservations;
        this.releases = releases;
        this.interval = interval;
        this.ended = Counter.builder("ivs.reservation.holds.ended")
                .description("Lapsed holds ended by this instance's sweeper")
                .register(meters);
        this.loop = new BackgroundLoop("ivs-hold-sweeper", log, Duration.ofSeconds(1), () -> {
            sweepNow();
            this.releases.prune();
            Thread.sleep(this.interval);
        });
    }

    /** Ends every hold due now, batch by batch; answers how many this instance ended. */
    public int sweepNow() {
        int total = 0;
        for (int step = 0; step < STEPS_PER_ROUND_MAX; step++) {
            int done = reservations.releaseLapsedHolds(BATCH);
            total += done;
            if (done == 0) {
                break;
            }
        }
        ended.increment(total);
        return total;
    }

    @Override
    public void start() {
        if (!interval.isZero()) {
            loop.start();
        }
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
