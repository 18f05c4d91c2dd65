package io.ivs.server.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * The {@code ivs.webhooks.*} settings (README, "Webhooks").
 *
 * @param enabled whether this instance delivers at all (the admin API works either way)
 * @param pollInterval how often an instance looks for subscriptions to take over
 * @param lease how long a subscription stays with an instance that stops renewing it
 * @param attemptsMax attempts per change before it is dead-lettered
 * @param delayInitial the wait after the first failed attempt; doubled after each further one
 * @param delayMax the longest wait between two attempts
 * @param parallelism products delivered at the same time per subscription
 * @param pageSize changes read from the feed at a time per subscription
 * @param allowedInternalHosts targets allowed although they are internal: host names (any
 *     address they resolve to), {@code *.domain} (its subdomains), addresses and networks
 *     ({@code 10.1.2.0/24}); see {@link WebhookTargets}
 */
@ConfigurationProperties("ivs.webhooks")
public record WebhookSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("PT30S") Duration lease,
        @DefaultValue("PT5S") Duration connectTimeout,
        @DefaultValue("PT10S") Duration requestTimeout,
        @DefaultValue("6") int attemptsMax,
        @DefaultValue("PT1S") Duration delayInitial,
        @DefaultValue("PT1M") Duration delayMax,
        @DefaultValue("8") int parallelism,
        @DefaultValue("100") int pageSize,
        @DefaultValue List<String> allowedInternalHosts) {
    public static final int ATTEMPTS_LIMIT = 100;
    public static final int PARALLELISM_LIMIT = 64;
    public static final int PAGE_SIZE_LIMIT = 1_000;

    public WebhookSettings {
        allowedInternalHosts = List.copyOf(allowedInternalHosts);
        requirePositive("ivs.webhooks.poll-interval", pollInterval);
        requirePositive("ivs.webhooks.connect-timeout", connectTimeout);
        requirePositive("ivs.webhooks.request-timeout", requestTimeout);
        requirePositive("ivs.webhooks.delay-initial", delayInitial);
        requireRange("ivs.webhooks.attempts-max", attemptsMax, ATTEMPTS_LIMIT);
        requireRange("ivs.webhooks.parallelism", parallelism, PARALLELISM_LIMIT);
        requireRange("ivs.webhooks.page-size", pageSize, PAGE_SIZE_LIMIT);
        if (delayMax.compareTo(delayInitial) < 0) {
            throw new IllegalArgumentException(
                    "ivs.webhooks.delay-max must not be shorter than ivs.webhooks.delay-initial");
        }
        // The owner renews its leases every poll interval; a lease must outlive a few of them.
        if (lease.compareTo(pollInterval.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException(
                    "ivs.webhooks.lease must be at least three ivs.webhooks.poll-interval");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void requireRange(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be between 1 and " + max);
        }
    }
}
