package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

class VerifiedTokensTest {
    private static final Instant ISSUED = Instant.parse("2026-11-23T10:00:00Z");

    private final AtomicInteger signatureChecks = new AtomicInteger();
    private Instant now = ISSUED;

    private final JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** The cache's ticker follows the same test time as the validators' clock. */
    private final Ticker ticker = () -> Duration.between(ISSUED, now).toNanos();

    /**
     * A stand-in for the signature check: counts calls, knows "good" and every "terminal-N" (each
     * naming its own client), validates like Nimbus.
     */
    private final JwtDecoder signatures = token -> {
        signatureChecks.incrementAndGet();
        if (!token.equals("good") && !token.startsWith("terminal-")) {
            throw new BadJwtException("bad signature");
        }
        Jwt jwt = Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .claim("client_id", token)
                .issuedAt(ISSUED)
                .expiresAt(ISSUED.plus(Duration.ofHours(1)))
                .build();
        if (expiry.validate(jwt).hasErrors()) {
            throw new JwtValidationException("expired", expiry.validate(jwt).getErrors());
        }
        return jwt;
    };

    VerifiedTokensTest() {
        expiry.setClock(clock);
    }

    private VerifiedTokens tokens(int tokensMax) {
        return new VerifiedTokens(signatures, expiry, clock, ticker, tokensMax);
    }

    @Test
    void aToken_isVerifiedOnce_andValidatedOnEveryUse() {
        VerifiedTokens tokens = tokens(VerifiedTokens.TOKENS_MAX);

        Jwt first = tokens.decode("good");
        Jwt second = tokens.decode("good");

        assertThat(second).isSameAs(first);
        assertThat(signatureChecks).hasValue(1);
        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void aCachedToken_pastItsExpiry_isRefusedAndForgotten() {
        // The cache's ticker stands still here, so the entry is still held when the validators'
        // clock has passed the token's expiry: the validators alone must refuse it.
        VerifiedTokens tokens =
                new VerifiedTokens(signatures, expiry, clock, () -> 0L, VerifiedTokens.TOKENS_MAX);
        tokens.decode("good");

        now = ISSUED.plus(Duration.ofHours(2));

        assertThatThrownBy(() -> tokens.decode("good"))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageStartingWith("An error occurred while attempting to decode the Jwt: ")
                .hasMessageContaining("expired");
        assertThat(tokens.size()).isZero();
    }

    @Test
    void aBadToken_isNeverCached() {
        VerifiedTokens tokens = tokens(VerifiedTokens.TOKENS_MAX);

        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(signatureChecks).hasValue(2);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void manyTerminals_moreTokensThanTheBound_sizeStaysBounded_andEarlyTokensStillServe() {
        VerifiedTokens tokens = tokens(VerifiedTokens.TOKENS_MAX);
        int terminals = VerifiedTokens.TOKENS_MAX + VerifiedTokens.TOKENS_MAX / 2;

        for (int i = 0; i < terminals; i++) {
            tokens.decode("terminal-" + i);
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedTokens.TOKENS_MAX);
        int checksBefore = signatureChecks.get();

        // The first terminals are served again, from the cache or verified anew, never mixed up.
        for (int i = 0; i < 100; i++) {
            Jwt jwt = tokens.decode("terminal-" + i);
            assertThat(jwt.getTokenValue()).isEqualTo("terminal-" + i);
            assertThat(jwt.getClaimAsString("client_id")).isEqualTo("terminal-" + i);
        }
        assertThat(signatureChecks.get() - checksBefore).isBetween(0, 100);
        assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedTokens.TOKENS_MAX);
        // Filling it did not empty it: far more than a handful of tokens are still held.
        assertThat(tokens.size()).isGreaterThan(VerifiedTokens.TOKENS_MAX / 2);
    }

    @Test
    void aFullCache_keepsTheTokensInUse_ratherThanEmptyingItself() {
        VerifiedTokens tokens = tokens(100);
        for (int round = 0; round < 5; round++) {
            tokens.decode("good");
        }
        int checksBefore = signatureChecks.get();

        for (int i = 0; i < 1_000; i++) {
            tokens.decode("terminal-" + i);
            tokens.decode("good");
        }

        // Only the new terminals were verified; the token in constant use never was again.
        assertThat(signatureChecks.get() - checksBefore).isEqualTo(1_000);
        assertThat(tokens.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void anEntry_leavesTheCacheAtItsTokensExpiry_andTheExpiredTokenIsRefused() {
        VerifiedTokens tokens = tokens(VerifiedTokens.TOKENS_MAX);
        tokens.decode("good");

        now = ISSUED.plus(Duration.ofMinutes(59));
        assertThat(tokens.size()).isEqualTo(1);
        now = ISSUED.plus(Duration.ofHours(1)).plusSeconds(1);
        assertThat(tokens.size()).isZero();

        assertThatThrownBy(() -> tokens.decode("good")).isInstanceOf(JwtValidationException.class);
        assertThat(signatureChecks).hasValue(2);
        assertThat(tokens.size()).isZero();
    }
}
