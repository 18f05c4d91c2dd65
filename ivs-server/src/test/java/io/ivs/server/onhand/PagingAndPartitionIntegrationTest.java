package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Index query v2 paging and several organizations (spec §2.8, §2.14 g, A17) and the by-product
 * partition rule (§2.14 c, A15b) over HTTP against real PostgreSQL.
 */
class PagingAndPartitionIntegrationTest extends QueryTestSupport {
    private static final String QUERY_P = """
            {"filters": {"organizationId": ["usmf"], "productId": ["P", "Q"]}}""";

    /** Warehouses 11, 12, 13 (site 1) and 21, 22 (site 2); warehouse 12 also holds product Q. */
    private void seedWarehouses() {
        String[][] warehouses = {{"1", "11"}, {"1", "12"}, {"1", "13"}, {"2", "21"}, {"2", "22"}};
        List<Map<String, Object>> events = new ArrayList<>();
        for (String[] w : warehouses) {
            Map<String, Object> d = dims("siteId", w[0], "locationId", w[1]);
            events.add(event("w" + w[1], "usmf", "P", d, "pos", "inbound", Integer.valueOf(w[1])));
        }
        events.add(event(
                "q12", "usmf", "Q", dims("siteId", "1", "locationId", "12"), "pos", "inbound", 7));
        postAll(events);
    }

    private JsonNode page(String query, String pageQuery) {
        JsonNode answer = ok("/onhand/indexquery" + pageQuery, query, V2);
        assertThat(answer.isObject()).as(answer.toString()).isTrue();
        assertThat(answer.path("Value").isArray()).as(answer.toString()).isTrue();
        return answer;
    }

    private static List<String> rowKeys(JsonNode answer) {
        List<String> keys = new ArrayList<>();
        for (JsonNode row : answer.path("Value")) {
            keys.add(row.path("organizationId").asString()
                    + "/" + row.path("dimensions").path("siteid").asString()
                    + "/" + row.path("dimensions").path("locationid").asString()
                    + "/" + row.path("productId").asString()
                    + "=" + quantity(row, "pos", "inbound"));
        }
        return keys;
    }

    @Test
    void indexQueryV2_workedExample28_pagesByWarehouse() {
        seedWarehouses();

        JsonNode page1 = page(QUERY_P, "?pageNumber=1&pageSize=2");
        assertThat(rowKeys(page1))
                .containsExactly("usmf/1/11/P=11", "usmf/1/12/P=12", "usmf/1/12/Q=7");
        assertThat(page1.path("nextLink").asString())
                .isEqualTo("onhand/indexquery?pageNumber=2&pageSize=2");

        JsonNode page2 = page(QUERY_P, "?pageNumber=2&pageSize=2");
        assertThat(rowKeys(page2)).containsExactly("usmf/1/13/P=13", "usmf/2/21/P=21");
        assertThat(page2.path("nextLink").asString())
                .isEqualTo("onhand/indexquery?pageNumber=3&pageSize=2");

        JsonNode page3 = page(QUERY_P, "?pageNumber=3&pageSize=2");
        assertThat(rowKeys(page3)).containsExactly("usmf/2/22/P=22");
        assertThat(page3.path("nextLink").isString()).isTrue();
        assertThat(page3.path("nextLink").asString()).isEmpty();

        JsonNode page4 = page(QUERY_P, "?pageNumber=4&pageSize=2");
        assertThat(page4.path("Value")).isEmpty();
        assertThat(page4.path("nextLink").asString()).isEmpty();
    }

    @Test
    void indexQueryV2_withoutPaging_returnsEveryWarehouseOnOnePage() {
        seedWarehouses();

        JsonNode all = page(QUERY_P, "");

        assertThat(rowKeys(all))
                .containsExactly(
                        "usmf/1/11/P=11",
                        "usmf/1/12/P=12",
                        "usmf/1/12/Q=7",
                        "usmf/1/13/P=13",
                        "usmf/2/21/P=21",
                        "usmf/2/22/P=22");
        assertThat(all.path("nextLink").asString()).isEmpty();

        JsonNode v1 = indexQuery(QUERY_P);
        assertThat(v1).isEqualTo(all.path("Value"));
    }

    @Test
    void indexQueryV2_pageSizeExactlyCoversTheLastWarehouse_hasEmptyNextLink() {
        seedWarehouses();

        JsonNode page = page(QUERY_P, "?pageNumber=1&pageSize=5");

        assertThat(rowKeys(page)).hasSize(6);
        assertThat(page.path("nextLink").asString()).isEmpty();
    }

    @Test
    void indexQueryV2_workedExample214g_pagesAcrossSeveralOrganizations() {
        // 51 warehouses: 17 per organization, locations L01..L17 sort like their numbers.
        List<Map<String, Object>> events = new ArrayList<>();
        for (String org : List.of("org3", "org1", "org2")) {
            for (int l = 1; l <= 17; l++) {
                String location = "L%02d".formatted(l);
                Map<String, Object> d = dims("siteId", "1", "locationId", location);
                events.add(event(org + location, org, "P", d, "pos", "inbound", l));
            }
        }
        events.add(event(
                "org4",
                "org4",
                "P",
                dims("siteId", "1", "locationId", "L01"),
                "pos",
                "inbound",
                99));
        postAll(events);
        String query = """
                {"filters": {"organizationId": ["org1", "org2", "org3"], "productId": ["P"]}}""";

        JsonNode page1 = page(query, "?pageNumber=1&pageSize=50");
        List<String> keys1 = rowKeys(page1);
        assertThat(keys1).hasSize(50);
        assertThat(keys1.get(0)).isEqualTo("org1/1/L01/P=1");
        assertThat(keys1.get(16)).isEqualTo("org1/1/L17/P=17");
        assertThat(keys1.get(17)).isEqualTo("org2/1/L01/P=1");
        assertThat(keys1.get(49)).isEqualTo("org3/1/L16/P=16");
        assertThat(page1.path("nextLink").asString())
                .isEqualTo("onhand/indexquery?pageNumber=2&pageSize=50");

        JsonNode page2 = page(query, "?pageNumber=2&pageSize=50");
        assertThat(rowKeys(page2)).containsExactly("org3/1/L17/P=17");
        assertThat(page2.path("nextLink").asString()).isEmpty();
    }

    @Test
    void indexQueryV1_twoOrganizations_isRejectedNamingOrganizationId() {
        IvsClient.Response response = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["org1", "org2"], "productId": ["P"]}}""");

        assertFailure(response, 400, "filters.organizationId");

        IvsClient.Response get =
                client.get(api("/onhand?organizationId=org1&organizationId=org2&productId=P"));
        assertFailure(get, 400, "organizationId");
    }

    @Test
    void indexQueryV2_invalidPageParameters_areRejectedNamingThem() {
        assertFailure(
                client.post(api("/onhand/indexquery?pageNumber=0&pageSize=2"), QUERY_P, V2),
                400,
                "pageNumber");
        assertFailure(
                client.post(api("/onhand/indexquery?pageNumber=1&pageSize=0"), QUERY_P, V2),
                400,
                "pageSize");
        assertFailure(
                client.post(api("/onhand/indexquery?pageNumber=x"), QUERY_P, V2),
                400,
                "pageNumber");
    }

    private void useByProductPartition() {
        configure(doc -> {
            var partition = doc.putObject("partitionConfiguration");
            partition.put("useProductId", true);
            partition.put("useDimensions", false);
        });
    }

    /** §2.14(c) with iom.onhand standing in for iv.onhand (the default iv has no onhand). */
    private void seedExampleC() {
        useByProductPartition();
        postAll(List.of(
                event(
                        "a",
                        "org1",
                        "A0003",
                        dims("siteId", "1", "locationId", "11"),
                        "iom",
                        "onhand",
                        10),
                event(
                        "b",
                        "org1",
                        "A0003",
                        dims("siteId", "1", "locationId", "12"),
                        "iom",
                        "onhand",
                        4),
                event("c", "org1", "A0003", dims(), "iom", "onhand", 1)));
    }

    @Test
    void byProductPartition_workedExample214c_aggregatesAcrossLocations() {
        seedExampleC();

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["org1"], "productId": ["A0003"]},
                 "groupByValues": []}""");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("productId").asString()).isEqualTo("A0003");
        assertThat(dimensionsOf(rows.get(0))).isEmpty();
        assertThat(measures(rows.get(0))).isEqualTo(Map.of("iom.onhand", "15"));
    }

    @Test
    void byProductPartition_groupByLocation_showsEmptyLocationForRecordsWithoutOne() {
        seedExampleC();

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["org1"], "productId": ["A0003"]},
                 "groupByValues": ["locationId"]}""");

        assertThat(totals(rows, "iom", "onhand", "locationid"))
                .isEqualTo(Map.of("11", "10", "12", "4", "", "1"));
        assertThat(dimensionsOf(rows.get(0)).keySet()).containsExactly("locationid");

        JsonNode site1 = indexQuery("""
                {"filters": {"organizationId": ["org1"], "productId": ["A0003"],
                             "siteId": ["1"]}}""");
        assertThat(measures(site1.get(0))).isEqualTo(Map.of("iom.onhand", "14"));
    }

    @Test
    void byProductPartition_queryWithoutProduct_isRejectedNamingProductId() {
        seedExampleC();

        IvsClient.Response missing = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["org1"],
                             "siteId": ["1"], "locationId": ["11"]}}""");
        assertFailure(missing, 400, "filters.productId");

        IvsClient.Response empty = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["org1"], "productId": []}}""");
        assertFailure(empty, 400, "filters.productId");
    }

    @Test
    void byLocationPartition_postWithoutSiteOrLocation_isRejectedNamingTheDimension() {
        Map<String, Object> noSite =
                event("n1", "usmf", "P", dims("locationId", "11"), "pos", "inbound", 1);
        assertFailure(
                client.post(api("/onhand"), IvsClient.json(noSite)), 400, "dimensions.siteId");

        Map<String, Object> noDims = event("n2", "usmf", "P", dims(), "pos", "inbound", 1);
        assertFailure(
                client.post(api("/onhand"), IvsClient.json(noDims)), 400, "dimensions.siteId");

        Map<String, Object> noLocation =
                event("n3", "usmf", "P", dims("siteId", "1"), "pos", "inbound", 1);
        assertFailure(
                client.post(api("/onhand"), IvsClient.json(noLocation)),
                400,
                "dimensions.locationId");

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]}}""");
        assertThat(rows).isEmpty();
    }

    @Test
    void partitionRule_changeWhileDataExists_isRejected() {
        post(event("a", "usmf", "P", dims("siteId", "1", "locationId", "11"), "pos", "inbound", 1));
        var document = configuration();
        var partition = document.putObject("partitionConfiguration");
        partition.put("useProductId", true);
        partition.put("useDimensions", false);

        IvsClient.Response response =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]}}""");
        assertThat(totals(rows, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("1/11", "1"));
    }
}
