package io.ivs.core.onhand;

import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * A validated change or set event: the record it touches, the physical measures with their
 * quantities (deltas or absolute values), the reservation offsets of a set (in the order given,
 * at most one per reservation id, each above zero), and a fingerprint of that content for
 * idempotency.
 */
public record ResolvedChange(
        EventId eventId,
        RecordKey record,
        String partitionId,
        SortedMap<MeasureRef, BigDecimal> quantities,
        @Nullable Instant modifiedAt,
        List<ReservationOffset> offsets) {
    public ResolvedChange {
        offsets = List.copyOf(offsets);
    }

    /** A change or set without reservation offsets. */
    public ResolvedChange(
            EventId eventId,
            RecordKey record,
            String partitionId,
            SortedMap<MeasureRef, BigDecimal> quantities,
            @Nullable Instant modifiedAt) {
        this(eventId, record, partitionId, quantities, modifiedAt, List.of());
    }

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
        // Only events with offsets add to the fingerprint, so stored fingerprints of events
        // without them stay the same.
        for (ReservationOffset offset : offsets) {
            out.append("\u0000offset ")
                    .append(offset.reservationId())
                    .append('=')
                    .append(offset.quantity().stripTrailingZeros().toPlainString());
        }
        return out.toString();
    }
}
