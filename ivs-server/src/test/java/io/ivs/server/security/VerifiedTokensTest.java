package io.ivs.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** A stand-in for the signature check: counts calls, knows one token, validates like Nimbus. */
    private final JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);

    {
        expiry.setClock(new Clock() {
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
        });
    }

    private final JwtDecoder signatures = token -> {
        signatureChecks.incrementAndGet();
        if (!token.equals("good")) {
            throw new BadJwtException("bad signature");
        }
        Jwt jwt = Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .claim("client_id", "c")
                .issuedAt(ISSUED)
                .expiresAt(ISSUED.plus(Duration.ofHours(1)))
                .build();
        if (expiry.validate(jwt).hasErrors()) {
            throw new JwtValidationException("expired", expiry.validate(jwt).getErrors());
        }
        return jwt;
    };

    @Test
    void aToken_isVerifiedOnce_andValidatedOnEveryUse() {
        VerifiedTokens tokens = new VerifiedTokens(signatures, expiry);

        Jwt first = tokens.decode("good");
        Jwt second = tokens.decode("good");

        assertThat(second).isSameAs(first);
        assertThat(signatureChecks).hasValue(1);
        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void aCachedToken_pastItsExpiry_isRefusedAndForgotten() {
        VerifiedTokens tokens = new VerifiedTokens(signatures, expiry);
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
        VerifiedTokens tokens = new VerifiedTokens(signatures, expiry);

        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(signatureChecks).hasValue(2);
        assertThat(tokens.size()).isZero();
    }
}
