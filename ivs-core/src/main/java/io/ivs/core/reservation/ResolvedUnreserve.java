package io.ivs.core.reservation;

import io.ivs.core.event.EventId;
import io.ivs.core.onhand.RecordKey;

import java.math.BigDecimal;

/** A validated unreserve: the reservation, at which level, and how much to release (> 0). */
public record ResolvedUnreserve(
        EventId eventId,
        RecordKey record,
        String partitionId,
        String reservationId,
        BigDecimal offset,
        String fingerprint) {}
