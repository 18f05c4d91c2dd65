package io.ivs.server.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code ivs.security.sign-in-limits.*} settings (README, "Security"): how many refused
 * sign-ins a client id and a source address may have, how many sign-ins an address may try at
 * all, and how many secret checks may run at once. Each limit is a token bucket of {@code
 * count} tokens that refills evenly over {@code period}.
 *
 * @param enabled false switches every limit off (for measurements only)
 * @param clientFailures refused secrets per client id, from any address, before that id's
 *     sign-ins are refused
 * @param addressFailures refused secrets or assertions per source address, whatever client id
 *     they name, before that address's sign-ins are refused
 * @param addressAttempts sign-ins per source address, refused or not
 * @param checksConcurrentMax secret checks (BCrypt) that may run at once on this instance; 0
 *     means half the processors, at least one
 * @param checkWaitMax how long a sign-in waits for its turn to be checked before it is refused
 * @param keysMax client ids and addresses remembered per limit; the least useful are forgotten
 *     first, so that an attacker cycling ids or addresses cannot exhaust memory
 */
@ConfigurationProperties("ivs.security.sign-in-limits")
public record SignInLimitSettings(
        boolean enabled,
        int clientFailures,
        Duration clientFailuresPeriod,
        int addressFailures,
        Duration addressFailuresPeriod,
        int addressAttempts,
        Duration addressAttemptsPeriod,
        int checksConcurrentMax,
        Duration checkWaitMax,
        int keysMax) {
    static final int COUNT_MAX = 1_000_000;
    static final Duration PERIOD_MIN = Duration.ofSeconds(1);
    static final Duration PERIOD_MAX = Duration.ofDays(1);
    static final int CHECKS_CONCURRENT_MAX = 1_024;
    static final Duration CHECK_WAIT_MAX = Duration.ofMinutes(1);
    static final int KEYS_MIN = 1_000;
    static final int KEYS_MAX = 10_000_000;

    /** The constructor Spring binds: left-out settings take the defaults of the README. */
    @ConstructorBinding
    public SignInLimitSettings(
            @Nullable Boolean enabled,
            @Nullable Integer clientFailures,
            @Nullable Duration clientFailuresPeriod,
            @Nullable Integer addressFailures,
            @Nullable Duration addressFailuresPeriod,
            @Nullable Integer addressAttempts,
            @Nullable Duration addressAttemptsPeriod,
            @Nullable Integer checksConcurrentMax,
            @Nullable Duration checkWaitMax,
            @Nullable Integer keysMax) {
        this(
                !Boolean.FALSE.equals(enabled),
                count("client-failures", clientFailures, 20),
                period("client-failures-period", clientFailuresPeriod, Duration.ofMinutes(10)),
                count("address-failures", addressFailures, 100),
                period("address-failures-period", addressFailuresPeriod, Duration.ofMinutes(1)),
                count("address-attempts", addressAttempts, 600),
                period("address-attempts-period", addressAttemptsPeriod, Duration.ofMinutes(1)),
                within("checks-concurrent-max", checksConcurrentMax, 0, 0, CHECKS_CONCURRENT_MAX),
                checkWait(checkWaitMax),
                within("keys-max", keysMax, 100_000, KEYS_MIN, KEYS_MAX));
    }

    /** The defaults of {@code application.yml}. */
    static SignInLimitSettings defaults() {
        return new SignInLimitSettings(null, null, null, null, null, null, null, null, null, null);
    }

    /** Secret checks allowed at once: the setting, or half the processors (at least one). */
    int checksConcurrent() {
        return checksConcurrentMax > 0
                ? checksConcurrentMax
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    private static int count(String name, @Nullable Integer value, int fallback) {
        return within(name, value, fallback, 1, COUNT_MAX);
    }

    private static int within(
            String name, @Nullable Integer value, int fallback, int min, int max) {
        int chosen = Objects.requireNonNullElse(value, fallback);
        if (chosen < min || chosen > max) {
            throw new IllegalArgumentException("ivs.security.sign-in-limits." + name + ": " + chosen
                    + " must be between " + min + " and " + max);
        }
        return chosen;
    }

    private static Duration period(String name, @Nullable Duration value, Duration fallback) {
        Duration chosen = Objects.requireNonNullElse(value, fallback);
        if (chosen.compareTo(PERIOD_MIN) < 0 || chosen.compareTo(PERIOD_MAX) > 0) {
            throw new IllegalArgumentException("ivs.security.sign-in-limits." + name + ": " + chosen
                    + " must be between " + PERIOD_MIN + " and " + PERIOD_MAX);
        }
        return chosen;
    }

    private static Duration checkWait(@Nullable Duration value) {
        Duration chosen = Objects.requireNonNullElse(value, Duration.ofSeconds(5));
        if (chosen.isNegative() || chosen.compareTo(CHECK_WAIT_MAX) > 0) {
            throw new IllegalArgumentException("ivs.security.sign-in-limits.check-wait-max: "
                    + chosen + " must be between PT0S and " + CHECK_WAIT_MAX);
        }
        return chosen;
    }
}
