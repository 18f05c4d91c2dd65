package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.AtpTestSupport;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The times a set on-hand may name in {@code modifiedDateTimeUTC}: within PostgreSQL's range (a
 * time beyond it answered 500 for the whole bulk) and not far ahead of the server's clock (a
 * time in year 9999 made every later count of the record stale). The clock is the application's
 * {@code Clock} bean, set by hand here (2022-02-01T10:00Z, see {@link AtpTestSupport}).
 */
class SetOnHandTimeWindowIntegrationTest extends AtpTestSupport {

    private static String item(String id, String color, int quantity, @Nullable String at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("organizationId", ORG);
        event.put("productId", "Shirt");
        event.put("dimensions", IvsClient.map("siteId", "1", "locationId", "11", "colorId", color));
        event.put("quantities", IvsClient.map("pos", IvsClient.map("inbound", quantity)));
        if (at != null) {
            event.put("modifiedDateTimeUTC", at);
        }
        return IvsClient.json(event);
    }

    private JsonNode set(String... items) {
        IvsClient.Response response =
                client.post(api("/setonhand/pos/bulk"), "[" + String.join(",", items) + "]");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).hasSize(items.length);
        return response.json();
    }

    private @Nullable String inbound(String color) {
        IvsClient.Response response = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["Shirt"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"], "returnNegative": true}""");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode row : response.json()) {
            if (color.equals(row.path("dimensions").path("ColorId").asString())) {
                return HttpTestSupport.quantity(row, "pos", "inbound");
            }
        }
        return null;
    }

    private static void assertRefusedNamingTheField(JsonNode answer, int index) {
        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.path("processingStatus").asString()).isEqualTo("failure");
        assertThat(answer.path("message").asString())
                .contains("[" + index + "].modifiedDateTimeUTC");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+294277-01-01T00:00:00Z",
                "+300000-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z",
                "-300000-01-01T00:00:00Z",
                "+294277-01-01T00:00:00"
            })
    void setOnHand_timeBeyondTheDatabaseRange_isA400ForTheItemNotA500(String at) {
        JsonNode answers = set(item("s1", "red", 5, at));

        assertRefusedNamingTheField(answers.get(0), 0);
        assertThat(inbound("red")).isNull();
    }

    @Test
    void setOnHand_mixedBulk_appliesTheGoodItemAndRefusesTheBadOne() {
        JsonNode answers = set(
                item("good", "red", 7, "2022-02-01T09:00:00Z"),
                item("bad", "blue", 3, "+294277-01-01T00:00:00Z"));

        assertThat(answers.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answers.get(0).path("id").asString()).isEqualTo("good");
        assertRefusedNamingTheField(answers.get(1), 1);
        assertThat(answers.get(1).path("id").asString()).isEqualTo("bad");
        assertThat(inbound("red")).isEqualTo("7");
        assertThat(inbound("blue")).isNull();
    }

    @Test
    void setOnHand_yearNineThousand_isRefusedAndLaterCountsStillApply() {
        assertThat(set(item("s1", "red", 10, null)).get(0).path("statusCode").asInt())
                .isEqualTo(200);

        JsonNode refused = set(item("s2", "red", 999, "9999-12-31T00:00:00Z")).get(0);
        assertRefusedNamingTheField(refused, 0);
        assertThat(refused.path("message").asString()).contains("ahead of the server's time");
        assertThat(inbound("red")).isEqualTo("10");

        clock.set(clock.instant().plusSeconds(60));
        JsonNode later = set(item("s3", "red", 12, null)).get(0);
        assertThat(later.path("statusCode").asInt()).isEqualTo(200);
        assertThat(later.path("message").asString()).doesNotContain("stale");
        assertThat(inbound("red")).isEqualTo("12");
    }

    @Test
    void setOnHand_oneHourAhead_isAcceptedAsAClockSkew() {
        String inAnHour = clock.instant().plusSeconds(3600).toString();

        JsonNode answer = set(item("s1", "red", 4, inAnHour)).get(0);

        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
        assertThat(inbound("red")).isEqualTo("4");
    }

    @Test
    void setOnHand_windowFollowsTheApplicationClock() {
        String nextMorning = "2022-02-02T09:00:00Z";
        String twoDaysAhead = "2022-02-03T11:00:00Z";

        assertRefusedNamingTheField(set(item("s1", "red", 1, twoDaysAhead)).get(0), 0);
        assertThat(set(item("s2", "red", 2, nextMorning))
                        .get(0)
                        .path("statusCode")
                        .asInt())
                .isEqualTo(200);

        clock.setDate(LocalDate.of(2022, 2, 3));
        JsonNode accepted = set(item("s3", "red", 3, twoDaysAhead)).get(0);
        assertThat(accepted.path("statusCode").asInt()).as(accepted.toString()).isEqualTo(200);
        assertThat(inbound("red")).isEqualTo("3");
    }

    @Test
    void setOnHand_before1970_isRefused() {
        JsonNode answer = set(item("s1", "red", 1, "1969-12-31T23:59:59Z")).get(0);

        assertRefusedNamingTheField(answer, 0);
        assertThat(answer.path("message").asString()).contains("before 1970-01-01T00:00:00Z");
        assertThat(set(item("s2", "red", 2, "1970-01-01T00:00:00Z"))
                        .get(0)
                        .path("statusCode")
                        .asInt())
                .isEqualTo(200);
    }

    @Test
    void setOnHand_withoutTime_isObservedAtTheApplicationClock() {
        // The hand-set clock is years behind the wall clock: a count without a time is stamped
        // with the clock's time, so a count a minute later (by that clock) wins over it.
        set(item("s1", "red", 5, null));
        String aMinuteLater = clock.instant().plusSeconds(60).toString();

        JsonNode later = set(item("s2", "red", 6, aMinuteLater)).get(0);

        assertThat(later.path("message").asString()).doesNotContain("stale");
        assertThat(inbound("red")).isEqualTo("6");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+294277-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z",
                "-300000-01-01T00:00:00Z",
                "9999-12-31"
            })
    void scheduleAndAtpQuery_farDates_areRefusedOrOutsideTheWindowNeverA500(String date) {
        enableOnHandAtp(7);
        onHandOk("c1", "pos", "inbound", 5);

        IvsClient.Response schedule =
                postSchedule(scheduleBody("s1", on(date, "pos", "inbound", 1)));
        IvsClient.Response query = indexQuery(bikeQuery(atpRange(date, date)));

        assertThat(schedule.status()).as(schedule.body()).isEqualTo(400);
        assertThat(schedule.json().path("message").asString()).contains("quantitiesByDate");
        assertThat(query.status()).as(query.body()).isIn(200, 400);
    }
}
