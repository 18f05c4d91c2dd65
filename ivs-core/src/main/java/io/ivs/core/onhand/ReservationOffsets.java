package io.ivs.core.onhand;

import io.ivs.core.Rejection;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.event.EventId;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rule of reservation offsets on set on-hand records: an offset takes quantity out of a
 * reservation of the record's product that is held at the record's dimensions or above them, and
 * never more than the reservation still holds, counting what earlier records of the same request
 * took. A record with an offset that breaks the rule is refused whole (nothing of it is written);
 * a reservation below zero holds nothing.
 */
public final class ReservationOffsets {
    private ReservationOffsets() {}

    /** A reservation ledger: product and reservation id. */
    public record LedgerKey(UUID productKey, String reservationId) {}

    /** What a ledger holds and at which dimensions (the reservation's level). */
    public record Held(BigDecimal quantity, DimensionSet dimensions) {}

    /** Why a record was refused. */
    public record Refusal(Rejection reason, String message) {}

    /** The ledgers the offsets of these events name. */
    public static List<LedgerKey> ledgersNamed(List<ResolvedChange> events) {
        return events.stream()
                .flatMap(event -> event.offsets().stream()
                        .map(offset ->
                                new LedgerKey(event.record().productKey(), offset.reservationId())))
                .distinct()
                .toList();
    }

    /**
     * The refused events among {@code events} (new events, in request order), by event id. An
     * accepted event's offsets count against the ledgers for the events after it.
     *
     * @param ledgers the ledgers named, read under the products' locks; a missing one does not
     *     exist
     */
    public static Map<EventId, Refusal> refusals(
            List<ResolvedChange> events, Map<LedgerKey, Held> ledgers) {
        Map<LedgerKey, BigDecimal> taken = new HashMap<>();
        Map<EventId, Refusal> refused = new LinkedHashMap<>();
        for (ResolvedChange event : events) {
            Refusal refusal = refusal(event, ledgers, taken);
            if (refusal != null) {
                refused.put(event.eventId(), refusal);
                continue;
            }
            for (ReservationOffset offset : event.offsets()) {
                taken.merge(key(event, offset), offset.quantity(), BigDecimal::add);
            }
        }
        return refused;
    }

    private static @Nullable Refusal refusal(
            ResolvedChange event, Map<LedgerKey, Held> ledgers, Map<LedgerKey, BigDecimal> taken) {
        List<ReservationOffset> offsets = event.offsets();
        for (int i = 0; i < offsets.size(); i++) {
            String field = "reservationOffsets[" + i + "]";
            ReservationOffset offset = offsets.get(i);
            LedgerKey key = key(event, offset);
            Held held = ledgers.get(key);
            if (held == null) {
                return new Refusal(
                        Rejection.NOT_FOUND,
                        field + ".reservationId: no reservation '" + offset.reservationId()
                                + "' of organization '" + event.record().organizationId()
                                + "', product '" + event.record().productId() + "'");
            }
            if (!covers(held.dimensions(), event.record().dimensions())) {
                return new Refusal(
                        Rejection.INVALID,
                        field + ".reservationId: reservation '" + offset.reservationId()
                                + "' is held at " + held.dimensions().values()
                                + ", which this record "
                                + event.record().dimensions().values()
                                + " does not lie in");
            }
            BigDecimal remaining = held.quantity()
                    .subtract(taken.getOrDefault(key, BigDecimal.ZERO))
                    .max(BigDecimal.ZERO);
            if (offset.quantity().compareTo(remaining) > 0) {
                return new Refusal(
                        Rejection.INVALID,
                        field + ".quantity: " + offset.quantity().toPlainString()
                                + " is more than the "
                                + remaining.stripTrailingZeros().toPlainString()
                                + " reservation '" + offset.reservationId() + "' still holds");
            }
        }
        return null;
    }

    private static LedgerKey key(ResolvedChange event, ReservationOffset offset) {
        return new LedgerKey(event.record().productKey(), offset.reservationId());
    }

    /** Whether every dimension of the reservation's level has the record's value. */
    private static boolean covers(DimensionSet level, DimensionSet record) {
        for (Map.Entry<String, String> entry : level.values().entrySet()) {
            if (!entry.getValue().equals(record.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
