package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.allocation.AllocationTestSupport;
import io.ivs.server.support.AtpTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A migration from the original service, replayed over HTTP for each partition mode: a complete
 * configuration shaped as the original stores it (every field it carries, the {@code @iv}
 * defaults, a data source without measures, ATP measures with their own periods, both partition
 * flags) is loaded as exported; then stock, index and exact queries, reservations and releases,
 * allocation and unallocation, change schedules with ATP, clean-up partition by partition and a
 * switch of the partition rule, checking every quantity after each step. Today is 2022-02-01.
 */
class IvConformanceIntegrationTest extends AtpTestSupport {
    private static final String REAL_DOCUMENT = "/iv/real-configuration.json";
    private static final String P1 = "P1";
    private static final String P2 = "P2";
    private static final Map<String, Object> W11 =
            IvsClient.map("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "S");
    private static final Map<String, Object> W12 =
            IvsClient.map("siteId", "1", "locationId", "12", "colorId", "red", "sizeId", "S");
    private static final Map<String, Object> NOWHERE =
            IvsClient.map("colorId", "red", "sizeId", "S");
    private static final Map<String, String> US =
            AllocationTestSupport.groups("Online", "VIP", "US");

    /**
     * The partition modes of {@code partitionConfiguration}, as the original's documents hold
     * them.
     */
    enum Mode {
        BY_LOCATION(true, false, "ByLocationAndProductIdMod64"),
        BY_PRODUCT(false, true, "byProductId"),
        BY_LOCATION_AND_PRODUCT(true, true, "ByLocationAndProductIdMod64");

        final boolean useDimensions;
        final boolean useProductId;
        final String cacheVersion;

        Mode(boolean useDimensions, boolean useProductId, String cacheVersion) {
            this.useDimensions = useDimensions;
            this.useProductId = useProductId;
            this.cacheVersion = cacheVersion;
        }

        /** The mode a migration switches to after cleaning up. */
        Mode next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    static ObjectNode realDocument() {
        try (InputStream in =
                IvConformanceIntegrationTest.class.getResourceAsStream(REAL_DOCUMENT)) {
            assertThat(in).as(REAL_DOCUMENT).isNotNull();
            return (ObjectNode) IvsClient.parse(new String(in.readAllBytes(), "UTF-8"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode realDocument(Mode mode) {
        ObjectNode document = realDocument();
        ObjectNode partition = (ObjectNode) document.get("partitionConfiguration");
        partition.put("useDimensions", mode.useDimensions);
        partition.put("useProductId", mode.useProductId);
        document.put("cachePartitionIdVersion", mode.cacheVersion);
        return document;
    }

    // ---- the flows --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void migration_wholeFlow_everyNumberAsTheOriginal(Mode mode) {
        loadConfiguration(mode);
        postStock(mode);
        indexQueries(mode);
        exactQueries(mode);
        reserveAndRelease(mode);
        allocateAndUnallocate(mode);
        changeSchedules(mode);
        repostWithOneFieldChanged();
        cleanUpByPartitionIds(mode);
        switchPartitionRule(mode.next());
    }

    @Test
    void realDocument_roundTrip_isEqualApartFromTheVersion() {
        IvsClient.Response loaded = hardUpdate(realDocument());
        assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
        ObjectNode first = configuration();

        IvsClient.Response again = hardUpdate(first);
        ObjectNode second = configuration();

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(first.path("configurationVersion").asInt()).isEqualTo(2);
        assertThat(second.path("configurationVersion").asInt()).isEqualTo(3);
        assertThat(second.deepCopy().put("configurationVersion", 2)).isEqualTo(first);
    }

    @Test
    void realDocument_loadsUnchanged_apartFromTheServerOwnedFields() {
        ObjectNode document = realDocument();

        IvsClient.Response loaded = hardUpdate(document);
        ObjectNode stored = configuration();

        assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
        ObjectNode expected = document.deepCopy();
        expected.put("environmentId", env);
        expected.put("configurationVersion", 2);
        assertThat(stored).isEqualTo(expected);
        assertThat(stored.path("scheduleConfiguration").path("atpCalculatedMeasures"))
                .isEqualTo(document.path("scheduleConfiguration").path("atpCalculatedMeasures"));
        assertThat(stored.path("inventorySystemConfigurations")
                        .path("diff")
                        .path("physicalMeasures"))
                .isEmpty();
    }

    // ---- steps ------------------------------------------------------------------------------

    private void loadConfiguration(Mode mode) {
        IvsClient.Response loaded = hardUpdate(realDocument(mode));
        assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
        ObjectNode partition = (ObjectNode) configuration().get("partitionConfiguration");
        assertThat(partition.path("useProductId").asBoolean()).isEqualTo(mode.useProductId);
        assertThat(partition.path("useDimensions").asBoolean()).isEqualTo(mode.useDimensions);
    }

    private void postStock(Mode mode) {
        stockOk("s1", P1, W11, 10);
        stockOk("s2", P1, W12, 5);
        stockOk("s3", P2, level("1", "11", "blue"), 3);
        IvsClient.Response nowhere = stock("s4", P1, NOWHERE, 2);
        if (mode == Mode.BY_LOCATION) {
            assertFailure(nowhere, 400, "dimensions.siteId");
        } else {
            assertSuccess(nowhere, "s4");
        }
    }

    private void indexQueries(Mode mode) {
        for (String spelling : List.of(
                "{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"]}}",
                "{\"Filters\": {\"OrganizationId\": [\"usmf\"], \"ProductId\": [\"P1\"]}}",
                "{\"filters\": {\"organizationid\": [\"usmf\"], \"productid\": [\"P1\"]}}")) {
            for (String path : List.of(
                    "/onhand/indexquery",
                    "/onhand/indexquery/",
                    "/onhand/indexQuery",
                    "/OnHand/IndexQuery/")) {
                JsonNode rows = queryOk(path, spelling);
                assertThat(byWarehouse(rows, "iv", "onhand"))
                        .as(path + " " + spelling)
                        .isEqualTo(
                                switch (mode) {
                                    case BY_LOCATION -> Map.of("1/11", "10", "1/12", "5");
                                    case BY_PRODUCT -> Map.of("/", "17");
                                    case BY_LOCATION_AND_PRODUCT ->
                                        Map.of("1/11", "10", "1/12", "5", "/", "2");
                                });
            }
        }
        String warehouseOnly = """
                {"filters": {"organizationId": ["usmf"], "siteId": ["1"], "locationId": ["11"]}}""";
        IvsClient.Response byWarehouse = client.post(api("/onhand/indexquery"), warehouseOnly);
        if (mode == Mode.BY_PRODUCT) {
            assertFailure(byWarehouse, 400, "filters.productId");
        } else {
            assertThat(byProduct(okRows(byWarehouse), "iv", "onhand"))
                    .isEqualTo(Map.of(P1, "10", P2, "3"));
        }
        IvsClient.Response neither = client.post(
                api("/onhand/indexquery"), "{\"filters\": {\"organizationId\": [\"usmf\"]}}");
        assertThat(neither.status()).as(neither.body()).isEqualTo(400);
    }

    private void exactQueries(Mode mode) {
        String withProducts = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "dimensions": ["siteId", "locationId"], "values": [["1", "11"]]}}""";
        for (String path : List.of(
                "/onhand/exactquery",
                "/onhand/exactquery/",
                "/onhand/exactQuery",
                "/ONHAND/EXACTQUERY")) {
            assertThat(byProduct(queryOk(path, withProducts), "iv", "onhand"))
                    .isEqualTo(Map.of(P1, "10"));
        }
        String withoutProducts = """
                {"filters": {"organizationId": ["usmf"],
                             "dimensions": ["siteId", "locationId"], "values": [["1", "11"]]}}""";
        IvsClient.Response warehouse = client.post(api("/onhand/exactquery"), withoutProducts);
        if (mode == Mode.BY_PRODUCT) {
            assertFailure(warehouse, 400, "filters.productId");
        } else {
            assertThat(byProduct(okRows(warehouse), "iv", "onhand"))
                    .isEqualTo(Map.of(P1, "10", P2, "3"));
        }
        String colorOnly = """
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "dimensions": ["colorId"], "values": [["red"]]}}""";
        IvsClient.Response noWarehouse = client.post(api("/onhand/exactquery"), colorOnly);
        if (mode == Mode.BY_PRODUCT) {
            assertThat(byProduct(okRows(noWarehouse), "iv", "onhand")).isEqualTo(Map.of(P1, "17"));
        } else {
            assertFailure(noWarehouse, 400, "siteId and locationId");
        }
    }

    private void reserveAndRelease(Mode mode) {
        assertThat(measure(P1, W11, "@iv.@available_to_reserve")).isEqualTo("10");
        IvsClient.Response reserved = reserve("r1", W11, 4, true);
        assertReserved(reserved, "r1");
        assertThat(measure(P1, W11, "@iv.@softreserved")).isEqualTo("4");
        assertThat(measure(P1, W11, "@iv.@available_to_reserve")).isEqualTo("6");

        IvsClient.Response tooMuch = reserve("r2", W11, 7, true);
        assertRefused(tooMuch);
        assertThat(measure(P1, W11, "@iv.@available_to_reserve")).isEqualTo("6");

        IvsClient.Response released = client.post(
                api("/onhand/UnReserve/"),
                IvsClient.json(IvsClient.map(
                        "id",
                        "u1",
                        "organizationId",
                        ORG,
                        "productId",
                        P1,
                        "reservationId",
                        reserved.json().path("reservationId").asString(),
                        "dimensions",
                        W11,
                        "OffsetQty",
                        4)));
        assertThat(released.status()).as(released.body()).isEqualTo(200);
        assertThat(released.json().path("processingStatus").asString()).isEqualTo("success");
        assertThat(measure(P1, W11, "@iv.@softreserved")).isEqualTo("0");
        assertThat(measure(P1, W11, "@iv.@available_to_reserve")).isEqualTo("10");

        IvsClient.Response nowhere = reserve("r3", NOWHERE, 1, false);
        if (mode == Mode.BY_PRODUCT) {
            assertReserved(nowhere, "r3");
        } else {
            assertRefused(nowhere);
            assertThat(nowhere.json().path("message").asString()).contains("siteId");
        }
    }

    private void allocateAndUnallocate(Mode mode) {
        assertThat(measure(P1, W11, "@iv.@available_to_allocate")).isEqualTo("10");
        assertAllocation(allocation("allocate", "a1", W11, 3), "a1", true);
        assertThat(measure(P1, W11, "@iv.@allocated")).isEqualTo("3");
        assertThat(measure(P1, W11, "@iv.@available_to_allocate")).isEqualTo("7");

        assertAllocation(allocation("unallocate", "a2", W11, 1), "a2", true);
        assertThat(measure(P1, W11, "@iv.@allocated")).isEqualTo("2");
        assertThat(measure(P1, W11, "@iv.@available_to_allocate")).isEqualTo("8");
        IvsClient.Response buckets = client.post(
                api("/allocation/query"),
                IvsClient.json(IvsClient.map(
                        "organizationId",
                        ORG,
                        "productId",
                        P1,
                        "dimensions",
                        W11,
                        "groups",
                        Map.of())));
        assertThat(buckets.status()).as(buckets.body()).isEqualTo(200);
        assertThat(buckets.json()).hasSize(1);
        assertThat(plain(buckets.json().get(0).path("allocated"))).isEqualTo("2");
        assertThat(plain(buckets.json().get(0).path("cumulativeAllocated"))).isEqualTo("3");

        assertAllocation(allocation("allocate", "a3", NOWHERE, 1), "a3", mode == Mode.BY_PRODUCT);
    }

    private void changeSchedules(Mode mode) {
        Map<String, Object> byDate = new LinkedHashMap<>();
        byDate.put("2022-02-03", IvsClient.map("iv", IvsClient.map("outbound", 4)));
        byDate.put("2022-02-10", IvsClient.map("iv", IvsClient.map("inbound", 6)));
        assertSuccess(postSchedule(schedule("c1", W11, byDate)), "c1");
        IvsClient.Response late =
                postSchedule(schedule("c2", W11, on("2022-03-03", "iv", "inbound", 1)));
        assertFailure(late, 400, "quantitiesByDate.2022-03-03");
        IvsClient.Response nowhere =
                postSchedule(schedule("c3", NOWHERE, on("2022-02-04", "iv", "inbound", 1)));
        if (mode == Mode.BY_PRODUCT) {
            assertSuccess(nowhere, "c3");
        } else {
            assertFailure(nowhere, 400, "dimensions.siteId");
        }

        JsonNode row = onlyRow("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["colorId"], "QueryATP": true}""");
        assertThat(quantity(row, "iv", "available")).isEqualTo("10");
        Map<String, String> available = atp(row, "iv", "available");
        assertThat(available).hasSize(30);
        assertThat(available.get(utcKey("2022-02-01"))).isEqualTo("6");
        assertThat(available.get(utcKey("2022-02-09"))).isEqualTo("6");
        assertThat(available.get(utcKey("2022-02-10"))).isEqualTo("12");
        assertThat(available.get(utcKey("2022-03-02"))).isEqualTo("12");
        Map<String, String> reservable = new TreeMap<>(atp(row, "@iv", "@available_to_reserve"));
        reservable.values().removeIf(java.util.Objects::isNull);
        assertThat(reservable).hasSize(7).containsValue("10").doesNotContainValue("6");
        assertThat(reservable).containsKeys(utcKey("2022-02-01"), utcKey("2022-02-07"));
        assertThat(byDate(row).get(dayKey("2022-02-03")))
                .containsEntry("iv.outbound", "4")
                .containsEntry("iv.available", "-4");
    }

    private void repostWithOneFieldChanged() {
        ObjectNode document = configuration();
        ((ObjectNode) document.get("reservConfiguration")).put("version", 1);

        IvsClient.Response update = hardUpdate(document);

        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(configuration().path("reservConfiguration").path("version").asInt())
                .isEqualTo(1);
        assertThat(measure(P1, W11, "iv.onhand")).isEqualTo("10");
    }

    private void cleanUpByPartitionIds(Mode mode) {
        ObjectNode switched = realDocument(mode.next());
        assertThat(hardUpdate(switched).status()).isEqualTo(409);

        List<String> ids = partitionIds();
        assertThat(ids)
                .containsExactlyInAnyOrderElementsOf(
                        switch (mode) {
                            case BY_LOCATION -> List.of("usmf~1~11", "usmf~1~12");
                            case BY_PRODUCT -> List.of("usmf~P1", "usmf~P2");
                            case BY_LOCATION_AND_PRODUCT ->
                                List.of("usmf~1~11", "usmf~1~12", "usmf~~");
                        });
        for (String id : ids) {
            IvsClient.Response cleaned =
                    client.delete(api("/Partitions/CleanupAllData/"), IvsClient.json(List.of(id)));
            assertThat(cleaned.status()).as(cleaned.body()).isEqualTo(200);
        }

        assertThat(partitionIds()).isEmpty();
        assertThat(rows("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P1", "P2"]}}""")).isEmpty();
    }

    private void switchPartitionRule(Mode next) {
        IvsClient.Response update = hardUpdate(realDocument(next));
        assertThat(update.status()).as(update.body()).isEqualTo(200);

        IvsClient.Response nowhere = stock("n1", P1, NOWHERE, 4);
        stockOk("n2", P1, W11, 1);
        JsonNode rows =
                rows("{\"filters\": {\"organizationId\": [\"usmf\"], \"productId\": [\"P1\"]}}");
        switch (next) {
            case BY_LOCATION -> {
                assertFailure(nowhere, 400, "dimensions.siteId");
                assertThat(byWarehouse(rows, "iv", "onhand")).isEqualTo(Map.of("1/11", "1"));
            }
            case BY_PRODUCT -> {
                assertSuccess(nowhere, "n1");
                assertThat(byWarehouse(rows, "iv", "onhand")).isEqualTo(Map.of("/", "5"));
            }
            case BY_LOCATION_AND_PRODUCT -> {
                assertSuccess(nowhere, "n1");
                assertThat(byWarehouse(rows, "iv", "onhand"))
                        .isEqualTo(Map.of("1/11", "1", "/", "4"));
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Map<String, Object> level(String site, String location, String color) {
        return IvsClient.map(
                "siteId", site, "locationId", location, "colorId", color, "sizeId", "S");
    }

    private IvsClient.Response stock(
            String id, String product, Map<String, Object> dims, int onHand) {
        return client.post(
                api("/onhand"),
                IvsClient.json(
                        QueryTestSupport.event(id, ORG, product, dims, "iv", "onhand", onHand)));
    }

    private void stockOk(String id, String product, Map<String, Object> dims, int onHand) {
        assertSuccess(stock(id, product, dims, onHand), id);
    }

    private JsonNode queryOk(String path, String body) {
        return okRows(client.post(api(path), body));
    }

    private static JsonNode okRows(IvsClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().isArray()).as(response.body()).isTrue();
        return response.json();
    }

    /** {@code ds.measure} per row keyed "site/location" (empty parts where a row has none). */
    private static Map<String, String> byWarehouse(JsonNode rows, String ds, String measure) {
        Map<String, String> totals = new TreeMap<>();
        for (JsonNode row : rows) {
            String key = row.path("dimensions").path("siteid").asString("") + "/"
                    + row.path("dimensions").path("locationid").asString("");
            assertThat(totals.put(key, quantity(row, ds, measure)))
                    .as("duplicate row %s in %s", key, rows)
                    .isNull();
        }
        return totals;
    }

    /** {@code ds.measure} summed per product. */
    private static Map<String, String> byProduct(JsonNode rows, String ds, String measure) {
        Map<String, java.math.BigDecimal> sums = new TreeMap<>();
        for (JsonNode row : rows) {
            sums.merge(
                    row.path("productId").asString(),
                    new java.math.BigDecimal(quantity(row, ds, measure)),
                    java.math.BigDecimal::add);
        }
        Map<String, String> totals = new TreeMap<>();
        sums.forEach((k, v) -> totals.put(k, v.stripTrailingZeros().toPlainString()));
        return totals;
    }

    /**
     * One measure ({@code ds.measure}) of {@code product} at exactly the site, location, colour
     * and size of {@code dims}, through an exact query; "0" when nothing is stored there.
     */
    private String measure(String product, Map<String, Object> dims, String qualified) {
        JsonNode rows = queryOk("/onhand/exactquery", """
                {"filters": {"organizationId": ["usmf"], "productId": ["%s"],
                             "dimensions": ["siteId", "locationId", "colorId", "sizeId"],
                             "values": [["%s", "%s", "%s", "%s"]]},
                 "returnNegative": true}""".formatted(
                        product,
                        dims.get("siteId"),
                        dims.get("locationId"),
                        dims.get("colorId"),
                        dims.get("sizeId")));
        assertThat(rows).as(rows.toString()).hasSizeLessThanOrEqualTo(1);
        if (rows.isEmpty()) {
            return "0";
        }
        String value = QueryTestSupport.measures(rows.get(0)).get(qualified);
        return value == null ? "0" : value;
    }

    private IvsClient.Response reserve(
            String id, Map<String, Object> dims, int quantity, boolean check) {
        return client.post(
                api("/onhand/reserve"),
                IvsClient.json(IvsClient.map(
                        "id", id,
                        "organizationId", ORG,
                        "productId", P1,
                        "dimensions", dims,
                        "quantityDataSource", "@iv",
                        "modifier", "@softreserved",
                        "quantity", quantity,
                        "ifCheckAvailForReserv", check)));
    }

    private static void assertReserved(IvsClient.Response response, String id) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("processingStatus").asString()).isEqualTo("success");
        assertThat(response.json().path("id").asString()).isEqualTo("ohre~" + id);
        assertThat(response.json().path("reservationId").asString()).isNotBlank();
    }

    /**
     * A refused reservation: a failure envelope; the original answers statusCode 500 for a
     * refused check and a missing partition dimension, IVS's switchable codes decide the number.
     */
    private static void assertRefused(IvsClient.Response response) {
        assertThat(response.json().path("processingStatus").asString())
                .as(response.body())
                .isEqualTo("failure");
        assertThat(response.json().path("statusCode").asInt())
                .as(response.body())
                .isNotEqualTo(200);
    }

    private IvsClient.Response allocation(
            String operation, String id, Map<String, Object> dims, int quantity) {
        return client.post(
                api("/allocation/" + operation),
                IvsClient.json(IvsClient.map(
                        "id", id,
                        "organizationId", ORG,
                        "productId", P1,
                        "dimensions", dims,
                        "groups", US,
                        "quantity", quantity)));
    }

    private static void assertAllocation(IvsClient.Response response, String id, boolean ok) {
        assertThat(response.json().path("processingStatus").asString())
                .as(response.body())
                .isEqualTo(ok ? "success" : "failure");
        if (ok) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().path("id").asString()).isEqualTo(id);
        }
    }

    private static Map<String, Object> schedule(
            String id, Map<String, Object> dims, Map<String, Object> byDate) {
        return IvsClient.map(
                "id", id,
                "organizationId", ORG,
                "productId", P1,
                "dimensions", dims,
                "quantitiesByDate", byDate);
    }

    private List<String> partitionIds() {
        IvsClient.Response response = client.get(api("/allpartitionids"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().forEach(id -> ids.add(id.asString()));
        return ids;
    }
}
