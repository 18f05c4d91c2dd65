package io.ivs.core.testing;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore.Delta;
import io.ivs.core.testing.InMemoryInventory.Row;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the reservation and allocation stores do inside a locked transaction on the shared
 * records: sums at a level and applying deltas with their ledgers.
 */
final class LockedWork {
    private LockedWork() {}

    /**
     * Physical values summed over the product's records whose dimensions include every value of
     * the level's (the {@code @>} containment of the PostgreSQL store).
     */
    static Map<MeasureRef, BigDecimal> sum(
            InMemoryInventory inventory, RecordKey level, Collection<MeasureRef> measures) {
        Set<MeasureRef> wanted = new HashSet<>(measures);
        Map<MeasureRef, BigDecimal> sums = new HashMap<>();
        for (Row row : inventory.rows(level.environmentId().value())) {
            if (!row.record.productKey().equals(level.productKey()) || !covers(level, row.record)) {
                continue;
            }
            row.quantities.forEach((ref, q) -> {
                if (wanted.contains(ref)) {
                    sums.merge(ref, q, BigDecimal::add);
                }
            });
        }
        return sums;
    }

    private static boolean covers(RecordKey level, RecordKey record) {
        for (Map.Entry<String, String> entry : level.dimensions().values().entrySet()) {
            if (!entry.getValue().equals(record.dimensions().get(entry.getKey()))) {
                return false;
            }
        }
        return level.organizationId().equals(record.organizationId())
                && level.productId().equals(record.productId());
    }

    /** Adds the deltas to the quantities of their records, and to their ledgers where named. */
    static void apply(InMemoryInventory inventory, Collection<Delta> deltas) {
        for (Delta delta : deltas) {
            Row row = inventory.rowForUpdate(delta.record(), delta.partitionId());
            row.quantities.merge(delta.measure(), delta.quantity(), BigDecimal::add);
            if (delta.reservationId() != null) {
                inventory.addToLedger(
                        delta.record(), delta.reservationId(), delta.measure(), delta.quantity());
            }
        }
    }
}
