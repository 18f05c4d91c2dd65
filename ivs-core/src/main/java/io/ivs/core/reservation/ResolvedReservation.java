package io.ivs.core.reservation;

import io.ivs.core.event.EventId;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;

/**
 * A validated reserve or unreserve: the record at the requested dimension level, the reservation
 * measure, the signed quantity to add to it (negative for an unreserve, which is capped later by
 * what the reservation holds) and, for a checked reserve, the available-to-reserve measure.
 */
public record ResolvedReservation(
        EventId eventId,
        RecordKey record,
        String partitionId,
        MeasureRef measure,
        BigDecimal quantity,
        @Nullable CalculatedMeasure availableToReserve,
        String reservationId,
        String fingerprint) {

    public boolean checked() {
        return availableToReserve != null;
    }
}
