package io.ivs.server.adjustment;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A list request's filters; null fields do not filter. */
record AdjustmentFilter(
        @Nullable String status,
        @Nullable String organizationId,
        @Nullable String productId,
        @Nullable Instant createdFrom,
        @Nullable Instant createdBefore,
        @Nullable Long beforeSeq) {}
