package io.ivs.server.adjustment;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** An adjustment as kept: what was posted, its status and its way through the ERP. */
record StoredAdjustment(
        String environmentId,
        long seq,
        Adjustment adjustment,
        String status,
        String message,
        Instant createdAt,
        @Nullable Instant postedAt,
        @Nullable String collectionId,
        @Nullable Instant collectedAt,
        @Nullable Instant acknowledgedAt,
        String clientId,
        String requestId) {
    static final String CREATED = "Created";
    static final String IV_POSTED = "IVPosted";
    static final String COLLECTED = "Collected";
    static final String ACKNOWLEDGED = "Acknowledged";
    static final String FAILED = "Failed";

    static final java.util.List<String> STATUSES =
            java.util.List.of(CREATED, IV_POSTED, COLLECTED, ACKNOWLEDGED, FAILED);

    /** A status filter as given: null or blank for none, else one of {@link #STATUSES}. */
    static @Nullable String parseStatus(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        return STATUSES.stream()
                .filter(s -> s.equalsIgnoreCase(status.strip()))
                .findFirst()
                .orElseThrow(() -> new io.ivs.core.InvalidInputException(
                        "status", "must be one of " + STATUSES));
    }
}
