package io.ivs.server.adjustment;

import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.OnHandChange;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/** One adjustment transaction as the client posted it (the original's AdjustmentTransaction). */
record Adjustment(
        String id,
        String organizationId,
        String productId,
        String quantityDataSource,
        String physicalMeasure,
        Map<String, String> dimensions,
        BigDecimal quantity,
        @Nullable String externalReferenceCategory,
        @Nullable String externalReferenceId,
        String journalNameId,
        @Nullable BigDecimal costPrice,
        @Nullable LocalDate transDate) {
    /** On-hand change events of adjustments carry this prefix, apart from /onhand's ids. */
    static final String EVENT_ID_PREFIX = "adjustment:";

    Adjustment {
        dimensions = Map.copyOf(dimensions);
    }

    /** The on-hand change this adjustment makes, idempotent by its id. */
    OnHandChange change() {
        return new OnHandChange(
                EVENT_ID_PREFIX + id,
                organizationId,
                productId,
                null,
                dimensions,
                Quantities.of(quantityDataSource, physicalMeasure, quantity),
                null);
    }

    /** The content a replay of this id must carry to get the same answer. */
    String fingerprint() {
        StringBuilder out = new StringBuilder();
        TreeMap<String, String> sorted = new TreeMap<>();
        append(out, organizationId);
        append(out, productId);
        append(out, quantityDataSource.toLowerCase(java.util.Locale.ROOT));
        append(out, physicalMeasure.toLowerCase(java.util.Locale.ROOT));
        dimensions.forEach((k, v) -> sorted.put(k.toLowerCase(java.util.Locale.ROOT), v));
        sorted.forEach((k, v) -> append(out, k + "=" + v));
        append(out, quantity.stripTrailingZeros().toPlainString());
        append(out, externalReferenceCategory);
        append(out, externalReferenceId);
        append(out, journalNameId);
        append(out, costPrice == null ? null : costPrice.stripTrailingZeros().toPlainString());
        append(out, transDate == null ? null : transDate.toString());
        return out.toString();
    }

    private static void append(StringBuilder out, @Nullable String value) {
        out.append(value == null ? "\u0001" : value).append('\u0000');
    }
}
