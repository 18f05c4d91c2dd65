package io.ivs.server.atp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.AtpTestSupport;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;
import io.ivs.server.support.SettableClock;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Change schedules and ATP over HTTP against real PostgreSQL, with the clock moved by hand: the
 * worked examples of spec A.6 with every number checked (the bike scenario A.6.1 step by step,
 * the API response A.6.2, the derived vectors A.6.3), the GET and exact-query forms, and several
 * ATP measures and groups computed independently.
 */
@Import(SettableClock.Config.class)
class AtpIntegrationTest extends AtpTestSupport {
    /** The ATP options of the doc's query example (A.4.1). */
    private static final String DOC_OPTIONS = """
            "returnNegative": true, "QueryATP": true,
            "ATPFromDate": "2022-02-01", "ATPToDate": "2022-02-10\"""";

    /** The doc's GET example (A.4.1), ATPToDate given twice as the doc has it (C-A9). */
    private static final String DOC_GET = "/onhand?organizationId=usmf&productId=Bike&SiteId=1"
            + "&LocationId=11&groupBy=ColorId,SizeId&returnNegative=true&QueryATP=true"
            + "&ATPFromDate=2022-02-01&ATPToDate=2022-02-10&ATPToDate=2022-02-10";

    /** The ATP row of the bike, queried as in the doc's example. */
    private JsonNode bikeAtpRow() {
        JsonNode row = onlyRow(bikeQuery(DOC_OPTIONS));
        assertThat(row.path("productId").asString()).isEqualTo(BIKE);
        return row;
    }

    /** The {@code quantities} of the bike from a normal index query (no ATP). */
    private JsonNode bikeActualQuantities() {
        return onlyRow(bikeQuery("\"returnNegative\": true")).path("quantities");
    }

    /**
     * Checks a table of A.6.1 against the bike's ATP row. A table row is {date, scheduled supply,
     * scheduled demand, projected, ATP}; blank supply and demand mean the date has no schedule.
     * The on-hand column is the actual {@code iv.onhand}; the projected column is recomputed from
     * the response (on-hand plus the net scheduled changes up to the date), since IV does not
     * return it.
     */
    private void assertBikeTable(String step, String onHand, String[][] table) {
        JsonNode row = bikeAtpRow();
        assertThat(quantity(row, "iv", "onhand")).as(step + ": on-hand").isEqualTo(onHand);
        Map<String, String> expectedAtp = new LinkedHashMap<>();
        Map<String, Map<String, String>> expectedByDate = new LinkedHashMap<>();
        for (String[] day : table) {
            expectedAtp.put(utcKey(day[0]), day[4]);
            if (!day[1].isEmpty() || !day[2].isEmpty()) {
                BigDecimal supply = new BigDecimal(day[1].isEmpty() ? "0" : day[1]);
                BigDecimal demand = new BigDecimal(day[2].isEmpty() ? "0" : day[2]);
                expectedByDate.put(
                        dayKey(day[0]),
                        Map.of(
                                "pos.inbound", supply.toPlainString(),
                                "pos.outbound", demand.toPlainString(),
                                "iv.onhand", supply.subtract(demand).toPlainString()));
            }
        }
        assertThat(atp(row, "iv", "onhand"))
                .as(step + ": ATP")
                .containsExactlyEntriesOf(expectedAtp);
        Map<String, Map<String, String>> scheduled = byDate(row);
        assertThat(scheduled).as(step + ": quantitiesByDate").isEqualTo(expectedByDate);
        assertThat(scheduled.keySet())
                .as(step + ": quantitiesByDate in date order")
                .containsExactlyElementsOf(expectedByDate.keySet());
        BigDecimal projected = new BigDecimal(onHand);
        for (String[] day : table) {
            Map<String, String> delta = scheduled.get(dayKey(day[0]));
            if (delta != null) {
                projected = projected.add(new BigDecimal(delta.get("iv.onhand")));
            }
            assertThat(projected.toPlainString())
                    .as(step + ": projected on-hand on " + day[0])
                    .isEqualTo(day[3]);
        }
    }

    @Test
    void indexQuery_bikeScenarioStepsOneToSix_reproducesEveryTableOfA61() {
        enableOnHandAtp(7);
        onHandOk("oh-bike-0001", "pos", "inbound", 20);
        JsonNode actualAtStart = bikeActualQuantities();
        assertThat(quantity(onlyRow(bikeQuery("")), "iv", "onhand")).isEqualTo("20");
        assertBikeTable("start", "20", new String[][] {
            {"2022-02-01", "", "", "20", "20"},
            {"2022-02-02", "", "", "20", "20"},
            {"2022-02-03", "", "", "20", "20"},
            {"2022-02-04", "", "", "20", "20"},
            {"2022-02-05", "", "", "20", "20"},
            {"2022-02-06", "", "", "20", "20"},
            {"2022-02-07", "", "", "20", "20"}
        });

        // Step 1: demand 3 on 02-01.
        scheduleOk("sched-1", "2022-02-01", "pos", "outbound", 3);
        assertBikeTable("step 1", "20", new String[][] {
            {"2022-02-01", "", "3", "17", "17"},
            {"2022-02-02", "", "", "17", "17"},
            {"2022-02-03", "", "", "17", "17"},
            {"2022-02-04", "", "", "17", "17"},
            {"2022-02-05", "", "", "17", "17"},
            {"2022-02-06", "", "", "17", "17"},
            {"2022-02-07", "", "", "17", "17"}
        });

        // Step 2: supply 10 on 02-03.
        scheduleOk("sched-2", "2022-02-03", "pos", "inbound", 10);
        assertBikeTable("step 2", "20", new String[][] {
            {"2022-02-01", "", "3", "17", "17"},
            {"2022-02-02", "", "", "17", "17"},
            {"2022-02-03", "10", "", "27", "27"},
            {"2022-02-04", "", "", "27", "27"},
            {"2022-02-05", "", "", "27", "27"},
            {"2022-02-06", "", "", "27", "27"},
            {"2022-02-07", "", "", "27", "27"}
        });

        // Step 3: demand 15 on 02-04, supply 1 on 02-05 and 3 on 02-06, in one message.
        Map<String, Object> step3 = new LinkedHashMap<>();
        step3.putAll(on("2022-02-04", "pos", "outbound", 15));
        step3.putAll(on("2022-02-05", "pos", "inbound", 1));
        step3.putAll(on("2022-02-06", "pos", "inbound", 3));
        assertSuccess(postSchedule(scheduleBody("sched-3", step3)), "sched-3");
        String[][] step3Table = {
            {"2022-02-01", "", "3", "17", "12"},
            {"2022-02-02", "", "", "17", "12"},
            {"2022-02-03", "10", "", "27", "12"},
            {"2022-02-04", "", "15", "12", "12"},
            {"2022-02-05", "1", "", "13", "13"},
            {"2022-02-06", "3", "", "16", "16"},
            {"2022-02-07", "", "", "16", "16"}
        };
        assertBikeTable("step 3", "20", step3Table);
        // T-ATP-7: schedules never touch the actual quantities.
        assertThat(bikeActualQuantities()).isEqualTo(actualAtStart);
        assertThat(bikeAtpRow().path("quantities")).isEqualTo(actualAtStart);

        // Step 4: the 3 units ship: the event commits them, a schedule of -3 reverts the demand.
        onHandOk("oh-bike-0002", "pos", "outbound", 3);
        JsonNode actualAfterEvent = bikeActualQuantities();
        assertThat(actualAfterEvent).isNotEqualTo(actualAtStart);
        assertThat(quantity(onlyRow(bikeQuery("")), "iv", "onhand")).isEqualTo("17");
        // Committed but not yet reverted: the 3 count twice until the revert (A.7).
        assertThat(atp(bikeAtpRow(), "iv", "onhand").get(utcKey("2022-02-01"))).isEqualTo("9");
        scheduleOk("sched-4", "2022-02-01", "pos", "outbound", -3);
        assertBikeTable("step 4", "17", new String[][] {
            {"2022-02-01", "", "0", "17", "12"},
            {"2022-02-02", "", "", "17", "12"},
            {"2022-02-03", "10", "", "27", "12"},
            {"2022-02-04", "", "15", "12", "12"},
            {"2022-02-05", "1", "", "13", "13"},
            {"2022-02-06", "3", "", "16", "16"},
            {"2022-02-07", "", "", "16", "16"}
        });
        assertThat(bikeAtpRow().path("quantities")).isEqualTo(actualAfterEvent);

        // Step 5: the clock moves to 02-02; the window becomes 02-02..02-08.
        clock.setDate(LocalDate.of(2022, 2, 2));
        assertBikeTable("step 5", "17", new String[][] {
            {"2022-02-02", "", "", "17", "12"},
            {"2022-02-03", "10", "", "27", "12"},
            {"2022-02-04", "", "15", "12", "12"},
            {"2022-02-05", "1", "", "13", "13"},
            {"2022-02-06", "3", "", "16", "16"},
            {"2022-02-07", "", "", "16", "16"},
            {"2022-02-08", "", "", "16", "16"}
        });

        // Step 6: the clock moves to 02-04; the 02-03 supply never came and no longer counts.
        clock.setDate(LocalDate.of(2022, 2, 4));
        assertBikeTable("step 6", "17", new String[][] {
            {"2022-02-04", "", "15", "2", "2"},
            {"2022-02-05", "1", "", "3", "3"},
            {"2022-02-06", "3", "", "6", "6"},
            {"2022-02-07", "", "", "6", "6"},
            {"2022-02-08", "", "", "6", "6"},
            {"2022-02-09", "", "", "6", "6"},
            {"2022-02-10", "", "", "6", "6"}
        });
        assertThat(bikeAtpRow().path("quantities")).isEqualTo(actualAfterEvent);
        // T-ATP-8: the 02-03 schedule is still stored; it is only outside the window.
        assertThat(storedSchedule(LocalDate.of(2022, 2, 3), "pos.inbound"))
                .isEqualByComparingTo("10");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 1), "pos.outbound"))
                .isEqualByComparingTo("0");
    }

    @Test
    void indexQuery_noDateOptionsAfterClockMoved_reportsTodayThroughPeriodEnd() {
        enableOnHandAtp(7);
        onHandOk("oh-1", "pos", "inbound", 20);
        scheduleOk("s-1", "2022-02-03", "pos", "inbound", 10);
        scheduleOk("s-2", "2022-02-04", "pos", "outbound", 15);
        clock.setDate(LocalDate.of(2022, 2, 4));

        JsonNode row = onlyRow(bikeQuery("\"QueryATP\": true"));

        assertThat(atp(row, "iv", "onhand").keySet())
                .containsExactly(
                        utcKey("2022-02-04"),
                        utcKey("2022-02-05"),
                        utcKey("2022-02-06"),
                        utcKey("2022-02-07"),
                        utcKey("2022-02-08"),
                        utcKey("2022-02-09"),
                        utcKey("2022-02-10"));
        assertThat(atp(row, "iv", "onhand").values()).containsOnly("5");
        assertThat(byDate(row).keySet()).containsExactly(dayKey("2022-02-04"));
    }

    /** Spec A.6.2: actual pos.inbound 10, pos.outbound 0; 02-02 outbound 5, 02-06 inbound 7. */
    private void seedApiExample() {
        enableOnHandAtp(7);
        Map<String, Object> event = IvsClient.map(
                "id",
                "id-bike-0001",
                "organizationId",
                ORG,
                "productId",
                BIKE,
                "dimensions",
                bikeDimensions(),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", 10.0, "outbound", 0)));
        assertSuccess(client.post(api("/onhand"), IvsClient.json(event)), "id-bike-0001");
        scheduleOk("id-bike-0001", "2022-02-02", "pos", "outbound", 5);
        scheduleOk("id-bike-0002", "2022-02-06", "pos", "inbound", 7);
    }

    @Test
    void indexQuery_apiResponseExample_returnsTheDocumentedResponse() {
        seedApiExample();

        JsonNode rows = rows(bikeQuery(DOC_OPTIONS));

        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("productId").asString()).isEqualTo("Bike");
        assertThat(row.path("organizationId").asString()).isEqualTo("usmf");
        assertThat(QueryTestSupport.dimensionsOf(row))
                .containsExactly(
                        Map.entry("siteid", "1"),
                        Map.entry("locationid", "11"),
                        Map.entry("ColorId", "Red"),
                        Map.entry("SizeId", "Small"));
        assertThat(quantity(row, "pos", "inbound")).isEqualTo("10");
        assertThat(quantity(row, "pos", "outbound")).isEqualTo("0");
        assertThat(quantity(row, "iv", "onhand")).isEqualTo("10");

        JsonNode byDateNode = row.path("quantitiesByDate");
        assertThat(byDateNode.propertyNames())
                .containsExactly("2022-02-02T00:00:00", "2022-02-06T00:00:00");
        assertThat(byDate(row))
                .isEqualTo(Map.of(
                        "2022-02-02T00:00:00",
                        Map.of("pos.outbound", "5", "pos.inbound", "0", "iv.onhand", "-5"),
                        "2022-02-06T00:00:00",
                        Map.of("pos.inbound", "7", "pos.outbound", "0", "iv.onhand", "7")));
        assertThat(byDateNode.path("2022-02-02T00:00:00").propertyNames())
                .containsExactlyInAnyOrder("pos", "iv");

        JsonNode atpNode = row.path("atpQuantities");
        assertThat(atpNode.propertyNames())
                .containsExactly(
                        "2022-02-01T00:00:00Z",
                        "2022-02-02T00:00:00Z",
                        "2022-02-03T00:00:00Z",
                        "2022-02-04T00:00:00Z",
                        "2022-02-05T00:00:00Z",
                        "2022-02-06T00:00:00Z",
                        "2022-02-07T00:00:00Z");
        Map<String, Map<String, String>> expectedAtp = new LinkedHashMap<>();
        String[] values = {"5", "5", "5", "5", "5", "12", "12"};
        for (int d = 0; d < values.length; d++) {
            expectedAtp.put(utcKey(FEB_1.plusDays(d).toString()), Map.of("iv.onhand", values[d]));
        }
        assertThat(atpByDate(row)).containsExactlyEntriesOf(expectedAtp);
        for (JsonNode day : atpNode) {
            assertThat(day.propertyNames()).containsExactly("iv");
            assertThat(day.path("iv").path("onhand").isNumber()).isTrue();
        }
    }

    @Test
    void indexQuery_withoutQueryAtp_hasNoScheduleFields() {
        seedApiExample();

        JsonNode row = onlyRow(bikeQuery("\"returnNegative\": true"));

        assertThat(row.has("quantitiesByDate")).isFalse();
        assertThat(row.has("atpQuantities")).isFalse();
        assertThat(quantity(row, "iv", "onhand")).isEqualTo("10");
    }

    @Test
    void indexQuery_demandOnlyWithReturnNegativeFalse_showsNegativeAtp() {
        enableOnHandAtp(3);
        scheduleOk("demand-1", "2022-02-02", "pos", "outbound", 4);

        JsonNode row = onlyRow(bikeQuery("\"returnNegative\": false, \"QueryATP\": true"));

        // A group with schedules and no on-hand at all still appears (A.6.3).
        assertThat(QueryTestSupport.dimensionsOf(row))
                .containsExactly(
                        Map.entry("siteid", "1"),
                        Map.entry("locationid", "11"),
                        Map.entry("ColorId", "Red"),
                        Map.entry("SizeId", "Small"));
        assertThat(row.path("quantities").isObject()).isTrue();
        assertThat(row.path("quantities").isEmpty()).as(row.toString()).isTrue();
        assertThat(atp(row, "iv", "onhand"))
                .containsExactly(
                        Map.entry(utcKey("2022-02-01"), "-4"),
                        Map.entry(utcKey("2022-02-02"), "-4"),
                        Map.entry(utcKey("2022-02-03"), "-4"));
        assertThat(byDate(row))
                .isEqualTo(Map.of(
                        dayKey("2022-02-02"),
                        Map.of("pos.inbound", "0", "pos.outbound", "4", "iv.onhand", "-4")));
    }

    @Test
    void indexQuery_negativeOnHandWithReturnNegativeFalse_clampsQuantitiesButNotAtp() {
        enableOnHandAtp(3);
        onHandOk("oh-out", "pos", "outbound", 2);
        scheduleOk("demand-1", "2022-02-02", "pos", "outbound", 4);

        JsonNode hidden = onlyRow(bikeQuery("\"returnNegative\": false, \"QueryATP\": true"));
        JsonNode shown = onlyRow(bikeQuery("\"returnNegative\": true, \"QueryATP\": true"));

        // returnNegative governs quantities only (C-A6); ATP starts from the real -2.
        assertThat(quantity(hidden, "iv", "onhand")).isEqualTo("0");
        assertThat(quantity(shown, "iv", "onhand")).isEqualTo("-2");
        Map<String, String> expected = Map.of(
                utcKey("2022-02-01"), "-6", utcKey("2022-02-02"), "-6", utcKey("2022-02-03"), "-6");
        assertThat(atp(hidden, "iv", "onhand")).isEqualTo(expected);
        assertThat(atp(shown, "iv", "onhand")).isEqualTo(expected);
        assertThat(byDate(hidden)).isEqualTo(byDate(shown));
    }

    @Test
    void indexQuery_fromAndToInsideWindow_filterOutputOnly() {
        seedApiExample();

        JsonNode row = onlyRow(bikeQuery(atpRange("2022-02-03", "2022-02-05")));

        // The minimum still looks ahead to 02-07 (A.6.3): values unchanged.
        assertThat(atp(row, "iv", "onhand"))
                .containsExactly(
                        Map.entry(utcKey("2022-02-03"), "5"),
                        Map.entry(utcKey("2022-02-04"), "5"),
                        Map.entry(utcKey("2022-02-05"), "5"));
        assertThat(byDate(row)).isEmpty();
        assertThat(quantity(row, "iv", "onhand")).isEqualTo("10");
    }

    @Test
    void indexQuery_fromAndToAroundScheduleDates_reportScheduleDatesInRange() {
        seedApiExample();

        JsonNode row = onlyRow(bikeQuery(atpRange("2022-02-06", "2022-02-06")));

        assertThat(atp(row, "iv", "onhand")).containsExactly(Map.entry(utcKey("2022-02-06"), "12"));
        assertThat(byDate(row).keySet()).containsExactly(dayKey("2022-02-06"));
    }

    @Test
    void indexQuery_fromBeforeTodayAndToAfterWindow_areClampedToTheWindow() {
        seedApiExample();

        JsonNode row = onlyRow(bikeQuery(atpRange("2021-12-01", "2023-01-01")));

        assertThat(atp(row, "iv", "onhand").values())
                .containsExactly("5", "5", "5", "5", "5", "12", "12");
        assertThat(atp(row, "iv", "onhand").keySet())
                .startsWith(utcKey("2022-02-01"))
                .endsWith(utcKey("2022-02-07"));
    }

    @Test
    void indexQuery_fromAfterTo_returnsEmptySeries() {
        seedApiExample();

        JsonNode row = onlyRow(bikeQuery(atpRange("2022-02-05", "2022-02-03")));

        assertThat(row.path("atpQuantities").isObject()).isTrue();
        assertThat(row.path("atpQuantities").isEmpty()).isTrue();
        assertThat(row.path("quantitiesByDate").isEmpty()).isTrue();
        assertThat(quantity(row, "iv", "onhand")).isEqualTo("10");
    }

    @Test
    void getQuery_docExample_equalsThePostAnswer() {
        seedApiExample();

        IvsClient.Response get = client.get(api(DOC_GET));
        JsonNode post = rows(bikeQuery(DOC_OPTIONS));

        assertThat(get.status()).as(get.body()).isEqualTo(200);
        assertThat(get.json()).isEqualTo(post);
        assertThat(atp(get.json().get(0), "iv", "onhand").values())
                .containsExactly("5", "5", "5", "5", "5", "12", "12");
        assertThat(byDate(get.json().get(0))).hasSize(2);
    }

    @Test
    void getQuery_fromAndToFilter_likeThePostForm() {
        seedApiExample();

        IvsClient.Response get = client.get(api("/onhand?organizationId=usmf&productId=Bike"
                + "&siteId=1&locationId=11&groupBy=ColorId,SizeId&QueryATP=true"
                + "&ATPFromDate=2022-02-03&ATPToDate=2022-02-05"));

        assertThat(get.status()).as(get.body()).isEqualTo(200);
        assertThat(get.json()).hasSize(1);
        assertThat(atp(get.json().get(0), "iv", "onhand"))
                .containsExactly(
                        Map.entry(utcKey("2022-02-03"), "5"),
                        Map.entry(utcKey("2022-02-04"), "5"),
                        Map.entry(utcKey("2022-02-05"), "5"));
    }

    @Test
    void exactQuery_withQueryAtp_returnsTheSeriesOfTheRequestedTuple() {
        seedApiExample();
        Map<String, Object> blue = IvsClient.map(
                "id",
                "blue-1",
                "organizationId",
                ORG,
                "productId",
                BIKE,
                "dimensions",
                IvsClient.map(
                        "SiteId", "1", "LocationId", "11", "ColorId", "Blue", "SizeId", "Big"),
                "quantitiesByDate",
                on("2022-02-03", "pos", "outbound", 2));
        assertSuccess(postSchedule(blue), "blue-1");

        IvsClient.Response response = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["Bike"],
                             "dimensions": ["SiteId", "LocationId", "ColorId", "SizeId"],
                             "values": [["1", "11", "Red", "Small"]]},
                 "returnNegative": true, "QueryATP": true,
                 "ATPFromDate": "2022-02-01", "ATPToDate": "2022-02-10"}""");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rows = response.json();
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(QueryTestSupport.dimensionsOf(row))
                .containsEntry("ColorId", "Red")
                .containsEntry("SizeId", "Small");
        assertThat(quantity(row, "iv", "onhand")).isEqualTo("10");
        assertThat(atp(row, "iv", "onhand").values())
                .containsExactly("5", "5", "5", "5", "5", "12", "12");
        assertThat(byDate(row).keySet())
                .containsExactly(dayKey("2022-02-02"), dayKey("2022-02-06"));
        // The index query answers the same series for Red/Small.
        JsonNode indexRow = null;
        for (JsonNode candidate : rows(bikeQuery(DOC_OPTIONS))) {
            if (candidate.path("dimensions").path("ColorId").asString().equals("Red")) {
                indexRow = candidate;
            }
        }
        assertThat(indexRow).isNotNull();
        assertThat(indexRow.path("atpQuantities")).isEqualTo(row.path("atpQuantities"));
        assertThat(indexRow.path("quantitiesByDate")).isEqualTo(row.path("quantitiesByDate"));
    }

    @Test
    void indexQuery_twoGroups_eachGetsItsOwnSeries() {
        seedApiExample();
        Map<String, Object> blue = IvsClient.map(
                "id",
                "blue-1",
                "organizationId",
                ORG,
                "productId",
                BIKE,
                "dimensions",
                IvsClient.map(
                        "SiteId", "1", "LocationId", "11", "ColorId", "Blue", "SizeId", "Big"),
                "quantitiesByDate",
                on("2022-02-04", "pos", "inbound", 3));
        assertSuccess(postSchedule(blue), "blue-1");

        JsonNode rows = rows(bikeQuery(DOC_OPTIONS));

        assertThat(rows).hasSize(2);
        Map<String, JsonNode> byColor = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            byColor.put(row.path("dimensions").path("ColorId").asString(), row);
        }
        assertThat(byColor.keySet()).containsExactlyInAnyOrder("Red", "Blue");
        assertThat(atp(byColor.get("Blue"), "iv", "onhand").values())
                .containsExactly("0", "0", "0", "3", "3", "3", "3");
        assertThat(byDate(byColor.get("Blue")))
                .isEqualTo(Map.of(
                        dayKey("2022-02-04"),
                        Map.of("pos.inbound", "3", "pos.outbound", "0", "iv.onhand", "3")));
        assertThat(byColor.get("Blue").path("quantities").isEmpty()).isTrue();
        assertThat(atp(byColor.get("Red"), "iv", "onhand").values())
                .containsExactly("5", "5", "5", "5", "5", "12", "12");
    }

    @Test
    void indexQuery_twoAtpMeasuresSharingAComponent_computesEachIndependently() {
        configure(document -> {
            onHandAtp(document, 4);
            HttpTestSupport.calculated(
                    source(document, "iv"),
                    "incoming",
                    new String[] {"pos.inbound", "iom.onorder"},
                    new String[0]);
            ObjectNode second = schedule(document)
                    .withArrayProperty("atpCalculatedMeasures")
                    .addObject();
            second.put("dataSourceName", "iv");
            second.put("calculatedMeasureName", "incoming");
        });
        onHandOk("oh-in", "pos", "inbound", 10);
        onHandOk("oh-order", "iom", "onorder", 2);
        scheduleOk("s-out", "2022-02-02", "pos", "outbound", 8);
        scheduleOk("s-in", "2022-02-03", "pos", "inbound", 5);
        scheduleOk("s-order", "2022-02-04", "iom", "onorder", 4);

        JsonNode row = onlyRow(bikeQuery("\"QueryATP\": true"));

        // iv.onhand = inbound - outbound: OH 10, PO 10, 2, 7, 7 -> ATP 2, 2, 7, 7.
        // iv.incoming = inbound + onorder: OH 12, PO 12, 12, 17, 21 -> ATP 12, 12, 17, 21.
        assertThat(quantity(row, "iv", "onhand")).isEqualTo("10");
        assertThat(quantity(row, "iv", "incoming")).isEqualTo("12");
        assertThat(atpByDate(row))
                .containsExactly(
                        Map.entry(
                                utcKey("2022-02-01"),
                                Map.of("iv.onhand", "2", "iv.incoming", "12")),
                        Map.entry(
                                utcKey("2022-02-02"),
                                Map.of("iv.onhand", "2", "iv.incoming", "12")),
                        Map.entry(
                                utcKey("2022-02-03"),
                                Map.of("iv.onhand", "7", "iv.incoming", "17")),
                        Map.entry(
                                utcKey("2022-02-04"),
                                Map.of("iv.onhand", "7", "iv.incoming", "21")));
        Map<String, String> zero =
                Map.of("pos.inbound", "0", "pos.outbound", "0", "iom.onorder", "0");
        assertThat(byDate(row))
                .isEqualTo(Map.of(
                        dayKey("2022-02-02"),
                        with(zero, "pos.outbound", "8", "iv.onhand", "-8", "iv.incoming", "0"),
                        dayKey("2022-02-03"),
                        with(zero, "pos.inbound", "5", "iv.onhand", "5", "iv.incoming", "5"),
                        dayKey("2022-02-04"),
                        with(zero, "iom.onorder", "4", "iv.onhand", "0", "iv.incoming", "4")));
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> out = new LinkedHashMap<>(base);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    @Test
    void changeSchedule_onHandPathAndQuantityByDateAlias_areAccepted() {
        enableOnHandAtp(7);
        Map<String, Object> old = IvsClient.map(
                "id",
                "old-1",
                "organizationId",
                ORG,
                "productId",
                BIKE,
                "dimensions",
                bikeDimensions(),
                "quantityByDate",
                on("2022/2/3", "pos", "inbound", 4));

        IvsClient.Response single =
                client.post(api("/on-hand/changeschedule"), IvsClient.json(old));
        IvsClient.Response bulk = client.post(
                api("/on-hand/changeschedule/bulk"),
                IvsClient.json(
                        List.of(scheduleBody("old-2", on("2022-02-05", "pos", "inbound", 1)))));

        assertSuccess(single, "old-1");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.json().get(0).path("statusCode").asInt())
                .as(bulk.body())
                .isEqualTo(200);
        JsonNode row = onlyRow(bikeQuery("\"QueryATP\": true"));
        assertThat(atp(row, "iv", "onhand").values())
                .containsExactly("0", "0", "4", "4", "5", "5", "5");
    }
}
