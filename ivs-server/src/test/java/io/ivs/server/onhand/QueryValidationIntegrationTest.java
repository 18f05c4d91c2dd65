package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Query validation and limits (spec §1.3, §1.4, §2.7, A6, A16, A25, A27) over HTTP. */
class QueryValidationIntegrationTest extends QueryTestSupport {

    private IvsClient.Response indexQueryResponse(String body, String... headers) {
        return client.post(api("/onhand/indexquery"), body, headers);
    }

    private static String quotedList(String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("\"" + prefix + i + "\"");
        }
        return "[" + String.join(",", values) + "]";
    }

    @Test
    void indexQuery_unknownFilterKey_isRejectedNamingIt() {
        IvsClient.Response response = indexQueryResponse("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "Flavor": ["sweet"]}}""");

        assertFailure(response, 400, "filters.Flavor", "not a base dimension");

        IvsClient.Response get =
                client.get(api("/onhand?organizationId=usmf&productId=P&Flavor=sweet"));
        assertFailure(get, 400, "filters.Flavor");
    }

    @Test
    void indexQuery_unknownGroupBy_isRejectedNamingIt() {
        IvsClient.Response response = indexQueryResponse("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]},
                 "groupByValues": ["ColorId", "Flavor"]}""");

        assertFailure(response, 400, "groupByValues", "Flavor");

        IvsClient.Response get =
                client.get(api("/onhand?organizationId=usmf&productId=P&groupBy=colorId,flavor"));
        assertFailure(get, 400, "groupByValues", "flavor");
    }

    @Test
    void indexQuery_5001Products_isRejectedAnd5000Accepted() {
        post(event(
                "p", "usmf", "P0", dims("siteId", "1", "locationId", "11"), "pos", "inbound", 3));

        String products = """
                {"filters": {"organizationId": ["usmf"], "productId": %s}}""";
        IvsClient.Response tooMany = indexQueryResponse(products.formatted(quotedList("P", 5001)));
        assertFailure(tooMany, 400, "filters.productId", "5000");

        JsonNode rows = indexQuery(products.formatted(quotedList("P", 5000)));
        assertThat(totals(rows, "pos", "inbound", "productId")).isEqualTo(Map.of("P0", "3"));
    }

    @Test
    void indexQueryV1_moreThan10000SiteLocationPairs_isRejectedButV2Accepts() {
        post(event(
                "p", "usmf", "P", dims("siteId", "S0", "locationId", "L0"), "pos", "inbound", 3));
        String body = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "siteId": %s, "locationId": %s}}""";
        String tooMany = body.formatted(quotedList("S", 101), quotedList("L", 100));

        assertFailure(indexQueryResponse(tooMany), 400, "filters", "10100", "10000");

        JsonNode v2 = ok("/onhand/indexquery", tooMany, V2);
        assertThat(totals(v2.path("Value"), "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("S0/L0", "3"));

        JsonNode atLimit = indexQuery(body.formatted(quotedList("S", 100), quotedList("L", 100)));
        assertThat(totals(atLimit, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("S0/L0", "3"));
    }

    @Test
    void indexQuery_missingFilters_isRejected() {
        assertFailure(indexQueryResponse("{\"groupByValues\": []}"), 400, "filters", "required");
        assertFailure(indexQueryResponse("{\"filters\": [\"usmf\"]}"), 400, "filters", "object");
        assertFailure(indexQueryResponse(""), 400, "body");
    }

    @Test
    void indexQuery_missingOrganizationId_isRejectedNamingIt() {
        IvsClient.Response missing = indexQueryResponse("""
                {"filters": {"productId": ["P"], "siteId": ["1"], "locationId": ["11"]}}""");
        assertFailure(missing, 400, "filters.organizationId");

        IvsClient.Response empty = indexQueryResponse("""
                {"filters": {"organizationId": [], "productId": ["P"]}}""");
        assertFailure(empty, 400, "filters.organizationId");

        assertFailure(client.get(api("/onhand?productId=P")), 400, "filters.organizationId");

        IvsClient.Response exact = client.post(api("/onhand/exactquery"), """
                {"filters": {"productId": ["P"], "dimensions": ["siteId", "locationId"],
                             "values": [["1", "11"]]}}""");
        assertFailure(exact, 400, "filters.organizationId");
    }

    @Test
    void indexQuery_byLocationWithoutProductOrWarehouse_isRejectedNamingFilters() {
        IvsClient.Response noProduct = indexQueryResponse("""
                {"filters": {"organizationId": ["usmf"], "siteId": ["1"]}}""");

        assertFailure(noProduct, 400, "filters", "productId", "siteId and locationId");
    }

    @Test
    void anyQuery_unsupportedApiVersion_isRejectedNamingTheHeader() {
        String body = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]}}""";

        assertFailure(indexQueryResponse(body, "Api-Version", "3.0"), 400, "Api-Version", "3.0");
        String exactBody = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId"], "values": [["1", "11"]]}}""";
        IvsClient.Response exact =
                client.post(api("/onhand/exactquery"), exactBody, "Api-Version", "3.0");
        assertFailure(exact, 400, "Api-Version");
        assertFailure(
                client.get(api("/onhand?organizationId=usmf&productId=P"), "Api-Version", "3.0"),
                400,
                "Api-Version");

        assertThat(indexQueryResponse(body, "Api-Version", "1.0").status()).isEqualTo(200);
    }

    @Test
    void anyQuery_withoutQueryIndex_answersNoIndexHierarchyMessage() {
        configure(doc -> ((tools.jackson.databind.node.ObjectNode) doc.get("indexConfiguration"))
                .putArray("indexAttributeSets"));

        IvsClient.Response index = indexQueryResponse("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]}}""");
        assertFailure(index, 400);
        assertThat(index.json().path("message").asString())
                .isEqualTo("No index hierarchy has been set.");

        IvsClient.Response exact = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId"], "values": [["1", "11"]]}}""");
        assertThat(exact.json().path("message").asString())
                .isEqualTo("No index hierarchy has been set.");

        IvsClient.Response get = client.get(api("/onhand?organizationId=usmf&productId=P"));
        assertFailure(get, 400, "No index hierarchy has been set.");
    }

    @Test
    void query_groupByNotCoveredByIndex_isStillAnswered() {
        post(event(
                "p",
                "usmf",
                "P",
                dims("siteId", "1", "locationId", "11", "batchId", "B1", "colorId", "red"),
                "pos",
                "inbound",
                3));

        // batchId is in no index set; indexes are performance hints only (A16).
        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"], "batchId": ["B1"]},
                 "groupByValues": ["BatchId"]}""");

        assertThat(totals(rows, "pos", "inbound", "BatchId")).isEqualTo(Map.of("B1", "3"));
    }

    @Test
    void anyQuery_unknownEnvironment_answers404() {
        String unknown = "/api/environment/no-such-env-" + env;
        String body = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]}}""";

        assertFailure(client.post(unknown + "/onhand/indexquery", body), 404, "no-such-env-");
        assertFailure(client.post(unknown + "/onhand/exactquery", body), 404);
        assertFailure(client.get(unknown + "/onhand?organizationId=usmf&productId=P"), 404);
    }

    @Test
    void queryEndpoints_springMvcErrors_answerWithIvEnvelope() {
        // Regression: Boot's problem-details handler used to answer these before ours (D9).
        String body = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]}}""";

        assertFailure(
                client.post(api("/onhand/indexquery?pageSize=many"), body, V2), 400, "pageSize");
        assertFailure(client.get(api("/onhand/indexquery")), 405);
        assertFailure(client.post(api("/onhand/nosuchquery"), body), 404);
    }

    @Test
    void indexQuery_malformedValues_areRejectedNamingTheField() {
        String nested = """
                {"filters": {"organizationId": ["usmf"], "productId": [["P"]]}}""";
        assertFailure(indexQueryResponse(nested), 400, "filters.productId[0]");

        String notBoolean = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]},
                 "returnNegative": "maybe"}""";
        assertFailure(indexQueryResponse(notBoolean), 400, "returnNegative");

        String get = "/onhand?organizationId=usmf&productId=P&returnNegative=maybe";
        assertFailure(client.get(api(get)), 400, "returnNegative");
    }
}
