package io.ivs.server.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Index queries (spec §2.7, §2.14 a, f, h; A12, A13, A14, A15, A16) over HTTP against real
 * PostgreSQL.
 */
class IndexQueryIntegrationTest extends QueryTestSupport {

    /** The seven records of the §2.7 aggregation example, all at site 1, location 11. */
    private void seedD0002() {
        String[][] records = {
            {"Black", "Small", "Wide", "1"},
            {"Black", "Small", "Regular", "2"},
            {"Black", "Large", "Wide", "3"},
            {"Black", "Large", "Regular", "4"},
            {"Red", "Small", "Wide", "5"},
            {"Red", "Small", "Regular", "6"},
            {"Red", "Large", "Regular", "7"}
        };
        List<Map<String, Object>> events = new ArrayList<>();
        for (String[] r : records) {
            Map<String, Object> dims = dims(
                    "siteId",
                    "1",
                    "locationId",
                    "11",
                    "colorId",
                    r[0],
                    "sizeId",
                    r[1],
                    "styleId",
                    r[2]);
            events.add(event(
                    "d-" + events.size(),
                    "usmf",
                    "D0002",
                    dims,
                    "pos",
                    "inbound",
                    Integer.valueOf(r[3])));
        }
        postAll(events);
    }

    private JsonNode d0002(String extraFilters, String groupBy) {
        return indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["D0002"],
                             "siteId": ["1"], "locationId": ["11"]%s},
                 "groupByValues": %s}""".formatted(extraFilters, groupBy));
    }

    @Test
    void indexQuery_aggregationExampleWithoutGroupBy_returnsOneRowOf28() {
        seedD0002();

        JsonNode rows = d0002("", "[]");

        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("productId").asString()).isEqualTo("D0002");
        assertThat(row.path("organizationId").asString()).isEqualTo("usmf");
        assertThat(dimensionsOf(row))
                .containsExactly(Map.entry("siteid", "1"), Map.entry("locationid", "11"));
        // pos.availquantity = fno.availphysical + pos.inbound - pos.outbound and
        // iv.availabletoreserve include pos.inbound; calculated measures sit under their owner,
        // measures without any stored component (pos.outbound, iv.totalonhand...) are absent.
        assertThat(measures(row))
                .isEqualTo(Map.of(
                        "pos.inbound", "28",
                        "pos.availquantity", "28",
                        "iv.availabletoreserve", "28"));
    }

    @Test
    void indexQuery_aggregationExampleGroupedByColor_sumsPerColor() {
        seedD0002();

        JsonNode rows = d0002("", "[\"ColorId\"]");

        assertThat(totals(rows, "pos", "inbound", "ColorId"))
                .isEqualTo(Map.of("Black", "10", "Red", "18"));
        assertThat(dimensionsOf(rows.get(0)).keySet())
                .containsExactly("siteid", "locationid", "ColorId");
    }

    @Test
    void indexQuery_aggregationExampleGroupedByColorAndSize_sumsPerPair() {
        seedD0002();

        JsonNode rows = d0002("", "[\"ColorId\", \"SizeId\"]");

        assertThat(totals(rows, "pos", "inbound", "ColorId", "SizeId"))
                .isEqualTo(Map.of(
                        "Black/Small", "3",
                        "Black/Large", "7",
                        "Red/Small", "11",
                        "Red/Large", "7"));
        assertThat(dimensionsOf(rows.get(0)).keySet())
                .containsExactly("siteid", "locationid", "ColorId", "SizeId");
    }

    @Test
    void indexQuery_aggregationExampleGroupedByAllThree_returnsTheSevenRecords() {
        seedD0002();

        JsonNode rows = d0002("", "[\"colorid\", \"SIZEID\", \"styleId\"]");

        assertThat(totals(
                        rows,
                        "pos",
                        "inbound",
                        "siteid",
                        "locationid",
                        "ColorId",
                        "SizeId",
                        "StyleId"))
                .isEqualTo(Map.of(
                        "1/11/Black/Small/Wide", "1",
                        "1/11/Black/Small/Regular", "2",
                        "1/11/Black/Large/Wide", "3",
                        "1/11/Black/Large/Regular", "4",
                        "1/11/Red/Small/Wide", "5",
                        "1/11/Red/Small/Regular", "6",
                        "1/11/Red/Large/Regular", "7"));
    }

    @Test
    void indexQuery_filterRedGroupedBySize_sumsOnlyRedRecords() {
        seedD0002();

        JsonNode rows = d0002(", \"ColorId\": [\"Red\"]", "[\"SizeId\"]");

        assertThat(totals(rows, "pos", "inbound", "SizeId"))
                .isEqualTo(Map.of("Small", "11", "Large", "7"));
        assertThat(dimensionsOf(rows.get(0)).keySet())
                .containsExactly("siteid", "locationid", "SizeId");
    }

    @Test
    void indexQuery_severalValuesPerFilter_matchAnyValueAndAndAcrossKeys() {
        seedD0002();

        JsonNode rows = d0002(
                ", \"colorId\": [\"Black\", \"Red\"], \"styleId\": [\"Wide\"]", "[\"ColorId\"]");

        // Wide only: Black 1 + 3, Red 5.
        assertThat(totals(rows, "pos", "inbound", "ColorId"))
                .isEqualTo(Map.of("Black", "4", "Red", "5"));

        rows = d0002(", \"sizeId\": [\"Large\", \"Huge\"], \"styleId\": [\"Regular\"]", "[]");
        // Large and Regular: Black 4 + Red 7.
        assertThat(totals(rows, "pos", "inbound")).isEqualTo(Map.of("", "11"));
    }

    @Test
    void indexQuery_recordWithoutGroupedDimension_showsEmptyValue() {
        postAll(List.of(
                event(
                        "a",
                        "usmf",
                        "P",
                        dims("siteId", "1", "locationId", "11", "colorId", "Red"),
                        "pos",
                        "inbound",
                        2),
                event(
                        "b",
                        "usmf",
                        "P",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        3)));

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]},
                 "groupByValues": ["ColorId"]}""");

        assertThat(totals(rows, "pos", "inbound", "ColorId"))
                .isEqualTo(Map.of("Red", "2", "", "3"));
    }

    /**
     * The documented CrossChannel example (§2.7) gives 220. Its fno measures cannot be posted
     * through the API (fno is written only by the ERP integration), so the data source "erp2"
     * holds the same physical measures (availphysical, orderedintotal, orderedreserved) and the
     * calculated measure refers to erp2 instead of fno; the arithmetic is unchanged.
     */
    @Test
    void indexQuery_crossChannelCalculatedMeasure_is220UnderItsOwningDataSource() {
        configure(doc -> {
            ObjectNode erp2 = dataSource(doc, "erp2");
            erp2.putArray("physicalMeasures")
                    .add("availphysical")
                    .add("orderedintotal")
                    .add("orderedreserved");
            ObjectNode ecommerce = dataSource(doc, "ecommerce");
            ecommerce
                    .putArray("physicalMeasures")
                    .add("received")
                    .add("scheduled")
                    .add("issued")
                    .add("reserved");
            calculated(
                    dataSource(doc, "CrossChannel"),
                    "MyCustomAvailableforReservation",
                    new String[] {
                        "erp2.availphysical",
                        "erp2.orderedintotal",
                        "pos.inbound",
                        "ecommerce.received",
                        "ecommerce.scheduled"
                    },
                    new String[] {
                        "erp2.orderedreserved",
                        "pos.outbound",
                        "ecommerce.issued",
                        "ecommerce.reserved"
                    });
        });
        Map<String, Object> red = dims("siteId", "1", "locationId", "11", "colorId", "Red");
        Map<String, Object> blue = dims("siteId", "1", "locationId", "11", "colorId", "Blue");
        // The pos and erp2 values sit on the Red record, the ecommerce values on the Blue one, so
        // the 220 only appears when the calculation runs on the aggregated row.
        Map<String, Object> redQuantities = IvsClient.map(
                "pos",
                IvsClient.map("inbound", 80, "outbound", 20),
                "erp2",
                IvsClient.map("availphysical", 100, "orderedintotal", 50, "orderedreserved", 10));
        Map<String, Object> blueQuantities = IvsClient.map(
                "ecommerce",
                IvsClient.map("received", 90, "scheduled", 30, "issued", 60, "reserved", 40));
        postAll(List.of(
                IvsClient.map(
                        "id",
                        "x1",
                        "organizationId",
                        "usmf",
                        "productId",
                        "P",
                        "dimensions",
                        red,
                        "quantities",
                        redQuantities),
                IvsClient.map(
                        "id",
                        "x2",
                        "organizationId",
                        "usmf",
                        "productId",
                        "P",
                        "dimensions",
                        blue,
                        "quantities",
                        blueQuantities)));

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "siteId": ["1"], "locationId": ["11"]}}""");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("quantities").has("CrossChannel")).isTrue();
        assertThat(measures(rows.get(0)))
                .isEqualTo(Map.ofEntries(
                        Map.entry("CrossChannel.mycustomavailableforreservation", "220"),
                        Map.entry("erp2.availphysical", "100"),
                        Map.entry("erp2.orderedintotal", "50"),
                        Map.entry("erp2.orderedreserved", "10"),
                        Map.entry("pos.inbound", "80"),
                        Map.entry("pos.outbound", "20"),
                        // fno.availphysical + 80 - 20
                        Map.entry("pos.availquantity", "60"),
                        Map.entry("ecommerce.received", "90"),
                        Map.entry("ecommerce.scheduled", "30"),
                        Map.entry("ecommerce.issued", "60"),
                        Map.entry("ecommerce.reserved", "40"),
                        // 80 - 20 (pos.inbound - pos.outbound; the other components are absent)
                        Map.entry("iv.availabletoreserve", "60")));

        JsonNode byColor = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"]}""");
        // Red: 100 + 50 - 10 + 80 - 20; Blue: 90 + 30 - 60 - 40.
        assertThat(totals(byColor, "CrossChannel", "mycustomavailableforreservation", "ColorId"))
                .isEqualTo(Map.of("Red", "200", "Blue", "20"));
    }

    /**
     * §2.14(h): fno is replaced by data source "scm" (fno cannot be posted through the API);
     * iv.availabletoreserve = +scm.physicalinvent -iv.softreserved and pos.availquantity =
     * +scm.availphysical +pos.inbound -pos.outbound, as in the example.
     */
    private void configureExampleH() {
        configure(doc -> {
            dataSource(doc, "scm")
                    .putArray("physicalMeasures")
                    .add("physicalinvent")
                    .add("availphysical");
            ObjectNode iv =
                    (ObjectNode) doc.path("inventorySystemConfigurations").path("iv");
            iv.putObject("calculatedMeasures");
            calculated(iv, "availabletoreserve", new String[] {"scm.physicalinvent"}, new String[] {
                "iv.softreserved"
            });
            ObjectNode pos =
                    (ObjectNode) doc.path("inventorySystemConfigurations").path("pos");
            pos.putObject("calculatedMeasures");
            calculated(
                    pos,
                    "availquantity",
                    new String[] {"scm.availphysical", "pos.inbound"},
                    new String[] {"pos.outbound"});
        });
    }

    private void postExampleH(String id, Map<String, Object> quantities) {
        post(IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "A0001",
                "dimensions",
                dims("siteId", "1", "locationId", "11", "colorId", "Red"),
                "quantities",
                quantities));
    }

    private JsonNode exampleHRow(String returnNegative) {
        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["A0001"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"]%s}""".formatted(returnNegative));
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void indexQuery_workedExample214h_returnsPhysicalAndCalculatedMeasures() {
        configureExampleH();
        postExampleH(
                "h1",
                IvsClient.map(
                        "scm", IvsClient.map("physicalinvent", 40, "availphysical", 35),
                        "iv", IvsClient.map("softreserved", 12),
                        "pos", IvsClient.map("inbound", 3, "outbound", 1)));

        JsonNode row = exampleHRow("");

        assertThat(row.path("productId").asString()).isEqualTo("A0001");
        assertThat(dimensionsOf(row))
                .containsExactly(
                        Map.entry("siteid", "1"),
                        Map.entry("locationid", "11"),
                        Map.entry("ColorId", "Red"));
        assertThat(measures(row))
                .isEqualTo(Map.of(
                        "scm.physicalinvent", "40",
                        "scm.availphysical", "35",
                        "iv.softreserved", "12",
                        "iv.availabletoreserve", "28",
                        "pos.inbound", "3",
                        "pos.outbound", "1",
                        "pos.availquantity", "37"));
    }

    @Test
    void indexQuery_negativeCalculatedValues_areClampedUnlessReturnNegative() {
        configureExampleH();
        postExampleH(
                "h1",
                IvsClient.map(
                        "scm", IvsClient.map("physicalinvent", 40, "availphysical", 35),
                        "iv", IvsClient.map("softreserved", 12),
                        "pos", IvsClient.map("inbound", 3, "outbound", 1)));
        // softreserved 12 + 50 = 62 > 40; availphysical 35 - 40 = -5 (a negative physical value).
        postExampleH(
                "h2",
                IvsClient.map(
                        "iv",
                        IvsClient.map("softreserved", 50),
                        "scm",
                        IvsClient.map("availphysical", -40)));

        Map<String, String> negative = measures(exampleHRow(", \"returnNegative\": true"));
        Map<String, String> clamped = measures(exampleHRow(", \"returnNegative\": false"));
        Map<String, String> byDefault = measures(exampleHRow(""));

        assertThat(negative)
                .isEqualTo(Map.of(
                        "scm.physicalinvent", "40",
                        "scm.availphysical", "-5",
                        "iv.softreserved", "62",
                        "iv.availabletoreserve", "-22",
                        "pos.inbound", "3",
                        "pos.outbound", "1",
                        "pos.availquantity", "-3"));
        assertThat(clamped)
                .isEqualTo(Map.of(
                        "scm.physicalinvent", "40",
                        "scm.availphysical", "-5",
                        "iv.softreserved", "62",
                        "iv.availabletoreserve", "0",
                        "pos.inbound", "3",
                        "pos.outbound", "1",
                        "pos.availquantity", "0"));
        assertThat(byDefault).isEqualTo(clamped);
    }

    /**
     * §2.14(a): data source ecommerce maps ProductColor to ColorId and Shop to
     * ExtendedDimension1.
     */
    private void configureEcommerce() {
        configure(doc -> {
            ObjectNode ecommerce = dataSource(doc, "ecommerce");
            ((ObjectNode) ecommerce.get("dimensionMappings"))
                    .put("ProductColor", "colorid")
                    .put("Shop", "extendeddimension1");
            ecommerce.putArray("physicalMeasures").add("onorder");
        });
    }

    private static Map<String, Object> ecommerceEvent(
            String id, String color, String shop, int quantity) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "A0001",
                "dimensionDataSource",
                "ecommerce",
                "dimensions",
                dims("siteId", "1", "locationId", "13", "ProductColor", color, "Shop", shop),
                "quantities",
                IvsClient.map("ecommerce", IvsClient.map("onorder", quantity)));
    }

    @Test
    void postWithDimensionDataSource_workedExample214a_isStoredInBaseDimensions() {
        configureEcommerce();
        post(ecommerceEvent("e-1", "Blue", "web-nl", 4));

        JsonNode queryA = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["A0001"],
                             "siteId": ["1"], "locationId": ["13"], "ColorId": ["Blue"]}}""");
        assertThat(totals(queryA, "ecommerce", "onorder", "siteid", "locationid"))
                .isEqualTo(Map.of("1/13", "4"));

        JsonNode stored = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["A0001"]},
                 "groupByValues": ["ColorId", "ExtendedDimension1"]}""");
        assertThat(stored).hasSize(1);
        assertThat(dimensionsOf(stored.get(0)))
                .containsExactly(
                        Map.entry("siteid", "1"),
                        Map.entry("locationid", "13"),
                        Map.entry("ColorId", "Blue"),
                        Map.entry("ExtendedDimension1", "web-nl"));
        assertThat(measures(stored.get(0))).isEqualTo(Map.of("ecommerce.onorder", "4"));
    }

    @Test
    void queryWithDimensionDataSource_workedExample214a_filtersAndGroupsByCustomNames() {
        configureEcommerce();
        postAll(List.of(
                ecommerceEvent("e-1", "Blue", "web-nl", 4),
                ecommerceEvent("e-2", "Blue", "store-ams", 6),
                ecommerceEvent("e-3", "Red", "web-nl", 5)));

        JsonNode queryB = indexQuery("""
                {"dimensionDataSource": "ecommerce",
                 "filters": {"organizationId": ["usmf"], "productId": ["A0001"],
                             "siteId": ["1"], "locationId": ["13"], "ProductColor": ["Blue"]},
                 "groupByValues": ["Shop"]}""");

        assertThat(totals(queryB, "ecommerce", "onorder", "ExtendedDimension1"))
                .isEqualTo(Map.of("web-nl", "4", "store-ams", "6"));

        IvsClient.Response get =
                client.get(api("/onhand?organizationId=usmf&productId=A0001&siteId=1"
                        + "&locationId=13&dimensionDataSource=ecommerce"
                        + "&ProductColor=Blue&groupBy=Shop"));
        assertThat(get.status()).as(get.body()).isEqualTo(200);
        assertThat(get.json()).isEqualTo(queryB);
    }

    @Test
    void queryWithCustomNameButNoDimensionDataSource_isRejectedNamingTheFilter() {
        configureEcommerce();

        IvsClient.Response response = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "productId": ["A0001"],
                             "ProductColor": ["Blue"]}}""");

        assertFailure(response, 400, "filters.ProductColor");
    }

    @Test
    void getQuery_workedExample214f_equalsPostIndexQuery() {
        Map<String, Object> base = dims("siteId", "1", "locationId", "11");
        List<Map<String, Object>> events = new ArrayList<>();
        String[][] records = {
            {"red", "S", "inbound", "4"},
            {"red", "S", "outbound", "6"},
            {"red", "L", "inbound", "9"},
            {"blue", "S", "inbound", "3"}
        };
        for (String[] r : records) {
            Map<String, Object> d = new java.util.LinkedHashMap<>(base);
            d.put("colorId", r[0]);
            d.put("sizeId", r[1]);
            events.add(
                    event("g" + events.size(), "usmf", "P", d, "pos", r[2], Integer.valueOf(r[3])));
        }
        postAll(events);

        IvsClient.Response get = client.get(api("/onhand?organizationId=usmf&productId=P&siteId=1"
                + "&locationId=11&colorId=red&groupBy=colorId,sizeId&returnNegative=true"));
        JsonNode post = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"], "siteId": ["1"],
                             "locationId": ["11"], "colorId": ["red"]},
                 "groupByValues": ["colorId", "sizeId"], "returnNegative": true}""");

        assertThat(get.status()).as(get.body()).isEqualTo(200);
        assertThat(get.json()).isEqualTo(post);
        // red/S: availquantity 4 - 6 = -2 shown because returnNegative is true; blue is filtered
        // out.
        assertThat(totals(post, "pos", "availquantity", "ColorId", "SizeId"))
                .isEqualTo(Map.of("red/S", "-2", "red/L", "9"));

        IvsClient.Response repeated =
                client.get(api("/onhand?organizationId=usmf&productId=P&siteId=1"
                        + "&locationId=11&colorId=red&groupBy=ColorId&groupBy=SizeId"));
        assertThat(repeated.status()).as(repeated.body()).isEqualTo(200);
        assertThat(totals(repeated.json(), "pos", "availquantity", "ColorId", "SizeId"))
                .isEqualTo(Map.of("red/S", "0", "red/L", "9"));
    }

    @Test
    void indexQuery_severalSitesAndLocations_evaluatesTheCrossProduct() {
        String[][] warehouses = {{"1", "11"}, {"1", "12"}, {"2", "11"}, {"2", "21"}, {"3", "11"}};
        List<Map<String, Object>> events = new ArrayList<>();
        int quantity = 1;
        for (String[] w : warehouses) {
            events.add(event(
                    "w" + quantity,
                    "usmf",
                    "P",
                    dims("siteId", w[0], "locationId", w[1]),
                    "pos",
                    "inbound",
                    quantity));
            quantity *= 10;
        }
        postAll(events);

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"],
                             "siteId": ["1", "2"], "locationId": ["11", "21"]}}""");

        // (1,11), (1,21), (2,11), (2,21) are evaluated; (1,21) holds nothing, (1,12) and (3,11)
        // are outside the filter.
        assertThat(totals(rows, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("1/11", "1", "2/11", "100", "2/21", "1000"));

        JsonNode allLocations = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"], "siteId": ["1"]}}""");
        assertThat(totals(allLocations, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of("1/11", "1", "1/12", "10"));

        JsonNode everywhere = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P"]}}""");
        assertThat(totals(everywhere, "pos", "inbound", "siteid", "locationid"))
                .isEqualTo(Map.of(
                        "1/11", "1", "1/12", "10", "2/11", "100", "2/21", "1000", "3/11", "10000"));
    }

    @Test
    void indexQuery_emptyProductListWithSiteAndLocation_returnsEveryProductThere() {
        postAll(List.of(
                event(
                        "a",
                        "usmf",
                        "A",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        1),
                event(
                        "b",
                        "usmf",
                        "B",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        2),
                event(
                        "c",
                        "usmf",
                        "C",
                        dims("siteId", "1", "locationId", "12"),
                        "pos",
                        "inbound",
                        4),
                event(
                        "d",
                        "other",
                        "D",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        8)));

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": [],
                             "siteId": ["1"], "locationId": ["11"]}}""");

        assertThat(totals(rows, "pos", "inbound", "productId"))
                .isEqualTo(Map.of("A", "1", "B", "2"));

        JsonNode noProductKey = indexQuery("""
                {"filters": {"organizationId": ["usmf"],
                             "siteId": ["1"], "locationId": ["11", "12"]}}""");
        assertThat(totals(noProductKey, "pos", "inbound", "productId"))
                .isEqualTo(Map.of("A", "1", "B", "2", "C", "4"));
    }

    @Test
    void indexQuery_severalProducts_returnsOneRowPerProduct() {
        postAll(List.of(
                event(
                        "a",
                        "usmf",
                        "A",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        1),
                event(
                        "b",
                        "usmf",
                        "B",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        2),
                event(
                        "c",
                        "usmf",
                        "C",
                        dims("siteId", "1", "locationId", "11"),
                        "pos",
                        "inbound",
                        4)));

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["A", "C", "Z"],
                             "siteId": ["1"], "locationId": ["11"]}}""");

        assertThat(totals(rows, "pos", "inbound", "productId"))
                .isEqualTo(Map.of("A", "1", "C", "4"));
    }

    @Test
    void indexQuery_withAndWithoutProductList_sumDecimalsAlikeAndAnswerJson() throws Exception {
        // With a product list IVS sums the rows itself; without one PostgreSQL does: both must
        // give the same exact decimal sums.
        postAll(List.of(
                event(
                        "x1",
                        "usmf",
                        "X",
                        dims("siteId", "1", "locationId", "11", "colorId", "Red"),
                        "pos",
                        "inbound",
                        new BigDecimal("1.5")),
                event(
                        "x2",
                        "usmf",
                        "X",
                        dims("siteId", "1", "locationId", "11", "colorId", "Blue"),
                        "pos",
                        "inbound",
                        new BigDecimal("2.25")),
                event(
                        "x3",
                        "usmf",
                        "X",
                        dims("siteId", "1", "locationId", "11", "colorId", "Blue"),
                        "pos",
                        "outbound",
                        new BigDecimal("0.75")),
                event(
                        "y1",
                        "usmf",
                        "Y",
                        dims("siteId", "1", "locationId", "11", "colorId", "Red"),
                        "pos",
                        "inbound",
                        new BigDecimal("0.1"))));
        String listed = """
                {"filters": {"organizationId": ["usmf"], "productId": ["X", "Y"],
                             "siteId": ["1"], "locationId": ["11"]}, "groupByValues": %s}""";
        String unlisted = """
                {"filters": {"organizationId": ["usmf"], "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": %s}""";

        for (String groupBy : List.of("[]", "[\"colorId\"]")) {
            JsonNode byList = indexQuery(listed.formatted(groupBy));
            JsonNode byWarehouse = indexQuery(unlisted.formatted(groupBy));
            assertThat(byList).as(groupBy).isEqualTo(byWarehouse);
        }
        JsonNode totals = indexQuery(listed.formatted("[]"));
        assertThat(totals(totals, "pos", "inbound", "productId"))
                .isEqualTo(Map.of("X", "3.75", "Y", "0.1"));
        // pos.availquantity = inbound - outbound, from the summed values.
        assertThat(totals(totals, "pos", "availquantity", "productId"))
                .isEqualTo(Map.of("X", "3", "Y", "0.1"));

        HttpResponse<String> raw = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + port + api("/onhand/indexquery")))
                                .header("Authorization", "Bearer " + client.adminToken(env))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(listed.formatted("[]")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/json");
        assertThat(raw.body()).startsWith("[{\"productId\":\"X\",\"organizationId\":\"usmf\"");
    }

    @Test
    void indexQuery_productList_takesDimensionsFromRecordKeysLikeTheRecordsTable() {
        // With a product list IVS reads the quantities table alone and decodes each record key;
        // without one PostgreSQL reads the records table. Values with the key's separator and
        // escape characters, a record without a colour, and the same product id in another
        // organization must come out the same both ways. The record keys are read as bytes
        // and decoded once each: the values include characters of two, three and four bytes
        // in UTF-8.
        String odd = "a=b\\c\u001fd\\u Zürich ✓ 東京 \uD83D\uDCE6";
        postAll(List.of(
                event(
                        "k1",
                        "usmf",
                        "K1",
                        dims("siteId", "KS", "locationId", "KL", "colorId", odd),
                        "pos",
                        "inbound",
                        new BigDecimal("1.5")),
                event(
                        "k2",
                        "usmf",
                        "K1",
                        dims("siteId", "KS", "locationId", "KL"),
                        "pos",
                        "inbound",
                        2),
                event(
                        "k3",
                        "usmf",
                        "K1",
                        dims("siteId", "KS", "locationId", "KL", "colorId", ""),
                        "pos",
                        "outbound",
                        4),
                event(
                        "k4",
                        "usmf",
                        "K2",
                        dims("siteId", "KS", "locationId", "K=L", "colorId", odd),
                        "pos",
                        "inbound",
                        8),
                event(
                        "k5",
                        "kother",
                        "K1",
                        dims("siteId", "KS", "locationId", "KL"),
                        "pos",
                        "inbound",
                        16)));
        String listed = """
                {"filters": {"organizationId": ["%s"], "productId": ["K1", "K2"],
                             "siteId": ["KS"], "locationId": ["KL", "K=L"]%s},
                 "groupByValues": %s}""";
        String unlisted = """
                {"filters": {"organizationId": ["%s"], "siteId": ["KS"],
                             "locationId": ["KL", "K=L"]%s}, "groupByValues": %s}""";
        String colour = ", \"colorId\": [" + IvsClient.json(odd) + ", \"\"]";
        for (String org : List.of("usmf", "kother")) {
            for (String filter : List.of("", colour, ", \"colorId\": [\"\"]")) {
                for (String groupBy : List.of("[]", "[\"colorId\"]")) {
                    JsonNode byKeys = indexQuery(listed.formatted(org, filter, groupBy));
                    JsonNode byRecords = indexQuery(unlisted.formatted(org, filter, groupBy));
                    assertThat(byKeys).as("%s %s %s", org, filter, groupBy).isEqualTo(byRecords);
                }
            }
        }

        JsonNode byColour = indexQuery(listed.formatted("usmf", "", "[\"colorId\"]"));
        assertThat(totals(byColour, "pos", "inbound", "productId", "locationid", "ColorId"))
                .isEqualTo(Map.of("K1/KL/" + odd, "1.5", "K1/KL/", "2", "K2/K=L/" + odd, "8"));
        JsonNode noColour = indexQuery(listed.formatted("usmf", ", \"colorId\": [\"\"]", "[]"));
        assertThat(totals(noColour, "pos", "inbound", "productId")).isEqualTo(Map.of("K1", "2"));
        assertThat(totals(noColour, "pos", "outbound", "productId")).isEqualTo(Map.of("K1", "4"));
    }
}
