package io.ivs.core.atp;

import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.SortedMap;

/** A validated change schedule: the record and its scheduled deltas per date and measure. */
public record ResolvedSchedule(
        EventId eventId,
        RecordKey record,
        String partitionId,
        SortedMap<LocalDate, SortedMap<MeasureRef, BigDecimal>> quantitiesByDate,
        String fingerprint) {}
