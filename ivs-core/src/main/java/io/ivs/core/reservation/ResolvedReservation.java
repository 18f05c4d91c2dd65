package io.ivs.core.reservation;

import io.ivs.core.event.EventId;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A validated reserve or unreserve: the record at the requested dimension level, the reservation
 * measure, the signed quantity to add to it (negative for an unreserve, which is capped later by
 * what the reservation holds) and, for a checked reserve, the available-to-reserve measure. With
 * {@code expiresAt}, the reservation becomes a hold that lapses then.
 */
public record ResolvedReservation(
        EventId eventId,
        RecordKey record,
        String partitionId,
        MeasureRef measure,
        BigDecimal quantity,
        @Nullable CalculatedMeasure availableToReserve,
        String reservationId,
        String fingerprint,
        @Nullable Instant expiresAt) {

    public ResolvedReservation(
            EventId eventId,
            RecordKey record,
            String partitionId,
            MeasureRef measure,
            BigDecimal quantity,
            @Nullable CalculatedMeasure availableToReserve,
            String reservationId,
            String fingerprint) {
        this(
                eventId,
                record,
                partitionId,
                measure,
                quantity,
                availableToReserve,
                reservationId,
                fingerprint,
                null);
    }

    public boolean checked() {
        return availableToReserve != null;
    }
}
