package io.ivs.server.reservation;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;

/**
 * IV's reserve and unreserve answer (spec §1.4): the reservation id, the server operation id,
 * the outcome and, for an unreserve, the part of the offset that exceeded the reservation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReservationEnvelope(
        @Nullable String reservationId,
        @Nullable BigDecimal totalInvalidOffsetQtyByReservId,
        String id,
        String processingStatus,
        String message,
        int statusCode) {}
