package io.ivs.server.atp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.AtpTestSupport;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.SettableClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.annotation.Import;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Validation of change schedules, ATP queries and {@code scheduleConfiguration} over HTTP (spec
 * A.2, A.3, A.4.1, A.9; C-A3, C-A5, C-A7, C-A8, C-A11, C-A15): dates outside the period or
 * malformed, measures outside the ATP measures, {@code fno}, the feature switched off, group-by
 * not matching an ATP index set, idempotent retries and conflicts, bulk with mixed items, and
 * configuration limits.
 */
@Import(SettableClock.Config.class)
class ScheduleValidationIntegrationTest extends AtpTestSupport {

    private IvsClient.Response scheduleOn(String id, String date, String ds, String measure) {
        return postSchedule(scheduleBody(id, on(date, ds, measure, 5)));
    }

    /** The bike's ATP of {@code iv.onhand} from a query with QueryATP and no date options. */
    private Map<String, String> bikeAtp() {
        return atp(onlyRow(bikeQuery("\"QueryATP\": true")), "iv", "onhand");
    }

    /** The configuration problems listed by a rejected hard update. */
    private static List<String> errors(IvsClient.Response response) {
        List<String> errors = new ArrayList<>();
        for (JsonNode error : response.json().path("errors")) {
            errors.add(error.asString());
        }
        return errors;
    }

    @Test
    void changeSchedule_dateBeforeToday_isA400NamingTheDate() {
        enableOnHandAtp(7);

        IvsClient.Response response = scheduleOn("past", "2022-01-31", "pos", "inbound");

        assertFailure(
                response,
                400,
                "quantitiesByDate.2022-01-31",
                "outside the schedule period 2022-02-01 to 2022-02-07");
        assertThat(storedSchedule(LocalDate.of(2022, 1, 31), "pos.inbound")).isNull();
    }

    @Test
    void changeSchedule_dateAfterWindow_isA400NamingTheDate() {
        enableOnHandAtp(7);

        IvsClient.Response response = scheduleOn("late", "2022-02-08", "pos", "inbound");

        assertFailure(
                response,
                400,
                "quantitiesByDate.2022-02-08",
                "outside the schedule period 2022-02-01 to 2022-02-07");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 8), "pos.inbound")).isNull();
    }

    @Test
    void changeSchedule_oneDateOutsideWindow_rejectsTheWholeRecord() {
        enableOnHandAtp(7);
        Map<String, Object> byDate = new LinkedHashMap<>();
        byDate.putAll(on("2022-02-02", "pos", "inbound", 5));
        byDate.putAll(on("2022-02-09", "pos", "inbound", 5));

        IvsClient.Response response = postSchedule(scheduleBody("mixed", byDate));

        assertFailure(response, 400, "quantitiesByDate.2022-02-09");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 2), "pos.inbound")).isNull();
    }

    @Test
    void changeSchedule_todayAndLastDayOfWindow_areAccepted() {
        enableOnHandAtp(7);

        scheduleOk("today", "2022-02-01", "pos", "inbound", 1);
        scheduleOk("last", "2022-02-07", "pos", "inbound", 2);

        assertThat(bikeAtp().values()).containsExactly("1", "1", "1", "1", "1", "1", "3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "2022-13-01",
                "2022-02-30",
                "2022-2-3",
                "20220203",
                "tomorrow",
                "01/02/2022",
                "2022/2/30",
                "2022-02-03T25:00:00",
                ""
            })
    void changeSchedule_malformedDate_isA400NamingTheDate(String date) {
        enableOnHandAtp(7);

        IvsClient.Response response = scheduleOn("bad-date", date, "pos", "inbound");

        assertFailure(response, 400, "quantitiesByDate." + date, "is not a date");
    }

    @Test
    void changeSchedule_slashDateAndIsoDateTimes_countOnTheirDates() {
        enableOnHandAtp(7);
        Map<String, Object> byDate = new LinkedHashMap<>();
        byDate.putAll(on("2022/2/3", "pos", "inbound", 1));
        byDate.putAll(on("2022-02-04T13:45:00Z", "pos", "inbound", 2));
        byDate.putAll(on("2022-02-05T08:00:00", "pos", "inbound", 4));
        byDate.putAll(on("2022/02/06", "pos", "inbound", 8));

        assertSuccess(postSchedule(scheduleBody("forms", byDate)), "forms");

        JsonNode row = onlyRow(bikeQuery("\"QueryATP\": true"));
        assertThat(byDate(row).keySet())
                .containsExactly(
                        dayKey("2022-02-03"),
                        dayKey("2022-02-04"),
                        dayKey("2022-02-05"),
                        dayKey("2022-02-06"));
        assertThat(atp(row, "iv", "onhand").values())
                .containsExactly("0", "0", "1", "3", "7", "15", "15");
    }

    @Test
    void changeSchedule_sameDateInTwoForms_isA400() {
        enableOnHandAtp(7);
        Map<String, Object> byDate = new LinkedHashMap<>();
        byDate.putAll(on("2022-02-03", "pos", "inbound", 1));
        byDate.putAll(on("2022/2/3", "pos", "inbound", 2));

        IvsClient.Response response = postSchedule(scheduleBody("twice", byDate));

        assertFailure(response, 400, "2022-02-03", "a second time");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 3), "pos.inbound")).isNull();
    }

    @Test
    void changeSchedule_emptyQuantitiesByDate_isA400() {
        enableOnHandAtp(7);

        IvsClient.Response empty = postSchedule(scheduleBody("empty", Map.of()));
        IvsClient.Response noMeasure =
                postSchedule(scheduleBody("no-measure", Map.of("2022-02-02", Map.of())));
        Map<String, Object> missing = scheduleBody("missing", Map.of());
        missing.remove("quantitiesByDate");
        IvsClient.Response absent = postSchedule(missing);

        assertFailure(empty, 400, "quantitiesByDate", "must hold at least one date");
        assertFailure(noMeasure, 400, "quantitiesByDate.2022-02-02", "at least one measure");
        assertFailure(absent, 400, "quantitiesByDate", "is required");
    }

    @Test
    void changeSchedule_measureInNoAtpMeasure_isA400NamingIt() {
        enableOnHandAtp(7);

        IvsClient.Response physical = scheduleOn("iom", "2022-02-02", "iom", "onhand");
        IvsClient.Response unknown = scheduleOn("unknown", "2022-02-02", "pos", "returned");
        IvsClient.Response calculated = scheduleOn("calc", "2022-02-02", "iv", "onhand");
        IvsClient.Response noSource = scheduleOn("nosource", "2022-02-02", "shop", "inbound");
        // A data source named without measures is checked too.
        IvsClient.Response emptySource = postSchedule(
                scheduleBody("emptysource", Map.of("2022-02-02", Map.of("shop", Map.of()))));

        assertFailure(
                physical,
                400,
                "quantitiesByDate.2022-02-02.iom.onhand",
                "not a component of any ATP measure");
        assertFailure(unknown, 400, "quantitiesByDate.2022-02-02.pos.returned");
        assertFailure(calculated, 400, "quantitiesByDate.2022-02-02.iv.onhand");
        assertFailure(noSource, 400, "quantitiesByDate.2022-02-02.shop", "not configured");
        assertFailure(emptySource, 400, "quantitiesByDate.2022-02-02.shop", "not configured");
    }

    @Test
    void changeSchedule_fnoMeasure_isA403() {
        configure(document -> {
            onHandAtp(document, 7);
            HttpTestSupport.calculated(
                    source(document, "iv"),
                    "withfno",
                    new String[] {"fno.availphysical", "pos.inbound"},
                    new String[0]);
            schedule(document).withArrayProperty("atpCalculatedMeasures").add("iv.withfno");
        });

        IvsClient.Response response = scheduleOn("fno", "2022-02-02", "fno", "availphysical");

        assertFailure(response, 403, "quantitiesByDate.2022-02-02.fno", "read-only");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 2), "fno.availphysical"))
                .isNull();
    }

    @Test
    void changeSchedule_nonNumericQuantity_isA400NamingTheMeasure() {
        enableOnHandAtp(7);

        IvsClient.Response response =
                postSchedule(scheduleBody("nan", on("2022-02-02", "pos", "inbound", "many")));

        assertFailure(response, 400, "quantitiesByDate.2022-02-02.pos.inbound", "not a number");
    }

    @Test
    void changeSchedule_withoutSite_isA400UnderByLocationPartition() {
        enableOnHandAtp(7);
        Map<String, Object> body = scheduleBody("no-site", on("2022-02-02", "pos", "inbound", 1));
        body.put("dimensions", IvsClient.map("LocationId", "11", "ColorId", "Red"));

        IvsClient.Response response = postSchedule(body);

        assertFailure(response, 400, "dimensions.siteId", "by-location");
    }

    @Test
    void changeSchedule_featureOff_isA400() {
        IvsClient.Response response = scheduleOn("off", "2022-02-02", "pos", "inbound");
        IvsClient.Response bulk = client.post(
                api("/onhand/changeschedule/bulk"),
                IvsClient.json(
                        List.of(scheduleBody("off-b", on("2022-02-02", "pos", "inbound", 1)))));

        assertFailure(response, 400, "switched off", "isScheduleEnabled");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertFailureItem(bulk.json().get(0), 400, "switched off");
    }

    @Test
    void queryAtp_featureOff_isA400OnPostAndGet() {
        onHandOk("oh", "pos", "inbound", 3);

        IvsClient.Response post = indexQuery(bikeQuery("\"QueryATP\": true"));
        IvsClient.Response get = client.get(api("/onhand?organizationId=usmf&productId=Bike"
                + "&siteId=1&locationId=11&groupBy=ColorId,SizeId&QueryATP=true"));
        IvsClient.Response plain = indexQuery(bikeQuery(""));

        assertFailure(post, 400, "switched off");
        assertFailure(get, 400, "switched off");
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(quantity(plain.json().get(0), "pos", "inbound")).isEqualTo("3");
    }

    @Test
    void queryAtp_featureSwitchedOffAfterSchedules_isA400AndSchedulesAreRefused() {
        enableOnHandAtp(7);
        scheduleOk("before", "2022-02-02", "pos", "inbound", 1);

        configure(document -> schedule(document).put("isScheduleEnabled", false));

        assertFailure(indexQuery(bikeQuery("\"QueryATP\": true")), 400, "switched off");
        assertFailure(scheduleOn("after", "2022-02-02", "pos", "inbound"), 400, "switched off");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "[\"ColorId\"]",
                "[\"SizeId\"]",
                "[]",
                "[\"ColorId\", \"SizeId\", \"StyleId\"]",
                "[\"siteId\", \"locationId\", \"ColorId\"]"
            })
    void queryAtp_groupByNotAnAtpIndexSet_isA400NamingGroupByValues(String groupBy) {
        enableOnHandAtp(7);
        scheduleOk("s", "2022-02-02", "pos", "inbound", 1);

        IvsClient.Response response = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["Bike"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": %s, "QueryATP": true}""".formatted(groupBy));

        assertFailure(response, 400, "groupByValues", "must match an ATP index set");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "[\"SizeId\", \"ColorId\"]",
                "[\"siteId\", \"locationId\", \"colorId\", \"sizeId\"]",
                "[\"COLORID\", \"sizeid\"]"
            })
    void queryAtp_groupByEqualToAtpIndexSet_isAccepted(String groupBy) {
        enableOnHandAtp(7);
        scheduleOk("s", "2022-02-02", "pos", "inbound", 1);

        IvsClient.Response response = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["Bike"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": %s, "QueryATP": true}""".formatted(groupBy));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(atp(response.json().get(0), "iv", "onhand").values())
                .containsExactly("0", "1", "1", "1", "1", "1", "1");
    }

    @Test
    void queryAtp_secondAtpIndexSetWithStyle_acceptsEitherSetOnly() {
        configure(document -> {
            onHandAtp(document, 7);
            ObjectNode set =
                    schedule(document).withArrayProperty("indexAttributeSets").addObject();
            set.put("setNumber", 2);
            set.putArray("keys").add("colorid").add("sizeid").add("styleid");
        });
        String query = """
                {"filters": {"organizationId": ["usmf"], "productId": ["Bike"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": %s, "QueryATP": true}""";

        IvsClient.Response withStyle =
                indexQuery(query.formatted("[\"ColorId\", \"SizeId\", \"StyleId\"]"));
        IvsClient.Response withoutStyle = indexQuery(query.formatted("[\"ColorId\", \"SizeId\"]"));
        IvsClient.Response styleOnly = indexQuery(query.formatted("[\"StyleId\"]"));

        assertThat(withStyle.status()).as(withStyle.body()).isEqualTo(200);
        assertThat(withoutStyle.status()).as(withoutStyle.body()).isEqualTo(200);
        assertFailure(styleOnly, 400, "groupByValues");
    }

    @Test
    void queryAtp_getWithGroupByNotAnAtpIndexSet_isA400() {
        enableOnHandAtp(7);

        IvsClient.Response response = client.get(api("/onhand?organizationId=usmf&productId=Bike"
                + "&siteId=1&locationId=11&groupBy=ColorId&QueryATP=true"));

        assertFailure(response, 400, "groupByValues", "ATP index set");
    }

    @Test
    void queryAtp_malformedFromDate_isA400NamingIt() {
        enableOnHandAtp(7);

        IvsClient.Response response =
                indexQuery(bikeQuery("\"QueryATP\": true, \"ATPFromDate\": \"2022-02-31\""));

        assertFailure(response, 400, "ATPFromDate", "is not a date");
    }

    @Test
    void changeSchedule_retriedWithSameId_countsOnce() {
        enableOnHandAtp(7);

        scheduleOk("retry", "2022-02-03", "pos", "inbound", 4);
        scheduleOk("retry", "2022-02-03", "pos", "inbound", 4);

        assertThat(storedSchedule(LocalDate.of(2022, 2, 3), "pos.inbound"))
                .isEqualByComparingTo("4");
        assertThat(bikeAtp().values()).containsExactly("0", "0", "4", "4", "4", "4", "4");
    }

    @Test
    void changeSchedule_sameIdOtherContent_isA409AndChangesNothing() {
        enableOnHandAtp(7);
        scheduleOk("conflict", "2022-02-03", "pos", "inbound", 4);

        IvsClient.Response otherQuantity =
                postSchedule(scheduleBody("conflict", on("2022-02-03", "pos", "inbound", 5)));
        IvsClient.Response otherDate =
                postSchedule(scheduleBody("conflict", on("2022-02-04", "pos", "inbound", 4)));

        assertFailure(otherQuantity, 409, "'conflict'", "already used for a different event");
        assertFailure(otherDate, 409, "'conflict'");
        assertThat(otherQuantity.json().path("id").asString()).isEqualTo("conflict");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 3), "pos.inbound"))
                .isEqualByComparingTo("4");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 4), "pos.inbound")).isNull();
    }

    @Test
    void bulk_mixedValidAndInvalidItems_answersPerItemAndKeepsTheValidOnes() {
        enableOnHandAtp(7);
        Map<String, Object> noId = scheduleBody("x", on("2022-02-02", "pos", "inbound", 1));
        noId.remove("id");
        List<Object> items = List.of(
                scheduleBody("ok-1", on("2022-02-02", "pos", "inbound", 5)),
                scheduleBody("late", on("2022-02-09", "pos", "inbound", 5)),
                scheduleBody("fno", on("2022-02-02", "fno", "availphysical", 5)),
                "not an object",
                scheduleBody("ok-2", on("2022-02-03", "pos", "outbound", 2)),
                scheduleBody("iom", on("2022-02-02", "iom", "onhand", 5)),
                noId,
                scheduleBody("bad", on("2022-02-31", "pos", "inbound", 5)));

        IvsClient.Response response =
                client.post(api("/onhand/changeschedule/bulk"), IvsClient.json(items));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answers = response.json();
        List<Integer> statuses = new ArrayList<>();
        for (JsonNode answer : answers) {
            statuses.add(answer.path("statusCode").asInt());
        }
        assertThat(statuses).containsExactly(200, 400, 403, 400, 200, 400, 400, 400);
        assertThat(answers.get(0).path("id").asString()).isEqualTo("ok-1");
        assertThat(answers.get(0).path("processingStatus").asString()).isEqualTo("success");
        assertFailureItem(answers.get(1), 400, "quantitiesByDate.2022-02-09");
        assertThat(answers.get(1).path("id").asString()).isEqualTo("late");
        assertFailureItem(answers.get(2), 403, "read-only");
        assertFailureItem(answers.get(3), 400, "[3]", "must be a JSON object");
        assertThat(answers.get(4).path("id").asString()).isEqualTo("ok-2");
        assertFailureItem(answers.get(5), 400, "not a component of any ATP measure");
        assertFailureItem(answers.get(6), 400, "[6].id", "is required");
        assertFailureItem(answers.get(7), 400, "is not a date");
        // Only ok-1 (+5 on 02-02) and ok-2 (-2 on 02-03) count.
        assertThat(bikeAtp().values()).containsExactly("0", "3", "3", "3", "3", "3", "3");
    }

    @Test
    void bulk_moreThan512Items_isA400AndStoresNothing() {
        enableOnHandAtp(7);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 513; i++) {
            items.add(scheduleBody("b-" + i, on("2022-02-02", "pos", "inbound", 1)));
        }

        IvsClient.Response response =
                client.post(api("/onhand/changeschedule/bulk"), IvsClient.json(items));

        assertFailure(response, 400, "512");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 2), "pos.inbound")).isNull();
    }

    @Test
    void bulk_exactly512Items_areAllAccepted() {
        enableOnHandAtp(7);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            items.add(scheduleBody("b-" + i, on("2022-02-02", "pos", "inbound", 1)));
        }

        IvsClient.Response response =
                client.post(api("/onhand/changeschedule/bulk"), IvsClient.json(items));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).hasSize(512);
        for (JsonNode answer : response.json()) {
            assertThat(answer.path("statusCode").asInt()).isEqualTo(200);
        }
        assertThat(storedSchedule(LocalDate.of(2022, 2, 2), "pos.inbound"))
                .isEqualByComparingTo("512");
    }

    @Test
    void changeSchedule_arrayBodyOnSingleEndpoint_isA400() {
        enableOnHandAtp(7);

        IvsClient.Response response = client.post(
                api("/onhand/changeschedule"),
                IvsClient.json(List.of(scheduleBody("a", on("2022-02-02", "pos", "inbound", 1)))));

        assertFailure(response, 400, "bulk");
    }

    static Stream<Arguments> invalidScheduleConfigurations() {
        return Stream.of(
                Arguments.of(
                        "period 0",
                        (Consumer<ObjectNode>) d -> {
                            onHandAtp(d, 7);
                            schedule(d).put("schedulePeriodInDays", 0);
                        },
                        List.of("scheduleConfiguration.schedulePeriodInDays", "1 to 180", "not 0")),
                Arguments.of(
                        "period 181",
                        (Consumer<ObjectNode>) d -> {
                            onHandAtp(d, 7);
                            schedule(d).put("schedulePeriodInDays", 181);
                        },
                        List.of("scheduleConfiguration.schedulePeriodInDays", "not 181")),
                Arguments.of(
                        "nine distinct physical measures",
                        (Consumer<ObjectNode>) d -> {
                            onHandAtp(d, 7);
                            HttpTestSupport.calculated(
                                    source(d, "iv"),
                                    "wide",
                                    new String[] {
                                        "fno.physicalinvent",
                                        "fno.arrived",
                                        "fno.onorder",
                                        "fno.received",
                                        "pos.inbound"
                                    },
                                    new String[] {
                                        "fno.reservphysical",
                                        "fno.softreserved",
                                        "pos.outbound",
                                        "fno.picked"
                                    });
                            schedule(d)
                                    .withArrayProperty("atpCalculatedMeasures")
                                    .add("iv.wide");
                        },
                        List.of("atpCalculatedMeasures", "9 distinct physical measures", "8")),
                Arguments.of(
                        "physical measure as ATP measure",
                        (Consumer<ObjectNode>) d -> {
                            onHandAtp(d, 7);
                            schedule(d)
                                    .withArrayProperty("atpCalculatedMeasures")
                                    .add("pos.inbound");
                        },
                        List.of(
                                "atpCalculatedMeasures",
                                "'pos.inbound' is not a calculated measure")),
                Arguments.of(
                        "unknown ATP measure",
                        (Consumer<ObjectNode>) d -> {
                            onHandAtp(d, 7);
                            ObjectNode ref = schedule(d)
                                    .withArrayProperty("atpCalculatedMeasures")
                                    .addObject();
                            ref.put("dataSourceName", "iv");
                            ref.put("calculatedMeasureName", "nothing");
                        },
                        List.of("'iv.nothing' is not a calculated measure")),
                Arguments.of(
                        "enabled without ATP measure",
                        (Consumer<ObjectNode>) d -> schedule(d).put("isScheduleEnabled", true),
                        List.of("atpCalculatedMeasures must name at least one")),
                Arguments.of(
                        "ATP index key not a base dimension",
                        (Consumer<ObjectNode>) d -> {
                            onHandAtp(d, 7);
                            ((ArrayNode) schedule(d)
                                            .get("indexAttributeSets")
                                            .get(0)
                                            .get("keys"))
                                    .add("shelf");
                        },
                        List.of("scheduleConfiguration index set 1", "'shelf'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidScheduleConfigurations")
    void hardUpdate_invalidScheduleConfiguration_isA400NamingTheProblem(
            String rule, Consumer<ObjectNode> edit, List<String> named) {
        ObjectNode before = configuration();
        ObjectNode document = before.deepCopy();
        edit.accept(document);

        IvsClient.Response response = hardUpdate(document);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("processingStatus").asString()).isEqualTo("failure");
        List<String> errors = errors(response);
        assertThat(errors).as(rule).hasSize(1);
        assertThat(errors.get(0)).as(rule).contains(named);
        assertThat(response.json().path("message").asString()).contains(named);
        assertThat(configuration()).isEqualTo(before);
    }

    @Test
    void hardUpdate_severalScheduleProblems_listsEveryOne() {
        ObjectNode document = configuration();
        onHandAtp(document, 7);
        schedule(document).put("schedulePeriodInDays", 0);
        schedule(document).withArrayProperty("atpCalculatedMeasures").add("pos.outbound");

        IvsClient.Response response = hardUpdate(document);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(errors(response))
                .hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("schedulePeriodInDays", "not 0"))
                .anySatisfy(e -> assertThat(e).contains("'pos.outbound'"));
    }

    @ParameterizedTest(name = "period {0}")
    @ValueSource(ints = {1, 180})
    void hardUpdate_periodAtLimits_isAcceptedAndSetsTheWindow(int period) {
        enableOnHandAtp(period);
        String last = FEB_1.plusDays(period - 1L).toString();

        scheduleOk("last", last, "pos", "inbound", 1);
        IvsClient.Response after =
                scheduleOn("after", FEB_1.plusDays(period).toString(), "pos", "inbound");

        assertFailure(after, 400, "quantitiesByDate." + FEB_1.plusDays(period));
        Map<String, String> series = bikeAtp();
        assertThat(series).hasSize(period);
        assertThat(series.keySet()).last().isEqualTo(utcKey(last));
        assertThat(series.get(utcKey(last))).isEqualTo("1");
    }

    @Test
    void hardUpdate_eightDistinctPhysicalMeasuresOverTwoAtpMeasures_isAccepted() {
        // The doc's example at the limit (A.2.1), with fno and pos measures of the default set.
        configure(document -> {
            onHandAtp(document, 7);
            String[] supply = {
                "fno.physicalinvent", "fno.arrived", "fno.onorder", "fno.received", "pos.inbound"
            };
            HttpTestSupport.calculated(source(document, "iv"), "available", supply, new String[] {
                "fno.reservphysical", "fno.softreserved", "pos.outbound"
            });
            HttpTestSupport.calculated(
                    source(document, "iv"), "physical", supply, new String[] {"pos.outbound"});
            ArrayNode measures = schedule(document).withArrayProperty("atpCalculatedMeasures");
            measures.add("iv.available");
            measures.add("iv.physical");
        });

        scheduleOk("s", "2022-02-02", "pos", "inbound", 3);

        JsonNode row = onlyRow(bikeQuery("\"QueryATP\": true"));
        assertThat(atp(row, "iv", "available").values())
                .containsExactly("0", "3", "3", "3", "3", "3", "3");
        assertThat(atp(row, "iv", "physical").values())
                .containsExactly("0", "3", "3", "3", "3", "3", "3");
    }

    @Test
    void hardUpdate_shrinkingPeriod_keepsSchedulesButExcludesThoseOutsideTheWindow() {
        enableOnHandAtp(7);
        onHandOk("oh", "pos", "inbound", 10);
        scheduleOk("s-1", "2022-02-02", "pos", "outbound", 5);
        scheduleOk("s-2", "2022-02-06", "pos", "inbound", 7);

        configure(document -> schedule(document).put("schedulePeriodInDays", 3));
        JsonNode shrunk = onlyRow(bikeQuery(atpRange("2022-02-01", "2022-02-10")));
        IvsClient.Response outside = scheduleOn("s-3", "2022-02-04", "pos", "inbound");

        assertThat(atp(shrunk, "iv", "onhand"))
                .containsExactly(
                        Map.entry(utcKey("2022-02-01"), "5"),
                        Map.entry(utcKey("2022-02-02"), "5"),
                        Map.entry(utcKey("2022-02-03"), "5"));
        assertThat(byDate(shrunk).keySet()).containsExactly(dayKey("2022-02-02"));
        assertFailure(outside, 400, "quantitiesByDate.2022-02-04", "2022-02-01 to 2022-02-03");
        assertThat(storedSchedule(LocalDate.of(2022, 2, 6), "pos.inbound"))
                .isEqualByComparingTo("7");

        configure(document -> schedule(document).put("schedulePeriodInDays", 7));
        assertThat(bikeAtp().values()).containsExactly("5", "5", "5", "5", "5", "12", "12");
    }

    @Test
    void changeSchedule_clockZoneAheadOfUtc_usesTheUtcDate() {
        enableOnHandAtp(7);
        // 23:30 UTC on 02-01 is already 02-02 at +05:00; "today" must still be 02-01 (A.8).
        clock.set(Instant.parse("2022-02-01T23:30:00Z"));
        clock.setZone(ZoneOffset.ofHours(5));

        scheduleOk("today-utc", "2022-02-01", "pos", "inbound", 1);
        IvsClient.Response beyond = scheduleOn("beyond", "2022-02-08", "pos", "inbound");

        assertFailure(beyond, 400, "2022-02-01 to 2022-02-07");
        assertThat(bikeAtp().keySet()).first().isEqualTo(utcKey("2022-02-01"));
    }
}
