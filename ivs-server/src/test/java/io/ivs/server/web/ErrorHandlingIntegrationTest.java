package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Malformed and invalid input on the write and query endpoints (DESIGN D9, spec A3, A6, A18,
 * A19, A25): always a 4xx whose message names the field or problem, never a 5xx, and never a
 * change to the stored state.
 */
class ErrorHandlingIntegrationTest extends HttpTestSupport {

    private static final String LONG = "x".repeat(10_000);

    /** One valid change event: 1 unit of pos.inbound for P1, red, at site 1 / location 11. */
    private static ObjectNode validEvent(String id) {
        ObjectNode event = (ObjectNode) IvsClient.parse("""
                {"id": "%s", "organizationId": "usmf", "productId": "P1",
                 "dimensions": {"siteId": "1", "locationId": "11", "colorId": "red"},
                 "quantities": {"pos": {"inbound": 1}}}""".formatted(id));
        return event;
    }

    private static String edited(Consumer<ObjectNode> edit) {
        ObjectNode event = validEvent("bad");
        edit.accept(event);
        return IvsClient.json(event);
    }

    private static ObjectNode dims(ObjectNode event) {
        return (ObjectNode) event.get("dimensions");
    }

    private static ObjectNode pos(ObjectNode event) {
        return (ObjectNode) event.get("quantities").get("pos");
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @BeforeEach
    void baseline() {
        ObjectNode event = validEvent("base");
        pos(event).put("inbound", 5);
        IvsClient.Response base = client.post(api("/onhand"), IvsClient.json(event));
        assertThat(base.status()).as(base.body()).isEqualTo(200);
        assertBaselineOnly();
    }

    /** The environment still holds only the baseline: one record with pos.inbound = 5. */
    private void assertBaselineOnly() {
        IvsClient.Response ids = client.get(api("/allpartitionids"));
        assertThat(ids.status()).isEqualTo(200);
        assertThat(ids.json()).hasSize(1);
        assertThat(ids.json().get(0).asString()).isEqualTo("usmf~1~11");
        IvsClient.Response query = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": [],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"], "returnNegative": true}""");
        assertThat(query.status()).as(query.body()).isEqualTo(200);
        assertThat(query.json()).as(query.body()).hasSize(1);
        JsonNode row = query.json().get(0);
        assertThat(row.path("productId").asString()).isEqualTo("P1");
        assertThat(row.path("dimensions").path("ColorId").asString()).isEqualTo("red");
        assertThat(quantity(row, "pos", "inbound")).isEqualTo("5");
        assertThat(row.path("quantities").path("pos").path("outbound").isMissingNode())
                .isTrue();
        assertThat(row.path("quantities").path("fno").isMissingNode()).isTrue();
        assertThat(row.path("quantities").path("erp").isMissingNode()).isTrue();
    }

    /**
     * Invalid single events: name, body, HTTP status of the single endpoint, text the message
     * must contain, and whether the body cannot even be parsed (then a bulk request holding it is
     * rejected as a whole).
     */
    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                bad(
                        "malformed JSON",
                        "{\"id\": \"bad\", \"organizationId\": ",
                        400,
                        "not valid JSON",
                        true),
                bad(
                        "trailing garbage",
                        IvsClient.json(validEvent("bad")) + " {}",
                        400,
                        "not valid JSON",
                        true),
                bad(
                        "quantities as a string",
                        edited(e -> e.put("quantities", "10")),
                        400,
                        "quantities"),
                bad(
                        "dimensions as an array",
                        edited(e -> e.putArray("dimensions").add("1")),
                        400,
                        "dimensions"),
                bad(
                        "data source as an array",
                        edited(e -> ((ObjectNode) e.get("quantities")).putArray("pos")),
                        400,
                        "quantities.pos"),
                bad(
                        "unknown data source without measures",
                        edited(e -> ((ObjectNode) e.get("quantities")).putObject("bogus")),
                        400,
                        "quantities.bogus: data source 'bogus' is not configured"),
                bad(
                        "quantity 'abc'",
                        edited(e -> pos(e).put("inbound", "abc")),
                        400,
                        "quantities.pos.inbound"),
                bad(
                        "quantity true",
                        edited(e -> pos(e).put("inbound", true)),
                        400,
                        "quantities.pos.inbound"),
                bad(
                        "quantity an object",
                        edited(e -> pos(e).putObject("inbound")),
                        400,
                        "quantities.pos.inbound"),
                bad(
                        "quantity \"NaN\"",
                        edited(e -> pos(e).put("inbound", "NaN")),
                        400,
                        "'NaN' is not a number"),
                bad(
                        "quantity \"Infinity\"",
                        edited(e -> pos(e).put("inbound", "Infinity")),
                        400,
                        "quantities.pos.inbound"),
                bad(
                        "bare NaN token",
                        IvsClient.json(validEvent("bad"))
                                .replace("\"inbound\":1", "\"inbound\":NaN"),
                        400,
                        "not valid JSON",
                        true),
                bad(
                        "quantity 1e40",
                        IvsClient.json(validEvent("bad"))
                                .replace("\"inbound\":1", "\"inbound\":1e40"),
                        400,
                        "quantities.pos.inbound"),
                bad(
                        "quantity 1e2147483647",
                        IvsClient.json(validEvent("bad"))
                                .replace("\"inbound\":1", "\"inbound\":1e2147483647"),
                        400,
                        "quantities.pos.inbound"),
                bad(
                        "quantity 1e2147483648",
                        IvsClient.json(validEvent("bad"))
                                .replace("\"inbound\":1", "\"inbound\":1e2147483648"),
                        400,
                        "1e2147483648",
                        true),
                bad(
                        "quantity \"1e40\"",
                        edited(e -> pos(e).put("inbound", "1e40")),
                        400,
                        "out of range"),
                bad(
                        "19 integer digits",
                        edited(e -> pos(e).put("inbound", "1234567890123456789")),
                        400,
                        "out of range"),
                bad(
                        "11 decimal places",
                        IvsClient.json(validEvent("bad"))
                                .replace("\"inbound\":1", "\"inbound\":0.12345678901"),
                        400,
                        "decimal places"),
                bad("missing id", edited(e -> e.remove("id")), 400, "id: is required"),
                bad("empty id", edited(e -> e.put("id", " ")), 400, "id: must not be empty"),
                bad(
                        "missing organizationId",
                        edited(e -> e.remove("organizationId")),
                        400,
                        "organizationId: is required"),
                bad(
                        "empty organizationId",
                        edited(e -> e.put("organizationId", "")),
                        400,
                        "organizationId"),
                bad(
                        "missing productId",
                        edited(e -> e.remove("productId")),
                        400,
                        "productId: is required"),
                bad("null id", edited(e -> e.putNull("id")), 400, "id: is required"),
                bad(
                        "null productId",
                        edited(e -> e.putNull("productId")),
                        400,
                        "productId: is required"),
                bad(
                        "null quantities",
                        edited(e -> e.putNull("quantities")),
                        400,
                        "quantities: is required"),
                bad(
                        "null quantity",
                        edited(e -> pos(e).putNull("inbound")),
                        400,
                        "quantities.pos.inbound"),
                bad(
                        "null dimension value",
                        edited(e -> dims(e).putNull("colorId")),
                        400,
                        "dimensions.colorId"),
                bad(
                        "dimension value an object",
                        edited(e -> dims(e).putObject("colorId")),
                        400,
                        "dimensions.colorId"),
                bad(
                        "no quantities at all",
                        edited(e -> e.putObject("quantities")),
                        400,
                        "quantities"),
                bad(
                        "duplicate JSON key",
                        IvsClient.json(validEvent("bad"))
                                .replace("{\"id\":\"bad\"", "{\"id\":\"bad\",\"id\":\"b2\""),
                        400,
                        "Duplicate",
                        true),
                bad(
                        "one key in two spellings",
                        edited(e -> e.put("ID", "other")),
                        400,
                        "id: is given more than once"),
                bad(
                        "40 levels of nesting",
                        IvsClient.json(validEvent("bad"))
                                .replace("{\"id\"", "{\"extra\":" + nested(40) + ",\"id\""),
                        400,
                        "nesting depth",
                        true),
                bad("10k-character id", edited(e -> e.put("id", LONG)), 400, "id: is longer than"),
                bad(
                        "10k-character productId",
                        edited(e -> e.put("productId", LONG)),
                        400,
                        "productId"),
                bad(
                        "10k-character dimension value",
                        edited(e -> dims(e).put("colorId", LONG)),
                        400,
                        "dimensions.colorId: is longer than"),
                bad(
                        "10k-character dimension name",
                        edited(e -> dims(e).put(LONG, "red")),
                        400,
                        "not a base dimension"),
                bad(
                        "NUL character in a dimension value",
                        edited(e -> dims(e).put("colorId", "r\u0000d")),
                        400,
                        "dimensions.colorId"),
                bad(
                        "unpaired surrogate in a dimension value",
                        IvsClient.json(validEvent("bad")).replace("\"red\"", "\"r\\ud800d\""),
                        400,
                        "dimensions.colorId"),
                bad("NUL character in the id", edited(e -> e.put("id", "b\u0000d")), 400, "id"),
                bad(
                        "unknown data source",
                        edited(e -> ((ObjectNode) e.get("quantities"))
                                .putObject("shop")
                                .put("sold", 1)),
                        400,
                        "quantities.shop"),
                bad(
                        "unknown measure",
                        edited(e -> pos(e).put("returned", 1)),
                        400,
                        "quantities.pos.returned"),
                bad(
                        "calculated measure",
                        edited(e -> pos(e).put("availquantity", 1)),
                        400,
                        "'pos.availquantity' is a calculated measure"),
                bad(
                        "read-only fno",
                        edited(e -> ((ObjectNode) e.get("quantities"))
                                .putObject("fno")
                                .put("physicalinvent", 1)),
                        403,
                        "quantities.fno"),
                bad(
                        "unknown base dimension",
                        edited(e -> dims(e).put("colourId", "red")),
                        400,
                        "dimensions.colourId"),
                bad(
                        "unknown dimension data source",
                        edited(e -> e.put("dimensionDataSource", "shop")),
                        400,
                        "dimensionDataSource"),
                bad(
                        "unmapped name with a dimension data source",
                        edited(e -> {
                            e.put("dimensionDataSource", "pos");
                            dims(e).put("poscolour", "red");
                        }),
                        400,
                        "dimensions.poscolour"),
                bad(
                        "missing siteId",
                        edited(e -> dims(e).remove("siteId")),
                        400,
                        "dimensions.siteId"),
                bad(
                        "missing locationId",
                        edited(e -> dims(e).remove("locationId")),
                        400,
                        "dimensions.locationId"),
                bad(
                        "empty siteId",
                        edited(e -> dims(e).put("siteId", "")),
                        400,
                        "dimensions.siteId"),
                bad(
                        "one base dimension twice with different values",
                        edited(e -> dims(e).put("COLORID", "blue")),
                        400,
                        "ColorId"));
    }

    private static Arguments bad(String name, String body, int status, String named) {
        return bad(name, body, status, named, false);
    }

    private static Arguments bad(
            String name, String body, int status, String named, boolean unparsable) {
        return Arguments.of(name, body, status, named, unparsable);
    }

    private static void assertFailure(IvsClient.Response response, int status, String named) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.path("processingStatus").asString())
                .as(response.body())
                .isEqualTo("failure");
        assertThat(body.path("statusCode").asInt()).as(response.body()).isEqualTo(status);
        assertThat(body.path("message").asString()).containsIgnoringCase(named);
    }

    /** A bulk answer: 200 with one failed envelope, or 400 for the request when unparsable. */
    private static void assertBulkFailure(
            IvsClient.Response response, int status, String named, boolean unparsable) {
        if (unparsable) {
            assertFailure(response, 400, named);
            return;
        }
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).hasSize(1);
        JsonNode item = response.json().get(0);
        assertThat(item.path("processingStatus").asString()).isEqualTo("failure");
        assertThat(item.path("statusCode").asInt()).as(response.body()).isEqualTo(status);
        assertThat(item.path("message").asString()).containsIgnoringCase(named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void postOnHand_invalidEvent_is4xxNamingTheProblemAndChangesNothing(
            String name, String body, int status, String named, boolean unparsable) {
        IvsClient.Response response = client.post(api("/onhand"), body);

        assertFailure(response, status, named);
        assertBaselineOnly();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void postOnHandBulk_invalidEvent_is4xxNamingTheProblemAndChangesNothing(
            String name, String body, int status, String named, boolean unparsable) {
        IvsClient.Response response = client.post(api("/onhand/bulk"), "[" + body + "]");

        assertBulkFailure(response, status, named, unparsable);
        assertBaselineOnly();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void setOnHandBulk_invalidEvent_is4xxNamingTheProblemAndChangesNothing(
            String name, String body, int status, String named, boolean unparsable) {
        IvsClient.Response response = client.post(api("/setonhand/pos/bulk"), "[" + body + "]");

        assertBulkFailure(response, status, named, unparsable);
        assertBaselineOnly();
    }

    @Test
    void writes_emptyBody_are400NamingTheBody() {
        for (String path :
                List.of("/onhand", "/onhand/bulk", "/setonhand/pos/bulk", "/onhand/indexquery")) {
            IvsClient.Response response = client.post(api(path), "");

            assertFailure(response, 400, "body");
            assertThat(response.json().path("message").asString()).as(path).contains("empty");
        }
        IvsClient.Response noBody = client.send("POST", api("/onhand"), null);
        assertFailure(noBody, 400, "body");
        assertBaselineOnly();
    }

    @Test
    void postOnHand_array_isRejectedPointingToBulk() {
        IvsClient.Response response =
                client.post(api("/onhand"), "[" + IvsClient.json(validEvent("e1")) + "]");

        assertFailure(response, 400, "onhand/bulk");
        assertBaselineOnly();
    }

    @Test
    void bulk_objectInsteadOfArray_isRejectedAsAWhole() {
        IvsClient.Response change =
                client.post(api("/onhand/bulk"), IvsClient.json(validEvent("e1")));
        IvsClient.Response set =
                client.post(api("/setonhand/pos/bulk"), IvsClient.json(validEvent("e2")));

        assertFailure(change, 400, "must be a JSON array");
        assertFailure(set, 400, "must be a JSON array");
        assertBaselineOnly();
    }

    @Test
    void bulk_itemNotAnObject_isRejectedNamingItsPosition() {
        IvsClient.Response response = client.post(
                api("/onhand/bulk"), "[" + IvsClient.json(validEvent("e1")) + ", \"text\", 7]");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode items = response.json();
        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(items.get(1).path("statusCode").asInt()).isEqualTo(400);
        assertThat(items.get(1).path("message").asString()).contains("[1]");
        assertThat(items.get(2).path("message").asString()).contains("[2]");
    }

    @Test
    void bulk_513Items_isRejectedAsAWholeAndChangesNothing() {
        // Set on-hand takes the ERP's batches of up to 1,000 records; change events 512.
        for (var limit :
                Map.of("/onhand/bulk", 512, "/setonhand/pos/bulk", 1_000).entrySet()) {
            List<ObjectNode> items = new ArrayList<>();
            for (int i = 0; i <= limit.getValue(); i++) {
                items.add(validEvent("many-" + i));
            }

            IvsClient.Response response = client.post(api(limit.getKey()), IvsClient.json(items));

            assertFailure(response, 400, String.valueOf(limit.getValue() + 1));
            assertThat(response.json().path("message").asString())
                    .contains(String.valueOf(limit.getValue()));
        }
        assertBaselineOnly();
    }

    @Test
    void bulk_512Items_areAllApplied() {
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            items.add(validEvent("many-" + i));
        }

        IvsClient.Response response = client.post(api("/onhand/bulk"), IvsClient.json(items));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).hasSize(512);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).isEqualTo(200);
        }
        JsonNode rows = client.post(api("/onhand/indexquery"), """
                        {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}""").json();
        assertThat(quantity(rows.get(0), "pos", "inbound")).isEqualTo("517");
    }

    @Test
    void bulk_oneBadOneGoodItem_appliesOnlyTheGoodOne() {
        ObjectNode badItem = validEvent("bad");
        pos(badItem).put("returned", 50);
        ObjectNode good = validEvent("good");
        pos(good).put("inbound", 2);
        ObjectNode forbidden = validEvent("forbidden");
        forbidden.set("quantities", IvsClient.parse("{\"fno\": {\"physicalinvent\": 9}}"));

        IvsClient.Response response =
                client.post(api("/onhand/bulk"), IvsClient.json(List.of(badItem, good, forbidden)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode items = response.json();
        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("id").asString()).isEqualTo("bad");
        assertThat(items.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(items.get(0).path("message").asString()).contains("quantities.pos.returned");
        assertThat(items.get(1).path("id").asString()).isEqualTo("good");
        assertThat(items.get(1).path("statusCode").asInt()).isEqualTo(200);
        assertThat(items.get(1).path("processingStatus").asString()).isEqualTo("success");
        assertThat(items.get(2).path("id").asString()).isEqualTo("forbidden");
        assertThat(items.get(2).path("statusCode").asInt()).isEqualTo(403);
        JsonNode rows = byColor();
        assertThat(rows).hasSize(1);
        assertThat(quantity(rows.get(0), "pos", "inbound")).isEqualTo("7");
        assertThat(quantity(rows.get(0), "pos", "returned")).isNull();
        assertThat(rows.get(0).path("quantities").path("fno").isMissingNode()).isTrue();
    }

    @Test
    void bulk_badItemWithTheIdOfAGoodOne_doesNotBlockTheGoodOne() {
        ObjectNode badItem = validEvent("same");
        pos(badItem).put("inbound", "abc");
        ObjectNode good = validEvent("same");

        IvsClient.Response response =
                client.post(api("/onhand/bulk"), IvsClient.json(List.of(badItem, good)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(response.json().get(1).path("statusCode").asInt()).isEqualTo(200);
        assertThat(quantity(byColor().get(0), "pos", "inbound")).isEqualTo("6");
    }

    @Test
    void setOnHand_unknownInventorySystem_isRejectedAsAWhole() {
        IvsClient.Response response = client.post(
                api("/setonhand/shop/bulk"), "[" + IvsClient.json(validEvent("s1")) + "]");

        assertFailure(response, 400, "inventorySystem");
        assertThat(response.json().path("message").asString()).contains("'shop'");
        assertBaselineOnly();
    }

    @Test
    void setOnHand_fnoInventorySystem_isForbiddenPerItem() {
        ObjectNode item = validEvent("s1");
        item.set("quantities", IvsClient.parse("{\"fno\": {\"physicalinvent\": 9}}"));

        IvsClient.Response response =
                client.post(api("/setonhand/fno/bulk"), IvsClient.json(List.of(item)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get(0).path("statusCode").asInt()).isEqualTo(403);
        assertThat(response.json().get(0).path("message").asString()).contains("fno");
        assertBaselineOnly();
    }

    @Test
    void setOnHand_measureOfAnotherDataSource_isRejected() {
        ObjectNode item = validEvent("s1");
        item.set("quantities", IvsClient.parse("{\"iv\": {\"ordered\": 9}}"));

        IvsClient.Response response =
                client.post(api("/setonhand/pos/bulk"), IvsClient.json(List.of(item)));

        assertThat(response.json().get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(response.json().get(0).path("message").asString())
                .contains("quantities.iv", "'pos'");
        assertBaselineOnly();
    }

    @Test
    void setOnHand_invalidModifiedDateTime_isRejectedNamingTheField() {
        ObjectNode item = validEvent("s1");
        item.put("modifiedDateTimeUTC", "yesterday");

        IvsClient.Response response =
                client.post(api("/setonhand/pos/bulk"), IvsClient.json(List.of(item)));

        assertThat(response.json().get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(response.json().get(0).path("message").asString())
                .contains("modifiedDateTimeUTC");
        assertBaselineOnly();
    }

    static Stream<Arguments> invalidQueries() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"filters\": ", "not valid JSON"),
                Arguments.of("body an array", "[]", "body"),
                Arguments.of("missing filters", "{}", "filters"),
                Arguments.of("filters an array", "{\"filters\": []}", "filters"),
                Arguments.of(
                        "missing organizationId",
                        "{\"filters\": {\"productId\": [\"P1\"]}}",
                        "filters.organizationId"),
                Arguments.of(
                        "null organizationId",
                        "{\"filters\": {\"organizationId\": null, \"productId\": [\"P1\"]}}",
                        "filters.organizationId"),
                Arguments.of(
                        "two organizations in v1",
                        "{\"filters\": {\"organizationId\": [\"a\", \"b\"],"
                                + " \"productId\": [\"P1\"]}}",
                        "filters.organizationId"),
                Arguments.of(
                        "productId an object",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": {}}}",
                        "filters.productId"),
                Arguments.of(
                        "productId item null",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [null]}}",
                        "filters.productId[0]"),
                Arguments.of(
                        "10k-character productId",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"" + LONG
                                + "\"]}}",
                        "filters.productId"),
                Arguments.of(
                        "unknown filter dimension",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"],"
                                + " \"colourId\": [\"red\"]}}",
                        "filters.colourId"),
                Arguments.of(
                        "unknown group-by dimension",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"]},"
                                + " \"groupByValues\": [\"colourId\"]}",
                        "groupByValues"),
                Arguments.of(
                        "groupByValues an object",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"]},"
                                + " \"groupByValues\": {}}",
                        "groupByValues"),
                Arguments.of(
                        "returnNegative not a boolean",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"]},"
                                + " \"returnNegative\": \"maybe\"}",
                        "returnNegative"),
                Arguments.of(
                        "no product and no warehouse",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": []}}",
                        "siteId and locationId"),
                Arguments.of(
                        "unknown dimension data source",
                        "{\"dimensionDataSource\": \"shop\","
                                + " \"filters\": {\"organizationId\": [\"usmf\"],"
                                + " \"productId\": [\"P1\"]}}",
                        "dimensionDataSource"),
                Arguments.of(
                        "NUL character in a productId",
                        "{\"filters\": {\"organizationId\": [\"usmf\"],"
                                + " \"productId\": [\"P\\u0000\"]}}",
                        "filters.productId"),
                Arguments.of(
                        "NUL character in a filter value",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"],"
                                + " \"colorId\": [\"r\\u0000d\"]}}",
                        "filters.colorId"),
                Arguments.of(
                        "duplicate JSON key",
                        "{\"filters\": {\"organizationId\": [\"usmf\"],"
                                + " \"organizationId\": [\"x\"]}}",
                        "Duplicate"),
                Arguments.of(
                        "one filter in two spellings",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"],"
                                + " \"colorId\": [\"red\"], \"COLORID\": [\"blue\"]}}",
                        "ColorId"),
                Arguments.of(
                        "40 levels of nesting",
                        "{\"filters\": {\"organizationId\": [\"usmf\"], \"x\": " + nested(40)
                                + "}}",
                        "nesting depth"),
                Arguments.of(
                        "5001 products",
                        IvsClient.json(IvsClient.map(
                                "filters",
                                IvsClient.map(
                                        "organizationId", List.of("usmf"),
                                        "productId",
                                                Stream.iterate(0, i -> i + 1)
                                                        .limit(5001)
                                                        .map(i -> "P" + i)
                                                        .toList()))),
                        "5000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidQueries")
    void indexQuery_invalidBody_is400NamingTheProblem(String name, String body, String named) {
        IvsClient.Response response = client.post(api("/onhand/indexquery"), body);

        assertFailure(response, 400, named);
        assertBaselineOnly();
    }

    @Test
    void getQuery_nulCharacterInAParameter_is400NamingIt() {
        IvsClient.Response product = client.get(api("/onhand?organizationId=usmf&productId=P%00"));
        IvsClient.Response color =
                client.get(api("/onhand?organizationId=usmf&productId=P1&colorId=r%00d"));

        assertFailure(product, 400, "productId");
        assertFailure(color, 400, "colorId");
        assertBaselineOnly();
    }

    @Test
    void indexQueryV2_pageNumberNotANumber_is400Envelope() {
        String query = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}""";
        IvsClient.Response response =
                client.post(api("/onhand/indexquery?pageNumber=abc"), query, "Api-Version", "2.0");

        assertFailure(response, 400, "pageNumber");
    }

    @Test
    void invalidUtf8_onEveryEndpoint_is400AndChangesNothing() {
        String valid = IvsClient.json(validEvent("raw"));
        int split = valid.indexOf("red") + 1;
        byte[] head = valid.substring(0, split).getBytes(StandardCharsets.UTF_8);
        byte[] tail = valid.substring(split).getBytes(StandardCharsets.UTF_8);
        List<byte[]> garbage = List.of(
                new byte[] {(byte) 0xFF, (byte) 0xFE},
                new byte[] {(byte) 0xC3, (byte) 0x28},
                new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0x80});
        for (byte[] bad : garbage) {
            byte[] event = concat(head, bad, tail);
            byte[] array = concat(new byte[] {'['}, event, new byte[] {']'});
            assertRawRejected("/onhand", event);
            assertRawRejected("/onhand/bulk", array);
            assertRawRejected("/setonhand/pos/bulk", array);
        }
        byte[] query = concat(
                "{\"filters\": {\"organizationId\": [\"us".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xFF},
                "\"], \"productId\": [\"P1\"]}}".getBytes(StandardCharsets.UTF_8));
        assertRawRejected("/onhand/indexquery", query);
        assertBaselineOnly();
    }

    @Test
    void overlongUtf8Nul_isRejectedAndChangesNothing() {
        String valid = IvsClient.json(validEvent("raw"));
        int split = valid.indexOf("red") + 1;
        byte[] event = concat(
                valid.substring(0, split).getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC0, (byte) 0x80},
                valid.substring(split).getBytes(StandardCharsets.UTF_8));

        RawResponse response = sendRaw("/onhand", event);

        assertFailure(
                new IvsClient.Response(response.status(), response.body()),
                400,
                "dimensions.colorId");
        assertBaselineOnly();
    }

    private void assertRawRejected(String path, byte[] body) {
        RawResponse response = sendRaw(path, body);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
        JsonNode json = IvsClient.parse(response.body());
        assertThat(json.path("statusCode").asInt()).isEqualTo(400);
        assertThat(json.path("message").asString())
                .as(path)
                .contains("body")
                .containsIgnoringCase("UTF-8");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private record RawResponse(int status, String body) {}

    private RawResponse sendRaw(String path, byte[] body, String... headers) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + api(path)))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + client.adminToken(env))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new RawResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void formUrlEncodedBody_is415AndChangesNothing() {
        RawResponse response = sendRaw(
                "/onhand",
                "id=x&organizationId=usmf".getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/x-www-form-urlencoded");

        assertThat(response.status()).as(response.body()).isEqualTo(415);
        assertThat(IvsClient.parse(response.body()).path("statusCode").asInt()).isEqualTo(415);
        assertBaselineOnly();
    }

    @Test
    void bodyOver16MiB_is413AndChangesNothing() {
        String padding = " ".repeat(16 * 1024 * 1024);
        String body = "[" + IvsClient.json(validEvent("huge")) + padding + "]";

        IvsClient.Response response = client.post(api("/onhand/bulk"), body);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("statusCode").asInt()).isEqualTo(413);
        assertThat(response.json().path("message").asString()).contains("body");
        assertBaselineOnly();
    }

    private JsonNode byColor() {
        IvsClient.Response response = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"], "returnNegative": true}""");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void fieldNamesInAnyCase_areAccepted() {
        IvsClient.Response response = client.post(api("/onhand"), """
                {"ID": "c1", "OrganizationID": "usmf", "productid": "P1",
                 "Dimensions": {"SiteId": "1", "LOCATIONID": "11", "colorid": "red"},
                 "QUANTITIES": {"POS": {"Inbound": 2, "OUTBOUND": 1}}}""");
        IvsClient.Response bulk = client.post(api("/onhand/bulk"), """
                [{"Id": "c2", "organizationid": "usmf", "ProductId": "P1",
                  "dimensions": {"siteid": "1", "LocationId": "11", "ColorId": "red"},
                  "Quantities": {"pos": {"inbound": 3}}}]""");
        IvsClient.Response query = client.post(api("/onhand/indexquery"), """
                {"Filters": {"OrganizationId": ["usmf"], "PRODUCTID": ["P1"],
                             "siteid": ["1"], "LocationID": ["11"]},
                 "GroupByValues": ["COLORID"], "ReturnNegative": true}""");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("id").asString()).isEqualTo("c1");
        assertThat(bulk.json().get(0).path("statusCode").asInt())
                .as(bulk.body())
                .isEqualTo(200);
        assertThat(query.status()).as(query.body()).isEqualTo(200);
        assertThat(query.json()).hasSize(1);
        JsonNode row = query.json().get(0);
        assertThat(row.path("dimensions").path("ColorId").asString()).isEqualTo("red");
        assertThat(quantity(row, "pos", "inbound")).isEqualTo("10");
        assertThat(quantity(row, "pos", "outbound")).isEqualTo("1");
    }

    @Test
    void numericStrings_areAcceptedAsExactDecimals() {
        ObjectNode first = validEvent("n1");
        pos(first).put("inbound", "10");
        ObjectNode second = validEvent("n2");
        pos(second).put("inbound", " 0.25 ");
        ObjectNode third = validEvent("n3");
        pos(third).put("inbound", "-1.5e0");
        ObjectNode fourth = validEvent("n4");
        pos(fourth).remove("inbound");
        pos(fourth).put("outbound", "0.1234567891");

        IvsClient.Response response = client.post(
                api("/onhand/bulk"), IvsClient.json(List.of(first, second, third, fourth)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        }
        JsonNode row = byColor().get(0);
        assertThat(quantity(row, "pos", "inbound")).isEqualTo("13.75");
        assertThat(quantity(row, "pos", "outbound")).isEqualTo("0.1234567891");
    }

    @Test
    void trailingSlash_isToleratedOnEveryEndpoint() {
        IvsClient.Response change = client.post(api("/onhand/"), IvsClient.json(validEvent("t1")));
        IvsClient.Response bulk =
                client.post(api("/onhand/bulk/"), IvsClient.json(List.of(validEvent("t2"))));
        IvsClient.Response set = client.post(api("/setonhand/pos/bulk/"), """
                [{"id": "t3", "organizationId": "usmf", "productId": "P1",
                  "dimensions": {"siteId": "1", "locationId": "11", "colorId": "red"},
                  "quantities": {"pos": {"outbound": 4}}}]""");
        IvsClient.Response query = client.post(api("/onhand/indexquery/"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}""");
        IvsClient.Response configuration = client.get(api("/configuration/"));
        IvsClient.Response ids = client.get(api("/allpartitionids/"));

        assertThat(change.status()).as(change.body()).isEqualTo(200);
        assertThat(bulk.json().get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(set.json().get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(query.status()).isEqualTo(200);
        assertThat(quantity(query.json().get(0), "pos", "inbound")).isEqualTo("7");
        assertThat(quantity(query.json().get(0), "pos", "outbound")).isEqualTo("4");
        assertThat(configuration.status()).isEqualTo(200);
        assertThat(ids.status()).isEqualTo(200);
    }

    @Test
    void apiVersion_missingOr1Or2_isAccepted() {
        IvsClient.Response none = client.post(api("/onhand"), IvsClient.json(validEvent("v0")));
        IvsClient.Response one =
                client.post(api("/onhand"), IvsClient.json(validEvent("v1")), "Api-Version", "1.0");
        IvsClient.Response two =
                client.post(api("/onhand"), IvsClient.json(validEvent("v2")), "Api-Version", "2.0");
        String query = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}""";
        IvsClient.Response queryV2 =
                client.post(api("/onhand/indexquery"), query, "Api-Version", "2.0");

        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(two.status()).as(two.body()).isEqualTo(200);
        assertThat(queryV2.status()).as(queryV2.body()).isEqualTo(200);
        assertThat(queryV2.json().path("nextLink").asString()).isEmpty();
        assertThat(queryV2.json().path("Value")).hasSize(1);
        assertThat(quantity(queryV2.json().path("Value").get(0), "pos", "inbound"))
                .isEqualTo("8");
    }

    @Test
    void apiVersion_unknown_is400OnEveryEndpointAndChangesNothing() {
        String event = IvsClient.json(validEvent("v3"));
        String query = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"]}}""";
        List<IvsClient.Response> responses = List.of(
                client.post(api("/onhand"), event, "Api-Version", "3"),
                client.post(api("/onhand/bulk"), "[" + event + "]", "Api-Version", "3"),
                client.post(api("/setonhand/pos/bulk"), "[" + event + "]", "Api-Version", "3"),
                client.post(api("/onhand/indexquery"), query, "Api-Version", "3"),
                client.post(api("/onhand"), event, "Api-Version", "latest"));

        for (IvsClient.Response response : responses) {
            assertFailure(response, 400, "Api-Version");
        }
        assertBaselineOnly();
    }

    @Test
    void unknownPathOrMethod_is4xxEnvelope() {
        IvsClient.Response path = client.post(api("/onhand/nosuch"), "{}");
        IvsClient.Response method = client.get(api("/onhand/bulk"));

        assertFailure(path, 404, "onhand/nosuch");
        assertThat(method.status()).as(method.body()).isEqualTo(405);
        assertThat(method.json().path("statusCode").asInt()).isEqualTo(405);
    }
}
