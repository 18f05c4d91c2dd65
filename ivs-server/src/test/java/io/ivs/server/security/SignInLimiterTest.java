package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.security.SignInLimiter.Admitted;
import io.ivs.server.security.SignInLimiter.Decision;
import io.ivs.server.security.SignInLimiter.Limit;
import io.ivs.server.security.SignInLimiter.Refused;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

class SignInLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    /** 3 refused secrets per client id and 5 per address per minute, 8 attempts per minute. */
    private SignInLimiter limiter() {
        return new SignInLimiter(
                new SignInLimitSettings(
                        true,
                        3,
                        Duration.ofMinutes(1),
                        5,
                        Duration.ofMinutes(1),
                        8,
                        Duration.ofMinutes(1),
                        1,
                        Duration.ofSeconds(5),
                        1_000),
                nanos::get);
    }

    @Test
    void admit_refusedSecretsUseUpTheClientLimit_thenRefusedWithTheWaitForOneFailure() {
        SignInLimiter limiter = limiter();
        for (int i = 0; i < 3; i++) {
            failed(limiter.admit("10.0.0.1", "pos"));
        }

        Decision decision = limiter.admit("10.0.0.2", "pos");

        assertThat(decision).isEqualTo(new Refused(Limit.CLIENT_FAILURES, Duration.ofSeconds(20)));
    }

    @Test
    void admit_successfulSignIns_useNoFailures() {
        SignInLimiter limiter = limiter();
        for (int i = 0; i < 8; i++) {
            ((Admitted) limiter.admit("10.0.0.1", "pos")).finish(false);
        }

        assertThat(limiter.admit("10.0.0.2", "pos")).isInstanceOf(Admitted.class);
        assertThat(limiter.admit("10.0.0.1", "pos"))
                .isEqualTo(new Refused(Limit.ADDRESS_ATTEMPTS, Duration.ofSeconds(8)));
    }

    @Test
    void admit_afterTheWait_admitsAgain() {
        SignInLimiter limiter = limiter();
        for (int i = 0; i < 3; i++) {
            failed(limiter.admit("10.0.0.1", "pos"));
        }
        Refused refused = (Refused) limiter.admit("10.0.0.1", "pos");

        nanos.addAndGet(refused.retryAfter().toNanos());

        assertThat(limiter.admit("10.0.0.1", "pos")).isInstanceOf(Admitted.class);
        assertThat(limiter.admit("10.0.0.1", "pos")).isInstanceOf(Refused.class);
    }

    @Test
    void admit_attemptsInFlight_countAsFailuresUntilTheyEnd() {
        SignInLimiter limiter = limiter();
        Admitted[] inFlight = new Admitted[3];
        for (int i = 0; i < 3; i++) {
            inFlight[i] = (Admitted) limiter.admit("10.0.0.1", "pos");
        }

        assertThat(limiter.admit("10.0.0.1", "pos")).isInstanceOf(Refused.class);
        inFlight[0].finish(false);
        assertThat(limiter.admit("10.0.0.1", "pos")).isInstanceOf(Admitted.class);
    }

    @Test
    void admit_refusalsByTheClientLimit_leaveTheAddressToOtherClients() {
        SignInLimiter limiter = limiter();
        for (int i = 0; i < 3; i++) {
            failed(limiter.admit("10.0.0.1", "pos"));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.admit("10.0.0.1", "pos")).isInstanceOf(Refused.class);
        }

        assertThat(limiter.admit("10.0.0.1", "erp")).isInstanceOf(Admitted.class);
    }

    @Test
    void admit_cyclingClientIds_isRefusedByTheAddressLimit() {
        SignInLimiter limiter = limiter();
        for (int i = 0; i < 5; i++) {
            failed(limiter.admit("10.0.0.1", "guess-" + i));
        }

        assertThat(limiter.admit("10.0.0.1", "guess-5"))
                .isEqualTo(new Refused(Limit.ADDRESS_FAILURES, Duration.ofSeconds(12)));
        assertThat(limiter.admit("10.0.0.1", null)).isInstanceOf(Refused.class);
        assertThat(limiter.admit("10.0.0.2", "guess-5")).isInstanceOf(Admitted.class);
    }

    @Test
    void addressKey_ipv6_isItsSlash64_andIpv4StaysItself() {
        assertThat(SignInLimiter.addressKey("2001:db8:1:2:aaaa::1"))
                .isEqualTo(SignInLimiter.addressKey("2001:db8:1:2:bbbb::2"))
                .isNotEqualTo(SignInLimiter.addressKey("2001:db8:1:3::1"));
        assertThat(SignInLimiter.addressKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(SignInLimiter.addressKey("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(SignInLimiter.addressKey("not an address")).isEqualTo("not an address");
    }

    private static void failed(Decision decision) {
        assertThat(decision).isInstanceOf(Admitted.class);
        ((Admitted) decision).finish(true);
    }
}
