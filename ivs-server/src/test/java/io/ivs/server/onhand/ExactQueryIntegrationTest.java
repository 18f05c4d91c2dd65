package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Exact queries (spec §2.9, §2.14 d, A23) over HTTP against real PostgreSQL. */
class ExactQueryIntegrationTest extends QueryTestSupport {

    /** §2.14(d): org usmf, product P, (1,A)=5, (1,B)=7, (2,A)=11, (2,B)=13 in pos.inbound. */
    private void seedExampleD() {
        String[][] stock = {{"1", "A", "5"}, {"1", "B", "7"}, {"2", "A", "11"}, {"2", "B", "13"}};
        List<Map<String, Object>> events = new ArrayList<>();
        for (String[] s : stock) {
            events.add(event(
                    "d" + s[0] + s[1],
                    "usmf",
                    "P",
                    dims("siteId", s[0], "locationId", s[1]),
                    "pos",
                    "inbound",
                    Integer.valueOf(s[2])));
        }
        postAll(events);
    }

    @Test
    void indexQuery_workedExample214d_evaluatesAllFourCombinations() {
        seedExampleD();

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "siteId": ["1", "2"], "locationId": ["A", "B"]}}""");

        assertThat(totals(rows, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("1/A", "5", "1/B", "7", "2/A", "11", "2/B", "13"));
    }

    @Test
    void exactQuery_workedExample214d_evaluatesOnlyTheGivenTuples() {
        seedExampleD();

        JsonNode rows = exactQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId"],
                             "values": [["1", "A"], ["2", "B"]]}}""");

        assertThat(rows).hasSize(2);
        assertThat(totals(rows, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("1/A", "5", "2/B", "13"));
        assertThat(dimensionsOf(rows.get(0)).keySet()).containsExactly("siteid", "locationid");
    }

    @Test
    void exactQuery_dimensionsInOtherOrder_alignValuesPositionally() {
        seedExampleD();

        JsonNode rows = exactQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["LocationId", "SiteId"],
                             "values": [["B", "1"], ["A", "2"]]}}""");

        assertThat(totals(rows, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("1/B", "7", "2/A", "11"));
    }

    @Test
    void exactQuery_duplicateTuples_areCountedOnce() {
        seedExampleD();

        JsonNode rows = exactQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId"],
                             "values": [["1", "A"], ["2", "B"], ["1", "A"]]}}""");

        assertThat(rows).hasSize(2);
        assertThat(totals(rows, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("1/A", "5", "2/B", "13"));
    }

    @Test
    void exactQuery_tupleLengthMismatch_isRejectedNamingTheTuple() {
        seedExampleD();

        IvsClient.Response response = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId"],
                             "values": [["1", "A"], ["2"]]}}""");

        assertFailure(response, 400, "filters.values[1]");
    }

    @Test
    void exactQuery_extraDimensionAndGroupBy_splitsEachTuple() {
        postAll(List.of(
                event(
                        "r",
                        "usmf",
                        "P",
                        dims("siteId", "1", "locationId", "A", "colorId", "red"),
                        "pos",
                        "inbound",
                        2),
                event(
                        "b",
                        "usmf",
                        "P",
                        dims("siteId", "1", "locationId", "A", "colorId", "blue"),
                        "pos",
                        "inbound",
                        3),
                event(
                        "x",
                        "usmf",
                        "P",
                        dims("siteId", "1", "locationId", "A", "sizeId", "L"),
                        "pos",
                        "inbound",
                        50),
                event(
                        "y",
                        "usmf",
                        "P",
                        dims("siteId", "2", "locationId", "B", "colorId", "red"),
                        "pos",
                        "inbound",
                        7)));

        JsonNode grouped = exactQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId"], "values": [["1", "A"]]},
                 "groupByValues": ["colorId"]}""");
        assertThat(totals(grouped, "pos", "inbound", "siteid", "locationid", "ColorId"))
                .isEqualTo(Map.of("1/A/red", "2", "1/A/blue", "3", "1/A/", "50"));

        JsonNode byColor = exactQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId", "colorId"],
                             "values": [["1", "A", "red"], ["2", "B", "red"],
                                        ["2", "B", "blue"]]}}""");
        assertThat(totals(byColor, "pos", "inbound", "siteid", "locationid", "ColorId"))
                .isEqualTo(Map.of("1/A/red", "2", "2/B/red", "7"));
    }

    @Test
    void exactQuery_emptyProductList_coversEveryProductUnderByLocation() {
        postAll(List.of(
                event(
                        "p",
                        "usmf",
                        "P",
                        dims("siteId", "1", "locationId", "A"),
                        "pos",
                        "inbound",
                        5),
                event(
                        "q",
                        "usmf",
                        "Q",
                        dims("siteId", "1", "locationId", "A"),
                        "pos",
                        "inbound",
                        6),
                event(
                        "r",
                        "usmf",
                        "R",
                        dims("siteId", "1", "locationId", "B"),
                        "pos",
                        "inbound",
                        9)));

        JsonNode rows = exactQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": [],
                             "dimensions": ["siteId", "locationId"], "values": [["1", "A"]]}}""");

        assertThat(totals(rows, "pos", "inbound", "productId"))
                .isEqualTo(Map.of("P", "5", "Q", "6"));
    }

    @Test
    void exactQueryV2_keysWithOrganizationId_spanSeveralOrganizations() {
        postAll(List.of(
                event(
                        "a",
                        "org1",
                        "P",
                        dims("siteId", "1", "locationId", "A"),
                        "pos",
                        "inbound",
                        5),
                event(
                        "b",
                        "org1",
                        "P",
                        dims("siteId", "2", "locationId", "B"),
                        "pos",
                        "inbound",
                        13),
                event(
                        "c",
                        "org2",
                        "P",
                        dims("siteId", "1", "locationId", "A"),
                        "pos",
                        "inbound",
                        8),
                event(
                        "d",
                        "org2",
                        "P",
                        dims("siteId", "2", "locationId", "B"),
                        "pos",
                        "inbound",
                        9)));

        JsonNode rows = exactQuery("""
                {"filters": {"productId": ["P"], "keys": ["siteId", "organizationId", "locationId"],
                             "values": [["1", "org1", "A"], ["2", "org2", "B"]]}}""", V2);

        assertThat(totals(rows, "pos", "inbound", "organizationId", "siteid", "locationid"))
                .isEqualTo(Map.of("org1/1/A", "5", "org2/2/B", "9"));
        assertThat(dimensionsOf(rows.get(0)).keySet()).containsExactly("siteid", "locationid");
    }

    @Test
    void exactQueryV2_organizationInKeysAndInFilters_isRejected() {
        seedExampleD();

        IvsClient.Response both = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "keys": ["organizationId", "siteId", "locationId"],
                             "values": [["usmf", "1", "A"]]}}""", V2);

        assertFailure(both, 400, "filters.organizationId", "not both");
    }

    @Test
    void exactQueryV2_keysWithoutOrganizationId_useFiltersOrganizationId() {
        seedExampleD();

        JsonNode rows = exactQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "keys": ["siteId", "locationId"], "values": [["2", "A"]]}}""", V2);

        assertThat(totals(rows, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("2/A", "11"));
    }

    @Test
    void exactQueryV1_organizationIdAsDimension_isRejected() {
        IvsClient.Response response = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["organizationId", "siteId", "locationId"],
                             "values": [["usmf", "1", "A"]]}}""");

        assertFailure(response, 400, "filters.dimensions", "organizationId");
    }

    @Test
    void exactQuery_byLocationWithoutSiteAndLocation_isRejectedNamingDimensions() {
        IvsClient.Response noLocation = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "colorId"], "values": [["1", "red"]]}}""");
        assertFailure(noLocation, 400, "filters.dimensions", "siteId and locationId");

        IvsClient.Response empty = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": [], "values": [[]]}}""");
        assertFailure(empty, 400, "filters.dimensions");

        IvsClient.Response v2 = client.post(api("/onhand/exactquery"), """
                {"filters": {"productId": ["P"], "keys": ["organizationId", "locationId"],
                             "values": [["usmf", "A"]]}}""", V2);
        assertFailure(v2, 400, "filters.keys");
    }

    @Test
    void exactQuery_missingDimensionsOrValues_isRejectedNamingTheField() {
        IvsClient.Response noDimensions = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "values": [["1", "A"]]}}""");
        assertFailure(noDimensions, 400, "filters.dimensions");

        IvsClient.Response noValues = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "dimensions": ["siteId", "locationId"]}}""");
        assertFailure(noValues, 400, "filters.values");
    }

    @Test
    void exactQuery_otherFilterKey_isRejectedNotIgnored() {
        seedExampleD();

        // An exact query filters through dimensions/values only; a further filter key must not be
        // silently ignored (the caller would get unfiltered totals), so it is rejected (A6).
        IvsClient.Response response = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["P"], "colorId": ["red"],
                             "dimensions": ["siteId", "locationId"], "values": [["1", "A"]]}}""");

        assertFailure(response, 400, "filters.colorId");
    }

    @Test
    void exactQuery_byProductPartition_allowsEmptyDimensionsButRequiresProduct() {
        configure(doc -> {
            var partition = doc.putObject("partitionConfiguration");
            partition.put("useProductId", true);
            partition.put("useDimensions", false);
        });
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

        JsonNode total = exactQuery("""
                {"filters": {"organizationId": ["org1"], "productId": ["A0003"],
                             "dimensions": [], "values": [[]]}}""");
        assertThat(total).hasSize(1);
        assertThat(dimensionsOf(total.get(0))).isEmpty();
        assertThat(measures(total.get(0))).isEqualTo(Map.of("iom.onhand", "15"));

        JsonNode byLocation = exactQuery("""
                {"filters": {"organizationId": ["org1"], "productId": ["A0003"],
                             "dimensions": ["locationId"], "values": [["12"], [""]]}}""");
        assertThat(totals(byLocation, "iom", "onhand", "locationid"))
                .isEqualTo(Map.of("12", "4", "", "1"));

        IvsClient.Response noProduct = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["org1"], "dimensions": [], "values": [[]]}}""");
        assertFailure(noProduct, 400, "filters.productId");
    }
}
