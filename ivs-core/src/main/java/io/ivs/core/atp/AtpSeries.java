package io.ivs.core.atp;

import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The schedule data and ATP of one result group (spec A.4.2, A.5). With window
 * {@code W = today .. today+P-1}: for each ATP measure M, OH = M on the actual values,
 * Δ(d) = M on the schedules dated d, projected PO(d) = OH + Σ Δ(d') for d' ≤ d in W, and
 * ATP(d) = min PO(d') for d' ≥ d in W. Schedules outside W are ignored; from and to only filter
 * what is reported. A measure with its own shorter period uses that period as its W, and is
 * absent from the dates after it.
 *
 * @param quantitiesByDate for each reported date with schedules: every component of every ATP
 *     measure (zeros included) and each ATP measure's net change Δ
 * @param atpQuantities for each reported date: each ATP measure's ATP
 */
public record AtpSeries(
        SortedMap<LocalDate, Map<MeasureRef, BigDecimal>> quantitiesByDate,
        SortedMap<LocalDate, Map<MeasureRef, BigDecimal>> atpQuantities) {

    /**
     * An ATP measure: its name, formula and the days of its own period, which ends its window
     * before {@code windowEnd} when shorter.
     */
    public record Measure(MeasureRef name, CalculatedMeasure formula, int periodDays) {
        /** A measure over the whole window. */
        public Measure(MeasureRef name, CalculatedMeasure formula) {
            this(name, formula, Integer.MAX_VALUE);
        }

        LocalDate end(LocalDate windowStart, LocalDate windowEnd) {
            LocalDate own = windowStart.plusDays(periodDays - 1L);
            return own.isBefore(windowEnd) ? own : windowEnd;
        }
    }

    public static AtpSeries compute(
            List<Measure> measures,
            Map<MeasureRef, BigDecimal> actual,
            Map<LocalDate, Map<MeasureRef, BigDecimal>> scheduled,
            LocalDate windowStart,
            LocalDate windowEnd,
            LocalDate from,
            LocalDate to) {
        SortedMap<LocalDate, Map<MeasureRef, BigDecimal>> byDate = new TreeMap<>();
        SortedMap<LocalDate, Map<MeasureRef, BigDecimal>> atp = new TreeMap<>();
        for (LocalDate d = windowStart; !d.isAfter(windowEnd); d = d.plusDays(1)) {
            atp.put(d, new LinkedHashMap<>());
        }
        for (Measure measure : measures) {
            LocalDate end = measure.end(windowStart, windowEnd);
            BigDecimal projected = measure.formula().evaluate(actual);
            TreeMap<LocalDate, BigDecimal> series = new TreeMap<>();
            for (LocalDate d = windowStart; !d.isAfter(end); d = d.plusDays(1)) {
                Map<MeasureRef, BigDecimal> day = scheduled.get(d);
                if (day != null) {
                    BigDecimal delta = measure.formula().evaluate(day);
                    projected = projected.add(delta);
                    Map<MeasureRef, BigDecimal> reported =
                            byDate.computeIfAbsent(d, k -> new LinkedHashMap<>());
                    for (MeasureRef component : measure.formula().components()) {
                        reported.put(component, day.getOrDefault(component, BigDecimal.ZERO));
                    }
                    reported.put(measure.name(), delta);
                }
                series.put(d, projected);
            }
            // Walking the window backwards keeps the minimum of every later projection.
            BigDecimal minimum = null;
            for (Map.Entry<LocalDate, BigDecimal> day : series.descendingMap().entrySet()) {
                BigDecimal value = day.getValue();
                minimum = minimum == null || value.compareTo(minimum) < 0 ? value : minimum;
                atp.computeIfAbsent(day.getKey(), k -> new LinkedHashMap<>())
                        .put(measure.name(), minimum);
            }
        }
        // Dates after every measure's own period carry nothing to report.
        if (!measures.isEmpty()) {
            atp.values().removeIf(Map::isEmpty);
        }
        if (from.isAfter(to)) {
            return new AtpSeries(new TreeMap<>(), new TreeMap<>());
        }
        return new AtpSeries(
                new TreeMap<>(byDate.subMap(from, to.plusDays(1))),
                new TreeMap<>(atp.subMap(from, to.plusDays(1))));
    }
}
