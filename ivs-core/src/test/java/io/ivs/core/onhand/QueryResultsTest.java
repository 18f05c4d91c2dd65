package io.ivs.core.onhand;

import static io.ivs.core.TestConfigurations.calculated;
import static io.ivs.core.TestConfigurations.dataSource;
import static io.ivs.core.TestConfigurations.ref;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.TestConfigurations;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

class QueryResultsTest {
    private static final RuntimeConfiguration CONFIG = TestConfigurations.byLocation();
    private static final List<String> WAREHOUSE_GROUPS = List.of("siteid", "locationid");

    private static OnHandQuery query(List<String> groupBy, boolean returnNegative) {
        return new OnHandQuery(
                List.of("usmf"), List.of(), Map.of(), List.of(), groupBy, returnNegative);
    }

    private static Map<MeasureRef, BigDecimal> values(String... pairs) {
        Map<MeasureRef, BigDecimal> values = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            values.put(ref(pairs[i]), new BigDecimal(pairs[i + 1]));
        }
        return values;
    }

    private static ResultRow single(
            RuntimeConfiguration config, boolean returnNegative, Map<MeasureRef, BigDecimal> v) {
        AggregatedRow row = new AggregatedRow("usmf", "T-shirt", List.of("1", "11"), v);
        List<ResultRow> rows = QueryResults.assemble(
                config, query(WAREHOUSE_GROUPS, returnNegative), List.of(row));
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static RuntimeConfiguration crossChannelConfig() {
        List<DataSourceConfig> sources = new ArrayList<>(TestConfigurations.defaultSources());
        sources.removeIf(ds -> ds.key().equals("fno"));
        sources.add(dataSource(
                "fno",
                Map.of(),
                Set.of("availphysical", "orderedintotal", "orderedreserved"),
                List.of()));
        sources.add(dataSource(
                "ecommerce",
                Map.of(),
                Set.of("received", "scheduled", "issued", "reserved"),
                List.of()));
        sources.add(dataSource(
                "CrossChannel",
                Map.of(),
                Set.of(),
                List.of(calculated(
                        "mycustomavailableforreservation",
                        List.of(
                                "fno.availphysical",
                                "fno.orderedintotal",
                                "pos.inbound",
                                "ecommerce.received",
                                "ecommerce.scheduled"),
                        List.of(
                                "fno.orderedreserved",
                                "pos.outbound",
                                "ecommerce.issued",
                                "ecommerce.reserved")))));
        return TestConfigurations.of(PartitionRule.BY_LOCATION, sources);
    }

    @Test
    void assemble_documentedExample27_addsCrossChannel220UnderItsConfiguredName() {
        Map<MeasureRef, BigDecimal> physical = values(
                "pos.inbound", "80",
                "pos.outbound", "20",
                "fno.availphysical", "100",
                "fno.orderedintotal", "50",
                "fno.orderedreserved", "10",
                "ecommerce.received", "90",
                "ecommerce.scheduled", "30",
                "ecommerce.issued", "60",
                "ecommerce.reserved", "40");

        ResultRow row = single(crossChannelConfig(), true, physical);

        assertThat(row.quantities().toNested().get("CrossChannel"))
                .containsOnlyKeys("mycustomavailableforreservation")
                .extractingByKey("mycustomavailableforreservation")
                .satisfies(v -> assertThat(v).isEqualByComparingTo("220"));
        assertThat(row.quantities().get("pos", "inbound")).isEqualByComparingTo("80");
        assertThat(row.quantities().get("pos", "availquantity")).isEqualByComparingTo("160");
        assertThat(row.quantities().toNested().get("ecommerce")).hasSize(4);
    }

    @Test
    void assemble_quantities_dataSourcesInKeyOrderAndMeasuresSorted() {
        Map<MeasureRef, BigDecimal> physical = values(
                "pos.outbound", "20",
                "pos.inbound", "80",
                "fno.availphysical", "100",
                "ecommerce.scheduled", "30",
                "ecommerce.received", "90");

        Quantities quantities = single(crossChannelConfig(), true, physical).quantities();

        assertThat(quantities.dataSources())
                .startsWith("CrossChannel")
                .extracting(name -> name.toLowerCase(java.util.Locale.ROOT))
                .isSorted();
        quantities.forEachDataSource((source, entries) -> assertThat(entries)
                .extracting(Quantities.Entry::measure)
                .isNotEmpty()
                .isSorted());
        assertThat(quantities.entries())
                .extracting(Quantities.Entry::dataSource, Quantities.Entry::measure)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple(
                                "CrossChannel", "mycustomavailableforreservation"),
                        org.assertj.core.groups.Tuple.tuple("ecommerce", "received"));
    }

    @Test
    void assemble_calculatedMeasure_usesTheAggregatedValues() {
        // Two records (inbound 10, outbound 4) and (inbound 0, outbound 9) sum to 10 and 13: the
        // row shows -3, not the sum of per-record values clamped at zero (6 + 0).
        ResultRow row = single(CONFIG, true, values("pos.inbound", "10", "pos.outbound", "13"));

        assertThat(row.quantities().get("pos", "availquantity")).isEqualByComparingTo("-3");
        assertThat(row.quantities().get("iv", "availabletoreserve")).isEqualByComparingTo("-3");
    }

    @Test
    void assemble_returnNegativeFalse_clampsCalculatedOnly() {
        ResultRow row = single(CONFIG, false, values("pos.inbound", "-3", "pos.outbound", "4"));

        Map<String, BigDecimal> pos = row.quantities().toNested().get("pos");
        assertThat(pos.get("inbound")).isEqualByComparingTo("-3");
        assertThat(pos.get("outbound")).isEqualByComparingTo("4");
        assertThat(pos.get("availquantity")).isEqualByComparingTo("0");
        assertThat(row.quantities().get("iv", "availabletoreserve")).isEqualByComparingTo("0");
    }

    @Test
    void assemble_returnNegativeTrue_keepsNegativeCalculated() {
        ResultRow row = single(CONFIG, true, values("pos.inbound", "-3", "pos.outbound", "4"));

        assertThat(row.quantities().get("pos", "availquantity")).isEqualByComparingTo("-7");
    }

    @Test
    void assemble_returnNegativeFalse_keepsPositiveCalculated() {
        ResultRow row = single(CONFIG, false, values("pos.inbound", "9", "pos.outbound", "4"));

        assertThat(row.quantities().get("pos", "availquantity")).isEqualByComparingTo("5");
    }

    @Test
    void assemble_measuresOfUnconfiguredSourcesOrMeasures_areOmitted() {
        ResultRow row = single(
                CONFIG,
                true,
                values("pos.inbound", "5", "erp.unrestricted", "7", "pos.returned", "2"));

        assertThat(row.quantities().toNested()).doesNotContainKey("erp");
        assertThat(row.quantities().toNested().get("pos"))
                .containsOnlyKeys("inbound", "availquantity");
    }

    @Test
    void assemble_sourceWithNothingToShow_isOmitted() {
        ResultRow row = single(CONFIG, true, values("iv.softreserved", "2"));

        assertThat(row.quantities().toNested()).containsOnlyKeys("iv");
        assertThat(row.quantities().get("iv", "softreserved")).isEqualByComparingTo("2");
        assertThat(row.quantities().get("iv", "availabletoreserve")).isEqualByComparingTo("-2");
    }

    @Test
    void assemble_storedZero_isShownAsZero() {
        ResultRow row = single(CONFIG, true, values("pos.inbound", "0", "pos.outbound", "0.000"));

        assertThat(row.quantities().get("pos", "inbound")).isEqualByComparingTo("0");
        assertThat(row.quantities().get("pos", "outbound").toString()).isEqualTo("0");
    }

    @Test
    void assemble_values_areShownWithoutExponentOrTrailingZeros() {
        ResultRow row =
                single(CONFIG, true, values("pos.inbound", "1E+3", "pos.outbound", "2.500"));

        assertThat(row.quantities().get("pos", "inbound").toString()).isEqualTo("1000");
        assertThat(row.quantities().get("pos", "outbound").toString()).isEqualTo("2.5");
    }

    @Test
    void assemble_dimensionNames_partitionLowerCaseOthersCanonical() {
        AggregatedRow row = new AggregatedRow(
                "usmf", "T-shirt", List.of("1", "11", "red"), values("pos.inbound", "1"));
        OnHandQuery query = query(List.of("siteid", "locationid", "colorid"), true);

        ResultRow result = QueryResults.assemble(CONFIG, query, List.of(row)).get(0);

        assertThat(result.dimensions())
                .containsExactly(
                        Map.entry("siteid", "1"),
                        Map.entry("locationid", "11"),
                        Map.entry("ColorId", "red"));
    }

    @Test
    void assemble_order_isTheValueByValueOrderEvenForPrefixesAndEmptyValues() {
        // Values that are prefixes of each other and empty values are where a joined sort key
        // could disagree with comparing value by value. The group-by orders put site and
        // location first, after another dimension, and leave one out: the warehouse comes
        // before the product whatever the group-by order.
        List<String> values = List.of("", "a", "ab", "a b", "b", "1", "10", "2", "Z");
        for (List<String> groupBy : List.of(
                List.of("siteid", "locationid", "colorid"),
                List.of("colorid", "locationid", "siteid"),
                List.of("colorid", "sizeid", "siteid"))) {
            Random random = new Random(7);
            List<AggregatedRow> rows = new ArrayList<>();
            Set<List<String>> seen = new java.util.HashSet<>();
            while (rows.size() < 400) {
                List<String> key = List.of(
                        pick(random, values),
                        pick(random, values),
                        pick(random, values),
                        pick(random, values),
                        pick(random, values));
                if (seen.add(key)) {
                    rows.add(new AggregatedRow(
                            key.get(0),
                            key.get(1),
                            List.of(key.get(2), key.get(3), key.get(4)),
                            values("pos.inbound", "1")));
                }
            }
            OnHandQuery query = query(groupBy, true);

            List<ResultRow> assembled = QueryResults.assemble(CONFIG, query, rows);

            List<ResultRow> expected = new ArrayList<>(assembled);
            Collections.shuffle(expected, new Random(8));
            expected.sort(QueryResults.ORDER);
            assertThat(assembled).as("group by %s", groupBy).containsExactlyElementsOf(expected);
            assertThat(assembled).hasSize(rows.size());
        }
    }

    @Test
    void assemble_rowsWithDifferentMeasures_eachShowTheirOwn() {
        // An answer arranges the names of each set of physical measures once and reuses them
        // for the rows with the same set: rows whose sets differ, alternating, must still each
        // show exactly what a row assembled alone shows.
        List<Map<MeasureRef, BigDecimal>> physical = List.of(
                values("pos.inbound", "5"),
                values("pos.inbound", "5", "pos.outbound", "7"),
                values("pos.outbound", "2"),
                values("pos.inbound", "1"),
                values("fno.availphysical", "3", "pos.inbound", "4"),
                values("pos.outbound", "2", "pos.inbound", "1"),
                values("iv.softreserved", "6"),
                values("unknown.measure", "9"),
                values("pos.inbound", "8"));
        List<AggregatedRow> rows = new ArrayList<>();
        for (int i = 0; i < physical.size(); i++) {
            rows.add(new AggregatedRow("usmf", "P" + i, List.of("1", "11"), physical.get(i)));
        }

        List<ResultRow> assembled =
                QueryResults.assemble(CONFIG, query(WAREHOUSE_GROUPS, false), rows);

        assertThat(assembled).hasSize(physical.size());
        for (ResultRow row : assembled) {
            int i = Integer.parseInt(row.productId().substring(1));
            ResultRow alone = single(CONFIG, false, physical.get(i));
            assertThat(row.quantities().toNested())
                    .as(row.productId())
                    .isEqualTo(alone.quantities().toNested());
            assertThat(row.quantities().entries())
                    .as(row.productId())
                    .containsExactlyElementsOf(alone.quantities().entries());
        }
        // 5 - 7 is shown as 0 (returnNegative false); 3 + 4 is 7.
        Quantities both = assembled.get(1).quantities();
        assertThat(both.get("pos", "availquantity")).isEqualByComparingTo("0");
        assertThat(both.get("iv", "availabletoreserve")).isEqualByComparingTo("0");
        assertThat(assembled.get(4).quantities().get("pos", "availquantity"))
                .isEqualByComparingTo("7");
        assertThat(assembled.get(6).quantities().toNested())
                .isEqualTo(Map.of(
                        "iv",
                        Map.of(
                                "availabletoreserve",
                                BigDecimal.ZERO,
                                "softreserved",
                                new BigDecimal("6"))));
        assertThat(assembled.get(7).quantities().isEmpty()).isTrue();
    }

    @Test
    void assemble_calculatedMeasures_equalTheirFormulaOnEveryRowWhicheverComponentsItHas() {
        // Each row computes a calculated measure from the components it has, read by position
        // (QueryResults.Slot): the same value, to the same scale, as the formula over the whole
        // row (CalculatedMeasure.evaluate, a missing component counting 0). The formulas here
        // repeat a component, take one away that they also add, and span data sources.
        CalculatedMeasure net = calculated(
                "net", List.of("pos.a", "pos.b", "pos.a", "erp.c"), List.of("pos.b", "erp.d"));
        CalculatedMeasure spare = calculated("spare", List.of("erp.d"), List.of("pos.a"));
        RuntimeConfiguration config = TestConfigurations.of(
                PartitionRule.BY_LOCATION,
                List.of(
                        dataSource("pos", Map.of(), Set.of("a", "b"), List.of(net)),
                        dataSource("erp", Map.of(), Set.of("c", "d"), List.of(spare))));
        List<String> measures = List.of("pos.a", "pos.b", "erp.c", "erp.d");
        String[] amounts = {
            "0", "0.000", "7", "-7", "2.50", "1E+3", "-0.125", "3.000", "1E-2", "-12"
        };
        Random random = new Random(20261207);
        for (boolean returnNegative : List.of(true, false)) {
            List<AggregatedRow> rows = new ArrayList<>();
            List<Map<MeasureRef, BigDecimal>> physical = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Map<MeasureRef, BigDecimal> values = new HashMap<>();
                for (String measure : measures) {
                    if (random.nextInt(3) > 0) {
                        values.put(ref(measure), new BigDecimal(pick(random, List.of(amounts))));
                    }
                }
                physical.add(values);
                rows.add(new AggregatedRow("usmf", "P" + i, List.of("1", "11"), values));
            }

            List<ResultRow> assembled =
                    QueryResults.assemble(config, query(WAREHOUSE_GROUPS, returnNegative), rows);

            assertThat(assembled).hasSize(rows.size());
            for (ResultRow row : assembled) {
                Map<MeasureRef, BigDecimal> values =
                        physical.get(Integer.parseInt(row.productId().substring(1)));
                assertThat(shown(row, "pos", "net"))
                        .as("%s %s", row.productId(), values)
                        .isEqualTo(expected(net, values, returnNegative));
                assertThat(shown(row, "erp", "spare"))
                        .as("%s %s", row.productId(), values)
                        .isEqualTo(expected(spare, values, returnNegative));
            }
        }
    }

    /** A row's quantity as text, exactly as the answer shows it; null when not shown. */
    private static String shown(ResultRow row, String dataSource, String measure) {
        BigDecimal value = row.quantities().get(dataSource, measure);
        return value == null ? null : value.toString();
    }

    /** The formula over the whole row, shown as an answer shows it; null without a component. */
    private static String expected(
            CalculatedMeasure measure, Map<MeasureRef, BigDecimal> values, boolean returnNegative) {
        if (!measure.hasAnyComponentIn(values)) {
            return null;
        }
        BigDecimal value = measure.evaluate(values);
        if (!returnNegative && value.signum() < 0) {
            value = BigDecimal.ZERO;
        }
        return QueryResults.plain(value).toString();
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Five warehouses, two products each, in random order as a store might return them. */
    private static List<ResultRow> fiveWarehouses(long seed) {
        List<AggregatedRow> rows = new ArrayList<>();
        String[][] warehouses = {{"1", "11"}, {"1", "12"}, {"1", "13"}, {"2", "21"}, {"2", "22"}};
        for (String[] warehouse : warehouses) {
            for (String product : List.of("Jeans", "T-shirt")) {
                rows.add(new AggregatedRow(
                        "usmf",
                        product,
                        List.of(warehouse[0], warehouse[1]),
                        values("pos.inbound", "1")));
            }
        }
        Collections.shuffle(rows, new Random(seed));
        return QueryResults.assemble(CONFIG, query(WAREHOUSE_GROUPS, true), rows);
    }

    private static List<String> locations(QueryResults.Page page) {
        return page.rows().stream().map(r -> r.dimensions().get("locationid")).toList();
    }

    @Test
    void page_documentedExample28_coversTwoWarehousesPerPage() {
        List<ResultRow> sorted = fiveWarehouses(28);

        QueryResults.Page first = QueryResults.page(sorted, 1, 2);
        QueryResults.Page second = QueryResults.page(sorted, 2, 2);
        QueryResults.Page third = QueryResults.page(sorted, 3, 2);

        assertThat(locations(first)).containsExactly("11", "11", "12", "12");
        assertThat(first.hasNext()).isTrue();
        assertThat(locations(second)).containsExactly("13", "13", "21", "21");
        assertThat(second.hasNext()).isTrue();
        assertThat(locations(third)).containsExactly("22", "22");
        assertThat(third.hasNext()).isFalse();
        assertThat(third.rows())
                .extracting(ResultRow::productId)
                .containsExactly("Jeans", "T-shirt");
    }

    @Test
    void page_beyondLastWarehouse_isEmptyWithoutNext() {
        QueryResults.Page fourth = QueryResults.page(fiveWarehouses(4), 4, 2);

        assertThat(fourth.rows()).isEmpty();
        assertThat(fourth.hasNext()).isFalse();
    }

    @Test
    void page_sizeCoveringAllWarehouses_hasNoNext() {
        List<ResultRow> sorted = fiveWarehouses(5);

        QueryResults.Page exact = QueryResults.page(sorted, 1, 5);
        QueryResults.Page all = QueryResults.page(sorted, 1, Integer.MAX_VALUE);

        assertThat(exact.rows()).hasSize(10);
        assertThat(exact.hasNext()).isFalse();
        assertThat(all.rows()).isEqualTo(sorted);
        assertThat(all.hasNext()).isFalse();
    }

    @Test
    void page_sameWarehouseInTwoOrganizations_countsAsTwoWarehouses() {
        List<AggregatedRow> rows = List.of(
                new AggregatedRow(
                        "usmf", "T-shirt", List.of("1", "11"), values("pos.inbound", "1")),
                new AggregatedRow(
                        "demf", "T-shirt", List.of("1", "11"), values("pos.inbound", "2")));
        List<ResultRow> sorted = QueryResults.assemble(CONFIG, query(WAREHOUSE_GROUPS, true), rows);

        QueryResults.Page first = QueryResults.page(sorted, 1, 1);

        assertThat(first.rows()).extracting(ResultRow::organizationId).containsExactly("demf");
        assertThat(first.hasNext()).isTrue();
    }
}
