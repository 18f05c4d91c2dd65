package io.ivs.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.util.StringUtils;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Access tokens whose signature has been verified, by their exact text. A client sends the same
 * token on every call for an hour; verifying its RSA signature and parsing it again each time
 * measured as about a sixth of IVS's CPU per API call in ivs-bench (docs/performance.md).
 *
 * <p>What a signature check establishes about a given text cannot change while the token is
 * valid: IVS's keys only ever appear, and a retired key keeps verifying until every token it
 * signed has expired ({@link SigningKeys}). Everything that can change is checked on every use,
 * exactly as for a new token: the validators (expiry, not-before, issuer, audience, type,
 * claims) run again on the cached token, and the caller's client is looked up afterwards as
 * before ({@link CallerResolver}). A token that fails validation is dropped from the cache.
 *
 * <p>The cache is bounded (Caffeine's size eviction keeps the tokens in frequent use, so a site
 * with many terminals does not pay every signature check again at once when it fills) and each
 * entry leaves it no later than its token's own expiry, so the cache never holds a token that
 * could not be used.
 */
final class VerifiedTokens implements JwtDecoder {
    /** At most this many verified tokens are kept; one per active client, tokens live an hour. */
    static final int TOKENS_MAX = 10_000;

    /**
     * How long a token without an expiry claim is kept. IVS's validators refuse such tokens, so
     * none is ever cached; the bound only keeps the cache finite if that rule changed.
     */
    static final Duration EXPIRY_UNKNOWN_KEEP = Duration.ofMinutes(5);

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param decoder verifies the signature and then runs {@code validator}
     * @param validator the decoder's validator, run again on every later use of a token
     * @param clock the validators' clock, which tokens' expiry times are measured against
     */
    VerifiedTokens(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, Clock clock) {
        this(decoder, validator, clock, Ticker.systemTicker(), TOKENS_MAX);
    }

    /** With the cache's own ticker and bound given, for tests. */
    VerifiedTokens(
            JwtDecoder decoder,
            OAuth2TokenValidator<Jwt> validator,
            Clock clock,
            Ticker ticker,
            int tokensMax) {
        this.decoder = decoder;
        this.validator = validator;
        this.verified = Caffeine.newBuilder()
                .maximumSize(tokensMax)
                .expireAfter(untilExpiry(clock))
                .ticker(ticker)
                // Evictions run on the calling thread, right after the access that causes them,
                // not later on the common pool: a token in constant use is then never evicted
                // because its recent reads were still waiting to be counted.
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt known = verified.getIfPresent(token);
        if (known == null) {
            // Verified outside the cache's lock: a bad token throws and is never stored.
            Jwt jwt = decoder.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw refused(result);
        }
        return known;
    }

    /** The number of tokens held, after evictions that are due have run. */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private static JwtValidationException refused(OAuth2TokenValidatorResult result) {
        // The message NimbusJwtDecoder gives for the same failure.
        String message = "Unable to validate Jwt";
        for (OAuth2Error error : result.getErrors()) {
            if (StringUtils.hasLength(error.getDescription())) {
                message = "An error occurred while attempting to decode the Jwt: "
                        + error.getDescription();
                break;
            }
        }
        return new JwtValidationException(message, result.getErrors());
    }

    /**
     * Each entry lives until its token's expiry as the validators' clock sees it, measured once
     * when it is stored; reads and replacements do not extend it.
     */
    private static Expiry<String, Jwt> untilExpiry(Clock clock) {
        return Expiry.creating((token, jwt) -> {
            Instant expiresAt = jwt.getExpiresAt();
            if (expiresAt == null) {
                return EXPIRY_UNKNOWN_KEEP;
            }
            Duration left = Duration.between(clock.instant(), expiresAt);
            return left.isNegative() ? Duration.ZERO : left;
        });
    }
}
