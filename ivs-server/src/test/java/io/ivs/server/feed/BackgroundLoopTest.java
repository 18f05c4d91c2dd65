package io.ivs.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.ivs.core.Invariants;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class BackgroundLoopTest {

    /** Runs a loop whose first round throws {@code failure}; answers what it logged. */
    private static ListAppender<ILoggingEvent> logOfFailedRound(RuntimeException failure)
            throws InterruptedException {
        Logger logger = (Logger) LoggerFactory.getLogger("test-" + UUID.randomUUID());
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch retried = new CountDownLatch(1);
        BackgroundLoop loop = new BackgroundLoop("worker", logger, Duration.ofMillis(1), () -> {
            if (rounds.getAndIncrement() == 0) {
                throw failure;
            }
            retried.countDown();
            Thread.sleep(Duration.ofSeconds(10));
        });
        loop.start();
        try {
            assertThat(retried.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            loop.stop();
        }
        return appender;
    }

    @Test
    void round_throwsInvariantViolation_logsAnErrorWithTheStackAndRunsOn()
            throws InterruptedException {
        ListAppender<ILoggingEvent> log =
                logOfFailedRound(Invariants.violated("change %s has unknown kind '%s'", 7, "x"));

        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage())
                    .isEqualTo("worker: invariant violated: change 7 has unknown kind 'x'");
            assertThat(event.getThrowableProxy().getClassName())
                    .isEqualTo("io.ivs.core.InvariantViolation");
        });
    }

    @Test
    void round_throwsOtherFailure_logsAWarningAndRunsOn() throws InterruptedException {
        ListAppender<ILoggingEvent> log =
                logOfFailedRound(new IllegalStateException("database unavailable"));

        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).isEqualTo("worker: database unavailable");
            assertThat(event.getThrowableProxy()).isNull();
        });
    }
}
