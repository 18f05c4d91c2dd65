package io.ivs.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import org.jspecify.annotations.Nullable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;

/**
 * Decides, before any secret is checked, whether a sign-in may be tried: token buckets
 * (Bucket4j) per client id and per source address, kept in bounded caches (Caffeine).
 *
 * <p>A sign-in that may be tried takes one token from its address's attempt bucket and,
 * provisionally, one from its address's and its client id's failure buckets. A sign-in that
 * succeeds gives the provisional tokens back; one whose secret is refused keeps them spent. A
 * sign-in refused by a limit takes nothing, so it costs no more than its answer. Taking the
 * failure tokens before the check, not after it, is what keeps parallel attempts from racing
 * past a limit: a failure bucket with {@code n} tokens lets at most {@code n} unproven attempts
 * through, however many arrive at once.
 *
 * <p>A bucket that is full again is worth nothing, so each is forgotten once it has been idle
 * for its refill period; beyond {@code keysMax} keys the cache drops the least used first, which
 * keeps a client id under attack (used often) while ids an attacker cycles through go.
 */
final class SignInLimiter {
    /** IPv6 addresses are limited per /64: one host usually holds a whole /64. */
    private static final int IPV6_PREFIX_BYTES = 8;

    /** Which limit refused a sign-in; the names appear in answers and metrics. */
    enum Limit {
        ADDRESS_ATTEMPTS("too many sign-ins from this address"),
        ADDRESS_FAILURES("too many refused sign-ins from this address"),
        CLIENT_FAILURES("too many refused sign-ins for this client id"),
        CHECKS_BUSY("too many sign-ins are being checked at once");

        private final String message;

        Limit(String message) {
            this.message = message;
        }

        String message() {
            return message;
        }
    }

    /** What {@link #admit} decided. */
    sealed interface Decision permits Admitted, Refused {}

    /** Not now: the limit that refused, and when a token is back. */
    record Refused(Limit limit, Duration retryAfter) implements Decision {}

    /** May be tried; the caller must report the outcome exactly once through {@link #finish}. */
    static final class Admitted implements Decision {
        private final Bucket[] provisional;

        private Admitted(Bucket... provisional) {
            this.provisional = provisional;
        }

        /** A refused secret keeps its tokens spent; anything else gives them back. */
        void finish(boolean refusedCredentials) {
            if (!refusedCredentials) {
                Arrays.stream(provisional).forEach(bucket -> bucket.addTokens(1));
            }
        }
    }

    private final SignInLimitSettings settings;
    private final TimeMeter time;
    private final Cache<String, Bucket> attemptsByAddress;
    private final Cache<String, Bucket> failuresByAddress;
    private final Cache<String, Bucket> failuresByClient;

    SignInLimiter(SignInLimitSettings settings, Ticker ticker) {
        this.settings = settings;
        this.time = new TickerTime(ticker);
        this.attemptsByAddress = cache(settings.addressAttemptsPeriod(), settings, ticker);
        this.failuresByAddress = cache(settings.addressFailuresPeriod(), settings, ticker);
        this.failuresByClient = cache(settings.clientFailuresPeriod(), settings, ticker);
    }

    /**
     * @param address the caller's address as the servlet container saw it
     * @param clientId the client id the sign-in names, or null to limit by address only
     */
    Decision admit(String address, @Nullable String clientId) {
        String addressKey = addressKey(address);
        Bucket addressFailures = failuresByAddress.get(
                addressKey,
                key -> bucket(settings.addressFailures(), settings.addressFailuresPeriod()));
        ConsumptionProbe byAddress = addressFailures.tryConsumeAndReturnRemaining(1);
        if (!byAddress.isConsumed()) {
            return refused(Limit.ADDRESS_FAILURES, byAddress);
        }
        Bucket clientFailures = clientId == null
                ? null
                : failuresByClient.get(
                        clientId,
                        key -> bucket(settings.clientFailures(), settings.clientFailuresPeriod()));
        if (clientFailures != null) {
            ConsumptionProbe byClient = clientFailures.tryConsumeAndReturnRemaining(1);
            if (!byClient.isConsumed()) {
                addressFailures.addTokens(1);
                return refused(Limit.CLIENT_FAILURES, byClient);
            }
        }
        // Counted last, so that refused sign-ins, which cost nothing, do not use up the
        // address's attempts: a flood of one limited client id leaves its neighbours alone.
        Bucket attempts = attemptsByAddress.get(
                addressKey,
                key -> bucket(settings.addressAttempts(), settings.addressAttemptsPeriod()));
        ConsumptionProbe attempt = attempts.tryConsumeAndReturnRemaining(1);
        Admitted admitted = clientFailures == null
                ? new Admitted(addressFailures)
                : new Admitted(addressFailures, clientFailures);
        if (!attempt.isConsumed()) {
            admitted.finish(false);
            return refused(Limit.ADDRESS_ATTEMPTS, attempt);
        }
        return admitted;
    }

    /** The key of an address: itself for IPv4, its /64 network for IPv6. */
    static String addressKey(String address) {
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException notALiteral) {
            return address;
        }
        if (!(parsed instanceof Inet6Address)) {
            return parsed.getHostAddress();
        }
        byte[] network = Arrays.copyOf(parsed.getAddress(), IPV6_PREFIX_BYTES);
        StringBuilder key = new StringBuilder("ipv6/64:");
        for (byte b : network) {
            key.append(String.format("%02x", b));
        }
        return key.toString();
    }

    private Bucket bucket(int tokens, Duration period) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(tokens).refillGreedy(tokens, period))
                .withCustomTimePrecision(time)
                .build();
    }

    private static Cache<String, Bucket> cache(
            Duration idleMax, SignInLimitSettings settings, Ticker ticker) {
        return Caffeine.newBuilder()
                .maximumSize(settings.keysMax())
                .expireAfterAccess(idleMax)
                .ticker(ticker)
                .build();
    }

    private static Refused refused(Limit limit, ConsumptionProbe probe) {
        long seconds = Math.ceilDiv(probe.getNanosToWaitForRefill(), 1_000_000_000L);
        return new Refused(limit, Duration.ofSeconds(Math.max(1, seconds)));
    }

    /** Bucket4j's clock and Caffeine's are the same, so tests can move both at once. */
    private record TickerTime(Ticker ticker) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return ticker.read();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
