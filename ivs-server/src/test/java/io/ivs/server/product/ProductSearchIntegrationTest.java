package io.ivs.server.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Product search over HTTP against real PostgreSQL: every operator on product fields and on
 * attributes, And/Or with nested sub-filters, both query forms, and the refusals of bad input.
 */
class ProductSearchIntegrationTest extends QueryTestSupport {
    static final String WHERE = """
            "filters": {"organizationId": ["usmf"], "siteId": ["1"], "locationId": ["11"]}""";

    /** The catalogue every test searches; each product has stock 1 at site 1, location 11. */
    @BeforeEach
    void catalogue() {
        postProducts(List.of(
                product(
                        "usmf",
                        "P1",
                        "Deluxe Chair",
                        "CHAIR-DLX",
                        "Item",
                        "A deluxe office chair, 50% off_sale",
                        "ea",
                        "ea",
                        "box",
                        attribute("ProductAttribute", "Weight", "Weight Limit", "370"),
                        attribute("DimensionAttribute", "Color", "Color", "Red", "Blue"),
                        attribute("BatchAttribute", "Date", "Expiry", "2026-01-01")),
                product(
                        "usmf",
                        "P2",
                        "Basic Chair",
                        "CHAIR-BSC",
                        "Service",
                        "plain",
                        "pcs",
                        "pcs",
                        "pcs",
                        attribute("ProductAttribute", "Weight", "Weight Limit", "120"),
                        attribute("DimensionAttribute", "Color", "Color", "Black")),
                product(
                        "usmf",
                        "P3",
                        "Deluxe Table",
                        "TABLE-DLX",
                        "Item",
                        "solid wood",
                        "ea",
                        "box",
                        "box",
                        attribute("ProductAttribute", "Weight", "Weight Limit", "1000"),
                        attribute("DimensionAttribute", "Color", "Color", "red")),
                product("other", "P4", "Deluxe Chair", "CHAIR-DLX", "Item", "", "ea", "ea", "ea")));
        List<Map<String, Object>> stock = new ArrayList<>();
        for (String[] p :
                new String[][] {{"usmf", "P1"}, {"usmf", "P2"}, {"usmf", "P3"}, {"other", "P4"}}) {
            stock.add(event(
                    "s-" + p[1],
                    p[0],
                    p[1],
                    dims("siteId", "1", "locationId", "11"),
                    "pos",
                    "inbound",
                    1));
        }
        postAll(stock);
    }

    static Map<String, Object> product(
            String org,
            String item,
            String name,
            String searchName,
            String type,
            String description,
            String inventoryUnit,
            String salesUnit,
            String purchaseUnit,
            Object... attributes) {
        return IvsClient.map(
                "organizationId", org,
                "itemNumber", item,
                "productName", name,
                "productSearchName", searchName,
                "productType", type,
                "productDescription", description,
                "inventoryUnitSymbol", inventoryUnit,
                "salesUnitSymbol", salesUnit,
                "purchaseUnitSymbol", purchaseUnit,
                "attributes", List.of(attributes));
    }

    static Map<String, Object> attribute(String area, String type, String name, String... values) {
        return IvsClient.map(
                "attributeArea", area,
                "attributeTypeName", type,
                "attributeName", name,
                "attributeValues", List.of(values));
    }

    void postProducts(List<Map<String, Object>> products) {
        IvsClient.Response response = client.post(api("/products/bulk"), IvsClient.json(products));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        }
    }

    /** The product ids of an index query with product search. */
    TreeSet<String> search(String productSearch) {
        JsonNode rows = ok(
                "/onhand/productsearch/indexquery",
                "{" + WHERE + ", \"productSearch\": " + productSearch + "}");
        assertThat(rows.isArray()).as(rows.toString()).isTrue();
        TreeSet<String> ids = new TreeSet<>();
        rows.forEach(row -> ids.add(row.path("productId").asString()));
        return ids;
    }

    static String productCondition(String operator, String field, String... values) {
        return "{\"productFilter\": {\"conditions\": [{\"conditionOperator\": \"" + operator
                + "\", \"" + field + "\": " + IvsClient.json(List.of(values)) + "}]}}";
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            IsExactly      | productName         | deluxe chair           | P1
            IsExactly      | productType         | item                   | P1,P3
            IsNot          | productType         | Item                   | P2
            Contains       | productName         | LUXE                   | P1,P3
            contains       | productDescription  | wood                   | P3
            DoesNotContain | productName         | chair                  | P3
            BeginsWith     | productSearchName   | chair-                 | P1,P2
            IsOneOf        | itemNumber          | P1;P3;P9               | P1,P3
            GreaterEqual   | itemNumber          | P2                     | P2,P3
            LessEqual      | itemNumber          | P2                     | P1,P2
            Between        | itemNumber          | P2;P3                  | P2,P3
            IsExactly      | Company             | USMF                   | P1,P2,P3
            IsExactly      | inventoryUnitSymbol | ea                     | P1,P3
            IsExactly      | salesUnitSymbol     | box                    | P3
            IsNot          | purchaseUnitSymbol  | box                    | P2
            Contains       | productDescription  | %                      | P1
            Contains       | productDescription  | _                      | P1
            IsExactly      | productName         | x' or '1'='1           | -
            Contains       | productName         | '); drop table product -- | -
            """)
    void productFilter_eachOperatorAndField_selectsTheMatchingProducts(
            String operator, String field, String values, String expected) {
        TreeSet<String> found = search(productCondition(operator, field, values.split(";")));

        assertThat(found).containsExactlyElementsOf(expectedSet(expected));
    }

    private static TreeSet<String> expectedSet(String expected) {
        TreeSet<String> set = new TreeSet<>();
        // "-" stands for no product.
        for (String id : expected.split(",")) {
            if (!id.isBlank() && !id.equals("-")) {
                set.add(id.strip());
            }
        }
        return set;
    }

    static String attributeCondition(
            String operator, String area, String type, String name, String... values) {
        return "{\"attributeFilter\": {\"conditions\": [{\"conditionOperator\": \"" + operator
                + "\", \"attributeArea\": \"" + area + "\", \"attributeTypeName\": \"" + type
                + "\", \"attributeName\": \"" + name + "\", \"attributeValues\": "
                + IvsClient.json(List.of(values)) + "}]}}";
    }

    @ParameterizedTest(name = "{0} {3} {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            GreaterEqual   | ProductAttribute   | Weight | Weight Limit | 370        | P1,P3
            LessEqual      | ProductAttribute   | Weight | weight limit | 370        | P1,P2
            Between        | ProductAttribute   | Weight | Weight Limit | 200;999    | P1
            Between        | ProductAttribute   | Weight | Weight Limit | 100;1000   | P1,P2,P3
            IsExactly      | DimensionAttribute | Color  | Color        | RED        | P1,P3
            IsOneOf        | DimensionAttribute | Color  | Color        | blue;black | P1,P2
            IsNot          | DimensionAttribute | Color  | Color        | red        | P2
            Contains       | DimensionAttribute | Color  | Color        | l          | P1,P2
            DoesNotContain | DimensionAttribute | Color  | Color        | bl         | P3
            BeginsWith     | BatchAttribute     | Date   | Expiry       | 2026-      | P1
            IsExactly      | ProductAttribute   | Color  | Color        | Red        | -
            """)
    void attributeFilter_eachOperatorAndArea_selectsTheMatchingProducts(
            String operator,
            String area,
            String type,
            String name,
            String values,
            String expected) {
        TreeSet<String> found =
                search(attributeCondition(operator, area, type, name, values.split(";")));

        assertThat(found).containsExactlyElementsOf(expectedSet(expected));
    }

    @Test
    void nestedSubFilters_andOr_combineAsWritten() {
        // (productType = Item) and (name contains "table" or (color = blue and weight >= 300))
        TreeSet<String> found = search("""
                {"productFilter": {"logicalOperator": "And",
                   "conditions": [{"conditionOperator": "IsExactly", "productType": ["Item"]}],
                   "subFilters": [{"logicalOperator": "Or",
                     "conditions": [{"conditionOperator": "Contains", "productName": ["table"]}],
                     "subFilters": [{"logicalOperator": "And", "conditions": [
                        {"conditionOperator": "BeginsWith", "productSearchName": ["chair"]},
                        {"conditionOperator": "Contains", "productDescription": ["office"]}]}]
                   }]},
                 "attributeFilter": {"logicalOperator": "Or", "conditions": [
                   {"conditionOperator": "IsExactly", "attributeName": "Color",
                    "attributeValues": ["blue"]},
                   {"conditionOperator": "GreaterEqual", "attributeName": "Weight Limit",
                    "attributeValues": ["1000"]}]}}""");

        assertThat(found).containsExactly("P1", "P3");
    }

    @Test
    void orFilter_withoutAnyMatchingCondition_selectsNothingAndAnswersEmpty() {
        JsonNode rows = ok("/onhand/productsearch/indexquery", "{" + WHERE + """
                , "productSearch": {"productFilter": {"logicalOperator": "Or", "conditions": [
                    {"conditionOperator": "IsExactly", "itemNumber": ["nope"]},
                    {"conditionOperator": "Contains", "productName": ["nothing-like-this"]}]}}}
                """);

        assertThat(rows.isArray()).isTrue();
        assertThat(rows).isEmpty();
    }

    @Test
    void indexQuery_answersAsThePlainIndexQueryDoesForTheSameProducts() {
        JsonNode searched = ok(
                "/onhand/productsearch/indexquery",
                "{" + WHERE
                        + ", \"productSearch\": "
                        + productCondition("Contains", "productName", "chair")
                        + ", \"groupByValues\": [\"siteId\"], \"returnNegative\": true}");
        JsonNode plain = ok("/onhand/indexquery", """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1", "P2"],
                 "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["siteId"], "returnNegative": true}""");

        assertThat(searched).isEqualTo(plain);
        assertThat(searched).hasSize(2);
    }

    @Test
    void indexQueryV2_pagesWithALinkToTheProductSearchEndpoint() {
        String body = "{\"filters\": {\"organizationId\": [\"usmf\", \"other\"]},"
                + " \"productSearch\": " + productCondition("Contains", "productName", "deluxe")
                + "}";
        IvsClient.Response first = client.post(
                api("/onhand/productsearch/indexquery?pageNumber=1&pageSize=1"), body, V2);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String next = first.json().path("nextLink").asString();
        assertThat(next).isEqualTo("onhand/productsearch/indexquery?pageNumber=2&pageSize=1");
        IvsClient.Response second = client.post(api("/" + next), body, V2);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().path("nextLink").asString()).isEmpty();

        TreeSet<String> ids = new TreeSet<>();
        first.json().path("Value").forEach(row -> ids.add(row.path("productId").asString()));
        second.json().path("Value").forEach(row -> ids.add(row.path("productId").asString()));
        assertThat(ids).containsExactly("P1", "P3", "P4");
    }

    @Test
    void indexQueryV2_noMatch_answersAnEmptyPage() {
        IvsClient.Response response = client.post(
                api("/onhand/productsearch/indexquery"),
                "{\"filters\": {\"organizationId\": [\"usmf\"]}, \"productSearch\": "
                        + productCondition("IsExactly", "itemNumber", "none") + "}",
                V2);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("Value")).isEmpty();
        assertThat(response.json().path("nextLink").asString()).isEmpty();
    }

    @Test
    void searchIsConfinedToTheQueriedOrganizations() {
        TreeSet<String> found =
                search(productCondition("IsExactly", "productName", "Deluxe Chair"));

        // P4 has the same name but belongs to organization "other".
        assertThat(found).containsExactly("P1");
    }

    @Test
    void exactQuery_v1_answersTheTuplesForTheMatchedProducts() {
        JsonNode rows = ok("/onhand/productsearch/exactquery", """
                {"filters": {"organizationId": ["usmf"], "dimensions": ["siteId", "locationId"],
                             "values": [["1", "11"], ["2", "22"]]},
                 "productSearch": {"attributeFilter": {"conditions": [
                    {"conditionOperator": "IsExactly", "attributeName": "Color",
                     "attributeArea": "DimensionAttribute", "attributeValues": ["red"]}]}}}""");

        assertThat(totals(rows, "pos", "inbound", "productId", "siteid", "locationid"))
                .isEqualTo(Map.of("P1/1/11", "1", "P3/1/11", "1"));
    }

    @Test
    void exactQuery_v2_takesTheOrganizationsFromItsKeys() {
        IvsClient.Response response = client.post(api("/onhand/productsearch/exactquery"), """
                {"filters": {"keys": ["organizationId", "siteId", "locationId"],
                             "values": [["other", "1", "11"]]},
                 "productSearch": {"productFilter": {"conditions": [
                    {"conditionOperator": "BeginsWith", "productName": ["Deluxe"]}]}}}""", V2);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(totals(response.json(), "pos", "inbound", "productId", "organizationId"))
                .isEqualTo(Map.of("P4/other", "1"));
    }

    private void assertRefused(String path, String body, String field) {
        IvsClient.Response response = client.post(api(path), body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(field);
    }

    @ParameterizedTest(name = "{1}")
    // One refused search per line: the body, then the field the answer must name.
    @CsvFileSource(
            resources = "/product-search-refused.psv",
            delimiter = '|',
            quoteCharacter = '\'')
    void badSearch_isRefusedNamingTheField(String productSearch, String field) {
        assertRefused(
                "/onhand/productsearch/indexquery",
                "{" + WHERE + ", \"productSearch\": " + productSearch + "}",
                field);
    }

    @Test
    void tooManyConditions_isRefusedNamingTheFirstOneOverTheLimit() {
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            conditions.add("{\"conditionOperator\": \"IsExactly\", \"itemNumber\": [\"x\"]}");
        }
        assertRefused(
                "/onhand/productsearch/indexquery",
                "{" + WHERE + ", \"productSearch\": {\"productFilter\": {\"conditions\": ["
                        + String.join(",", conditions) + "]}}}",
                "productSearch.productFilter.conditions[64]");
    }

    @Test
    void missingSearch_productIdsBesideIt_orPlainEndpointWithSearch_areRefused() {
        assertRefused("/onhand/productsearch/indexquery", "{" + WHERE + "}", "productSearch");
        String productIdBesideSearch = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                 "dimensions": ["siteId", "locationId"], "values": [["1", "11"]]},
                 "productSearch": {"productFilter": {"conditions": [
                   {"conditionOperator": "IsExactly", "itemNumber": ["P1"]}]}}}""";
        assertRefused(
                "/onhand/productsearch/exactquery", productIdBesideSearch, "filters.productId");
        assertRefused(
                "/onhand/indexquery",
                "{" + WHERE + ", \"productSearch\": "
                        + productCondition("IsExactly", "itemNumber", "P1") + "}",
                "productSearch");
    }

    @Test
    void catalogue_bulkReplacesGetsAndDeletes() {
        postProducts(List.of(
                product("usmf", "P2", "Old name", "", "", "", "", "", ""),
                product(
                        "usmf",
                        "P2",
                        "Basic Stool",
                        "STOOL",
                        "Item",
                        "",
                        "ea",
                        "ea",
                        "ea",
                        attribute("DimensionAttribute", "Color", "Color", "Green", "Grey"))));

        IvsClient.Response read = client.get(api("/products?organizationId=usmf&itemNumber=P2"));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().path("productName").asString()).isEqualTo("Basic Stool");
        assertThat(read.json().path("attributes")).hasSize(1);
        assertThat(read.json().path("attributes").get(0).path("attributeValues").toString())
                .isEqualTo("[\"Green\",\"Grey\"]");
        assertThat(search(attributeCondition(
                        "IsExactly", "ProductAttribute", "Weight", "Weight Limit", "120")))
                .isEmpty();

        IvsClient.Response deleted =
                client.delete(api("/products?organizationId=usmf&itemNumber=P2"), null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(client.get(api("/products?organizationId=usmf&itemNumber=P2"))
                        .status())
                .isEqualTo(404);
        assertThat(client.delete(api("/products?organizationId=usmf&itemNumber=P2"), null)
                        .status())
                .isEqualTo(404);
        assertThat(search(productCondition("BeginsWith", "itemNumber", "P")))
                .containsExactly("P1", "P3");
    }

    @Test
    void catalogue_badItems_answerInPlaceAndTheOthersAreStored() {
        IvsClient.Response response = client.post(api("/products/bulk"), """
                [{"organizationId": "usmf", "itemNumber": "N1", "productName": "ok"},
                 {"organizationId": "usmf", "productName": "no item number"},
                 {"organizationId": "usmf", "itemNumber": "N3", "colour": "red"},
                 {"organizationId": "usmf", "itemNumber": "N4", "attributes": [
                   {"attributeName": "a", "attributeArea": "Shelf",
                    "attributeValues": ["x"]}]}]""");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode items = response.json();
        assertThat(items.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(items.get(1).path("message").asString()).contains("[1].itemNumber");
        assertThat(items.get(2).path("message").asString()).contains("[2].colour");
        assertThat(items.get(3).path("message").asString())
                .contains("[3].attributes[0].attributeArea");
        assertThat(client.get(api("/products?organizationId=usmf&itemNumber=N1"))
                        .status())
                .isEqualTo(200);
        assertThat(client.get(api("/products?organizationId=usmf&itemNumber=N4"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void catalogue_moreThan512Items_isRefusedWhole() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 513; i++) {
            items.add(IvsClient.map("organizationId", "usmf", "itemNumber", "B" + i));
        }
        IvsClient.Response response = client.post(api("/products/bulk"), IvsClient.json(items));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(client.get(api("/products?organizationId=usmf&itemNumber=B0"))
                        .status())
                .isEqualTo(404);
    }
}
