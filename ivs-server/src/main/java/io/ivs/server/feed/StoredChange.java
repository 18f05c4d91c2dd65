package io.ivs.server.feed;

import io.ivs.core.measure.MeasureRef;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One change-log row as stored: a record of one environment after one committed transaction.
 *
 * @param position the commit-ordered position, the consumer's cursor
 * @param kind {@code onhand}, {@code schedule}, {@code deleted} or {@code alert}
 * @param physical every physical value of the record after the change ({@code onhand} only)
 * @param schedule the record's whole schedule after the change, by measure then ISO date
 *     ({@code schedule} only)
 * @param alert the stock alert ({@code alert} only)
 */
public record StoredChange(
        long position,
        Instant committedAt,
        String environmentId,
        String kind,
        String organizationId,
        String productId,
        Map<String, String> dimensions,
        Map<MeasureRef, BigDecimal> physical,
        Map<MeasureRef, Map<String, BigDecimal>> schedule,
        @Nullable Alert alert) {
    public static final String KIND_ONHAND = "onhand";
    public static final String KIND_SCHEDULE = "schedule";
    public static final String KIND_DELETED = "deleted";
    public static final String KIND_ALERT = "alert";

    /** A change of a record, which carries no alert. */
    public StoredChange(
            long position,
            Instant committedAt,
            String environmentId,
            String kind,
            String organizationId,
            String productId,
            Map<String, String> dimensions,
            Map<MeasureRef, BigDecimal> physical,
            Map<MeasureRef, Map<String, BigDecimal>> schedule) {
        this(
                position,
                committedAt,
                environmentId,
                kind,
                organizationId,
                productId,
                dimensions,
                physical,
                schedule,
                null);
    }
}
