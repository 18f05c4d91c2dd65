package io.ivs.core.atp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The formulas of spec A.5: projected on-hand PO(d) = OH + Σ Δ(d') for d' ≤ d in the window,
 * ATP(d) = min PO(d') for d' ≥ d in the window; schedules outside the window ignored; from and to
 * only filter the output (C-A13); several ATP measures computed independently (C-A14).
 */
class AtpSeriesTest {
    private static final MeasureRef INBOUND = new MeasureRef("pos", "inbound");
    private static final MeasureRef OUTBOUND = new MeasureRef("pos", "outbound");
    private static final MeasureRef ON_ORDER = new MeasureRef("iom", "onorder");
    private static final MeasureRef ON_HAND = new MeasureRef("iv", "onhand");
    private static final MeasureRef INCOMING = new MeasureRef("iv", "incoming");

    /** iv.onhand = pos.inbound − pos.outbound. */
    private static final AtpSeries.Measure ON_HAND_ATP = new AtpSeries.Measure(
            ON_HAND, new CalculatedMeasure("onhand", List.of(INBOUND), List.of(OUTBOUND)));

    /** iv.incoming = pos.inbound + iom.onorder. */
    private static final AtpSeries.Measure INCOMING_ATP = new AtpSeries.Measure(
            INCOMING, new CalculatedMeasure("incoming", List.of(INBOUND, ON_ORDER), List.of()));

    private static final LocalDate FEB_1 = LocalDate.of(2022, 2, 1);
    private static final LocalDate FEB_7 = LocalDate.of(2022, 2, 7);

    private static LocalDate feb(int day) {
        return LocalDate.of(2022, 2, day);
    }

    /** Actual values: measure, quantity pairs. */
    private static Map<MeasureRef, BigDecimal> actual(Object... pairs) {
        Map<MeasureRef, BigDecimal> values = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            values.put((MeasureRef) pairs[i], new BigDecimal(pairs[i + 1].toString()));
        }
        return values;
    }

    /** Schedules: date, measure, quantity triples (quantities of one date and measure add). */
    private static Map<LocalDate, Map<MeasureRef, BigDecimal>> scheduled(Object... triples) {
        Map<LocalDate, Map<MeasureRef, BigDecimal>> byDate = new TreeMap<>();
        for (int i = 0; i + 2 < triples.length; i += 3) {
            byDate.computeIfAbsent((LocalDate) triples[i], d -> new HashMap<>())
                    .merge(
                            (MeasureRef) triples[i + 1],
                            new BigDecimal(triples[i + 2].toString()),
                            BigDecimal::add);
        }
        return byDate;
    }

    /** One measure's values of a dated series, as plain strings, keyed by date. */
    private static Map<LocalDate, String> series(
            SortedMap<LocalDate, Map<MeasureRef, BigDecimal>> dated, MeasureRef measure) {
        Map<LocalDate, String> out = new LinkedHashMap<>();
        dated.forEach((date, values) -> out.put(date, plain(values.get(measure))));
        return out;
    }

    /** All values of one date as {@code ds.measure → plain}. */
    private static Map<String, String> day(Map<MeasureRef, BigDecimal> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((ref, value) -> out.put(ref.qualified(), plain(value)));
        return out;
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    private static Map<LocalDate, String> expected(LocalDate first, String... values) {
        Map<LocalDate, String> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            out.put(first.plusDays(i), values[i]);
        }
        return out;
    }

    private static AtpSeries onHandSeries(
            Map<MeasureRef, BigDecimal> actual,
            Map<LocalDate, Map<MeasureRef, BigDecimal>> scheduled,
            LocalDate from,
            LocalDate to) {
        return AtpSeries.compute(List.of(ON_HAND_ATP), actual, scheduled, FEB_1, FEB_7, from, to);
    }

    /** The A.6.2 inputs: OH 10, 02-02 outbound 5, 02-06 inbound 7. */
    private static AtpSeries apiExample(LocalDate from, LocalDate to) {
        return onHandSeries(
                actual(INBOUND, 10, OUTBOUND, 0),
                scheduled(feb(2), OUTBOUND, 5, feb(6), INBOUND, 7),
                from,
                to);
    }

    @Test
    void compute_bikeStepThree_atpIsMinimumOfProjectedFromEachDate() {
        AtpSeries result = onHandSeries(
                actual(INBOUND, 20),
                scheduled(
                        feb(1), OUTBOUND, 3, feb(3), INBOUND, 10, feb(4), OUTBOUND, 15, feb(5),
                        INBOUND, 1, feb(6), INBOUND, 3),
                FEB_1,
                FEB_7);

        // PO = 17, 17, 27, 12, 13, 16, 16 (A.6.1 step 3).
        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(
                        expected(FEB_1, "12", "12", "12", "12", "13", "16", "16"));
    }

    @Test
    void compute_bikeStepSix_pastSupplyNoLongerCounts() {
        AtpSeries result = AtpSeries.compute(
                List.of(ON_HAND_ATP),
                actual(INBOUND, 20, OUTBOUND, 3),
                scheduled(
                        feb(1), OUTBOUND, 0, feb(3), INBOUND, 10, feb(4), OUTBOUND, 15, feb(5),
                        INBOUND, 1, feb(6), INBOUND, 3),
                feb(4),
                feb(10),
                feb(4),
                feb(10));

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(feb(4), "2", "3", "6", "6", "6", "6", "6"));
        assertThat(result.quantitiesByDate().keySet()).containsExactly(feb(4), feb(5), feb(6));
    }

    @Test
    void compute_apiExample_reportsComponentsWithZerosAndTheNetChange() {
        AtpSeries result = apiExample(FEB_1, FEB_7);

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(FEB_1, "5", "5", "5", "5", "5", "12", "12"));
        assertThat(result.quantitiesByDate().keySet()).containsExactly(feb(2), feb(6));
        assertThat(day(result.quantitiesByDate().get(feb(2))))
                .isEqualTo(Map.of("pos.inbound", "0", "pos.outbound", "5", "iv.onhand", "-5"));
        assertThat(day(result.quantitiesByDate().get(feb(6))))
                .isEqualTo(Map.of("pos.inbound", "7", "pos.outbound", "0", "iv.onhand", "7"));
    }

    @Test
    void compute_supplyOnEveryDay_projectsCumulatively() {
        AtpSeries result = onHandSeries(
                actual(),
                scheduled(
                        feb(1), INBOUND, 1, feb(2), INBOUND, 1, feb(3), INBOUND, 1, feb(4), INBOUND,
                        1, feb(5), INBOUND, 1, feb(6), INBOUND, 1, feb(7), INBOUND, 1),
                FEB_1,
                FEB_7);

        // Rising supply: ATP equals projected on-hand, which accumulates the daily changes.
        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(FEB_1, "1", "2", "3", "4", "5", "6", "7"));
    }

    @Test
    void compute_noSchedules_atpIsOnHandOnEveryDayAndNoDateIsReported() {
        AtpSeries result = onHandSeries(actual(INBOUND, 20, OUTBOUND, 4), Map.of(), FEB_1, FEB_7);

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(
                        expected(FEB_1, "16", "16", "16", "16", "16", "16", "16"));
        assertThat(result.quantitiesByDate()).isEmpty();
    }

    @Test
    void compute_demandOnly_returnsNegativeAtp() {
        AtpSeries result = AtpSeries.compute(
                List.of(ON_HAND_ATP),
                actual(),
                scheduled(feb(2), OUTBOUND, 4),
                FEB_1,
                feb(3),
                FEB_1,
                feb(3));

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(FEB_1, "-4", "-4", "-4"));
    }

    @Test
    void compute_schedulesOutsideTheWindow_areIgnored() {
        AtpSeries result = onHandSeries(
                actual(INBOUND, 10),
                scheduled(
                        LocalDate.of(2022, 1, 31),
                        INBOUND,
                        100,
                        feb(8),
                        OUTBOUND,
                        100,
                        LocalDate.of(2021, 2, 3),
                        OUTBOUND,
                        50,
                        feb(4),
                        OUTBOUND,
                        2),
                FEB_1,
                FEB_7);

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(FEB_1, "8", "8", "8", "8", "8", "8", "8"));
        assertThat(result.quantitiesByDate().keySet()).containsExactly(feb(4));
    }

    @Test
    void compute_dateWhoseSchedulesNetToZero_isStillReported() {
        AtpSeries result = onHandSeries(
                actual(INBOUND, 17),
                scheduled(feb(1), OUTBOUND, 3, feb(1), OUTBOUND, -3),
                FEB_1,
                FEB_7);

        assertThat(day(result.quantitiesByDate().get(FEB_1)))
                .isEqualTo(Map.of("pos.inbound", "0", "pos.outbound", "0", "iv.onhand", "0"));
        assertThat(series(result.atpQuantities(), ON_HAND).values()).containsOnly("17");
    }

    @Test
    void compute_fromAndToInsideTheWindow_filterWithoutChangingValues() {
        AtpSeries result = apiExample(feb(3), feb(5));

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(feb(3), "5", "5", "5"));
        assertThat(result.quantitiesByDate()).isEmpty();
    }

    @Test
    void compute_fromAndToCoveringAScheduleDate_reportThatDateOnly() {
        AtpSeries result = apiExample(feb(5), feb(6));

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(feb(5), "5", "12"));
        assertThat(result.quantitiesByDate().keySet()).containsExactly(feb(6));
    }

    @Test
    void compute_fromEqualToTo_returnsThatDay() {
        AtpSeries result = apiExample(FEB_7, FEB_7);

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(FEB_7, "12"));
    }

    @Test
    void compute_fromAfterTo_returnsEmptyMaps() {
        AtpSeries result = apiExample(feb(5), feb(3));

        assertThat(result.atpQuantities()).isEmpty();
        assertThat(result.quantitiesByDate()).isEmpty();
    }

    @Test
    void compute_twoMeasuresSharingAComponent_areComputedIndependently() {
        AtpSeries result = AtpSeries.compute(
                List.of(ON_HAND_ATP, INCOMING_ATP),
                actual(INBOUND, 10, ON_ORDER, 2),
                scheduled(feb(2), OUTBOUND, 8, feb(3), INBOUND, 5, feb(4), ON_ORDER, 4),
                FEB_1,
                feb(4),
                FEB_1,
                feb(4));

        assertThat(series(result.atpQuantities(), ON_HAND))
                .containsExactlyEntriesOf(expected(FEB_1, "2", "2", "7", "7"));
        assertThat(series(result.atpQuantities(), INCOMING))
                .containsExactlyEntriesOf(expected(FEB_1, "12", "12", "17", "21"));
        assertThat(day(result.quantitiesByDate().get(feb(4))))
                .isEqualTo(Map.of(
                        "pos.inbound", "0",
                        "pos.outbound", "0",
                        "iom.onorder", "4",
                        "iv.onhand", "0",
                        "iv.incoming", "4"));
    }

    @Test
    void compute_randomInputs_matchTheA5FormulasComputedNaively() {
        Random random = new Random(20220201);
        for (int round = 0; round < 500; round++) {
            int period = 1 + random.nextInt(20);
            LocalDate start = FEB_1.plusDays(random.nextInt(30));
            LocalDate end = start.plusDays(period - 1L);
            int onHand = random.nextInt(41) - 10;
            Map<LocalDate, Map<MeasureRef, BigDecimal>> scheduled = new TreeMap<>();
            for (int k = random.nextInt(12); k > 0; k--) {
                LocalDate date = start.plusDays(random.nextInt(period + 6) - 3L);
                MeasureRef measure = random.nextBoolean() ? INBOUND : OUTBOUND;
                scheduled
                        .computeIfAbsent(date, d -> new HashMap<>())
                        .merge(
                                measure,
                                BigDecimal.valueOf(random.nextInt(21) - 5),
                                BigDecimal::add);
            }
            // Naive A.5: PO(d) = OH + Σ Δ over window dates ≤ d; ATP(d) = min PO over d'≥d.
            List<BigDecimal> projected = new ArrayList<>();
            for (int d = 0; d < period; d++) {
                BigDecimal po = BigDecimal.valueOf(onHand);
                for (int e = 0; e <= d; e++) {
                    Map<MeasureRef, BigDecimal> day =
                            scheduled.getOrDefault(start.plusDays(e), Map.of());
                    po = po.add(day.getOrDefault(INBOUND, BigDecimal.ZERO))
                            .subtract(day.getOrDefault(OUTBOUND, BigDecimal.ZERO));
                }
                projected.add(po);
            }
            Map<LocalDate, String> naive = new LinkedHashMap<>();
            for (int d = 0; d < period; d++) {
                BigDecimal min = projected.get(d);
                for (int e = d; e < period; e++) {
                    min = min.min(projected.get(e));
                }
                naive.put(start.plusDays(d), plain(min));
            }

            AtpSeries result = AtpSeries.compute(
                    List.of(ON_HAND_ATP),
                    actual(INBOUND, onHand),
                    scheduled,
                    start,
                    end,
                    start,
                    end);

            String context = "round " + round + ": OH " + onHand + ", " + scheduled;
            Map<LocalDate, String> atp = series(result.atpQuantities(), ON_HAND);
            assertThat(atp).as(context).containsExactlyEntriesOf(naive);
            BigDecimal previous = null;
            for (int d = 0; d < period; d++) {
                BigDecimal value = result.atpQuantities().get(start.plusDays(d)).get(ON_HAND);
                assertThat(value).as(context + " ATP <= PO").isLessThanOrEqualTo(projected.get(d));
                if (previous != null) {
                    assertThat(value)
                            .as(context + " non-decreasing")
                            .isGreaterThanOrEqualTo(previous);
                }
                previous = value;
            }
            assertThat(atp.get(end))
                    .as(context + " last day")
                    .isEqualTo(plain(projected.get(period - 1)));
            for (LocalDate date : result.quantitiesByDate().keySet()) {
                assertThat(date).as(context).isBetween(start, end);
                assertThat(scheduled).as(context).containsKey(date);
            }
        }
    }

    @Test
    void compute_measureWithItsOwnPeriod_usesThatWindow() {
        AtpSeries.Measure shortOnHand =
                new AtpSeries.Measure(ON_HAND_ATP.name(), ON_HAND_ATP.formula(), 3);
        Map<LocalDate, Map<MeasureRef, BigDecimal>> plan =
                scheduled(feb(3), OUTBOUND, "4", feb(5), OUTBOUND, "6", feb(6), INBOUND, "2");

        AtpSeries series = AtpSeries.compute(
                List.of(shortOnHand, INCOMING_ATP),
                actual(INBOUND, "10"),
                plan,
                FEB_1,
                FEB_7,
                FEB_1,
                FEB_7);

        // Within its 3 days iv.onhand only sees the Feb 3 outbound: 10, 6, 6 -> ATP 6, 6, 6.
        assertThat(series.atpQuantities().get(feb(1))).containsEntry(ON_HAND, bd("6"));
        assertThat(series.atpQuantities().get(feb(3))).containsEntry(ON_HAND, bd("6"));
        assertThat(series.atpQuantities().get(feb(4))).doesNotContainKey(ON_HAND);
        assertThat(series.atpQuantities().get(feb(7))).containsEntry(INCOMING, bd("12"));
        assertThat(series.atpQuantities()).hasSize(7);
        assertThat(series.quantitiesByDate().get(feb(5))).doesNotContainKey(ON_HAND);
    }

    @Test
    void compute_everyMeasureShorterThanTheWindow_reportsOnlyTheirDays() {
        AtpSeries.Measure shortOnHand =
                new AtpSeries.Measure(ON_HAND_ATP.name(), ON_HAND_ATP.formula(), 2);

        AtpSeries series = AtpSeries.compute(
                List.of(shortOnHand), actual(INBOUND, "5"), Map.of(), FEB_1, FEB_7, FEB_1, FEB_7);

        assertThat(series.atpQuantities()).containsOnlyKeys(feb(1), feb(2));
    }

    private static BigDecimal bd(String value) {
        return new BigDecimal(value);
    }
}
