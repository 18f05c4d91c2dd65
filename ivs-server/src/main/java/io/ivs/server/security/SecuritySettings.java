package io.ivs.server.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code ivs.security.*} settings (README, "Settings"); environment variables map to them in
 * {@code application.yml}.
 *
 * @param issuer the {@code iss} of every token IVS signs; the same on every instance
 * @param trustedIssuers external issuers whose assertions {@code POST /token} accepts, see
 *     {@link TrustedIssuer#parseAll}
 * @param keyAlgorithm {@code RS256} or {@code ES256}, for keys generated from now on
 */
@ConfigurationProperties("ivs.security")
public record SecuritySettings(
        String issuer,
        String bootstrapClientId,
        String bootstrapClientSecret,
        String trustedIssuers,
        String keyAlgorithm,
        Duration assertionLifetime,
        Duration accessTokenLifetime) {
    public static final Set<String> KEY_ALGORITHMS = Set.of("RS256", "ES256");
    public static final Duration LIFETIME_MIN = Duration.ofMinutes(1);
    public static final Duration LIFETIME_MAX = Duration.ofHours(24);

    public SecuritySettings(
            @Nullable String issuer,
            @Nullable String bootstrapClientId,
            @Nullable String bootstrapClientSecret,
            @Nullable String trustedIssuers,
            @Nullable String keyAlgorithm,
            @Nullable Duration assertionLifetime,
            @Nullable Duration accessTokenLifetime) {
        this.issuer = blankTo(issuer, "ivs");
        this.bootstrapClientId = blankTo(bootstrapClientId, "");
        this.bootstrapClientSecret = blankTo(bootstrapClientSecret, "");
        this.trustedIssuers = blankTo(trustedIssuers, "");
        this.keyAlgorithm = blankTo(keyAlgorithm, "RS256");
        this.assertionLifetime = Objects.requireNonNullElse(assertionLifetime, Duration.ofHours(1));
        this.accessTokenLifetime =
                Objects.requireNonNullElse(accessTokenLifetime, Duration.ofHours(1));
        if (!KEY_ALGORITHMS.contains(this.keyAlgorithm)) {
            throw new IllegalArgumentException("ivs.security.key-algorithm: '" + this.keyAlgorithm
                    + "' is not supported; use one of " + KEY_ALGORITHMS);
        }
        requireLifetime("ivs.security.assertion-lifetime", this.assertionLifetime);
        requireLifetime("ivs.security.access-token-lifetime", this.accessTokenLifetime);
        if (this.bootstrapClientId.isEmpty() != this.bootstrapClientSecret.isEmpty()) {
            throw new IllegalArgumentException("IVS_BOOTSTRAP_CLIENT_ID and"
                    + " IVS_BOOTSTRAP_CLIENT_SECRET must be set together");
        }
    }

    /** The longest a token signed now can stay valid: how long a retired key must verify. */
    public Duration tokenLifetimeMax() {
        return assertionLifetime.compareTo(accessTokenLifetime) > 0
                ? assertionLifetime
                : accessTokenLifetime;
    }

    /** Leaves the bootstrap secret out, so that logging the settings never logs it. */
    @Override
    public String toString() {
        return "SecuritySettings[issuer=" + issuer + ", bootstrapClientId=" + bootstrapClientId
                + ", trustedIssuers=" + trustedIssuers + ", keyAlgorithm=" + keyAlgorithm
                + ", assertionLifetime=" + assertionLifetime + ", accessTokenLifetime="
                + accessTokenLifetime + "]";
    }

    private static String blankTo(@Nullable String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static void requireLifetime(String name, Duration lifetime) {
        if (lifetime.compareTo(LIFETIME_MIN) < 0 || lifetime.compareTo(LIFETIME_MAX) > 0) {
            throw new IllegalArgumentException(name + ": " + lifetime + " must be between "
                    + LIFETIME_MIN + " and " + LIFETIME_MAX);
        }
    }
}
