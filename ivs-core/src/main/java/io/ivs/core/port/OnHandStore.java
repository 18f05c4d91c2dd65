package io.ivs.core.port;

import io.ivs.core.atp.ResolvedSchedule;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.onhand.WriteOutcome;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Durable on-hand records: idempotent writes and aggregating reads. */
public interface OnHandStore {
    /** Whether a write adds deltas (change) or overwrites values (set on-hand). */
    enum WriteKind {
        CHANGE,
        SET
    }

    /**
     * Applies the changes in one transaction, each at most once per event id: an id seen before
     * with the same content yields its original outcome; with other content, a conflict.
     * Outcomes are in the order of {@code changes}. Sets follow {@link
     * io.ivs.core.onhand.LatestObservationWins}.
     *
     * @param receivedAt when the server received the changes: the observation time of a set that
     *     carries none
     */
    List<WriteOutcome> apply(
            String environmentId, WriteKind kind, List<ResolvedChange> changes, Instant receivedAt);

    List<AggregatedRow> query(String environmentId, OnHandQuery query);

    /**
     * Applies change schedules in one transaction, each at most once per event id, like
     * {@link #apply}; scheduled quantities add per record, measure and date.
     */
    List<WriteOutcome> applySchedules(String environmentId, List<ResolvedSchedule> schedules);

    /** Scheduled quantities of one group (as in {@link AggregatedRow}) on one date. */
    record ScheduledRow(
            String organizationId,
            String productId,
            List<String> groupValues,
            LocalDate date,
            MeasureRef measure,
            BigDecimal quantity) {}

    /** Scheduled quantities dated {@code from..to}, summed per query group, date and measure. */
    List<ScheduledRow> scheduled(
            String environmentId, OnHandQuery query, LocalDate from, LocalDate to);

    List<String> partitionIds(String environmentId);

    /** Deletes every record of the listed partitions; answers how many records went. */
    int deletePartitions(String environmentId, List<String> partitionIds);

    /** Deletes every record and processed event id of the environment; keeps configuration. */
    int deleteAll(String environmentId);

    boolean hasData(String environmentId);
}
