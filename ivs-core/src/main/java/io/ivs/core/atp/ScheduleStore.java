package io.ivs.core.atp;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.WriteOutcome;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.OnHandStore;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Durable change schedules: idempotent writes and the scheduled quantities of a query. */
public interface ScheduleStore {
    /**
     * Applies change schedules in one transaction, each at most once per event id, like
     * {@link OnHandStore#apply}; scheduled quantities add per record, measure and date.
     */
    List<WriteOutcome> applySchedules(
            EnvironmentId environmentId, List<ResolvedSchedule> schedules);

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
            EnvironmentId environmentId, OnHandQuery query, LocalDate from, LocalDate to);
}
