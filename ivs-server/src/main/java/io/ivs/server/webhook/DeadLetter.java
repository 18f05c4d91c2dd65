package io.ivs.server.webhook;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A change that failed every delivery attempt of a subscription.
 *
 * @param body the exact JSON body that was sent (and will be sent again by a replay)
 * @param lastStatus the receiver's last HTTP status; null when no answer came (timeout,
 *     connection refused)
 */
public record DeadLetter(
        String subscriptionId,
        long position,
        String deliveryId,
        String organizationId,
        String productId,
        String body,
        int attempts,
        @Nullable Integer lastStatus,
        String lastError,
        Instant failedAt,
        boolean replayRequested) {}
