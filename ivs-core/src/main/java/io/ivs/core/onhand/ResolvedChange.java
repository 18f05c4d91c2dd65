package io.ivs.core.onhand;

import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.SortedMap;

/**
 * A validated change or set event: the record it touches, the physical measures with their
 * quantities (deltas or absolute values), and a fingerprint of that content for idempotency.
 */
public record ResolvedChange(
        EventId eventId,
        RecordKey record,
        String partitionId,
        SortedMap<MeasureRef, BigDecimal> quantities,
        @Nullable Instant modifiedAt) {

    /** Content that decides whether a retried event id carries the same event. */
    public String fingerprint() {
        StringBuilder out = new StringBuilder()
                .append(record.organizationId())
                .append('\u0000')
                .append(record.productId())
                .append('\u0000')
                .append(record.dimensions().key());
        quantities.forEach((ref, quantity) -> out.append('\u0000')
                .append(ref.qualified())
                .append('=')
                .append(quantity.stripTrailingZeros().toPlainString()));
        if (modifiedAt != null) {
            out.append('\u0000').append(modifiedAt);
        }
        return out.toString();
    }
}
