package io.ivs.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.reservation.ReservationTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Request bodies, statuses and endpoints as clients of the original service send and expect
 * them (docs/api-notes.md, "Drop-in compatibility"), over HTTP with the resulting quantities
 * checked: the newest defaults' {@code @iv} reservation measure, keys in any case, quantities as
 * strings, empty dimension values, releases by negative reservation, IV's status codes, the
 * calls migration scripts make, and event ids reused across clean-ups.
 */
class IvRequestCompatibilityIntegrationTest extends ReservationTestSupport {
    @Autowired
    JdbcTemplate jdbc;

    private static final Map<String, Object> WH_1 = dims("siteId", "1", "locationId", "11");
    private static final Map<String, Object> WH_2 = dims("siteId", "2", "locationId", "21");
    private static final String SOFT = "@iv.@softreserved";
    private static final String AFR = "@iv.@available_to_reserve";

    /**
     * The newest defaults' reservation setup over a client source: {@code iv.onhand} as supply,
     * {@code @iv.@available_to_reserve = iv.onhand − @iv.@softreserved}, mapped for
     * reservation, reservations on with the given {@code version} and keys site, location and
     * size (colour is outside the reservation hierarchy).
     */
    private void configureIv(int version) {
        configure(document -> {
            ObjectNode systems = (ObjectNode) document.get("inventorySystemConfigurations");
            ((ArrayNode) systems.get("iv").get("physicalMeasures")).add("onhand");
            ObjectNode iv = (ObjectNode) systems.get("@iv");
            ObjectNode calculated = (ObjectNode) iv.get("calculatedMeasures");
            calculated.remove("@available_to_reserve");
            calculated.remove("@available_to_allocate");
            calculated(
                    iv, "@available_to_reserve", new String[] {"iv.onhand"}, new String[] {SOFT});
            calculated(iv, "@available_to_allocate", new String[] {"iv.onhand"}, new String[] {
                "@iv.@allocated"
            });
            iv.putObject("reservMappings").put("@softreserved", AFR);
            enableReservations(document, version);
            ArrayNode keys = ((ObjectNode) document.get("reservConfiguration")).putArray("keys");
            keys.add("siteid").add("locationid").add("sizeid");
        });
    }

    /** A reserve of {@code @iv.@softreserved} as the newest defaults name it. */
    private static Map<String, Object> ivReserve(
            String id, String product, Map<String, Object> dims, Object quantity, boolean check) {
        return reserveBody(id, product, dims, "@iv", "@softreserved", quantity, check);
    }

    private void onHand(String id, String product, Map<String, Object> dims, Object quantity) {
        post(event(id, ORG, product, dims, "iv", "onhand", quantity));
    }

    // Request bodies.

    @Test
    void reserve_ivDataSourceAndModifier_holdsAndLowersAvailableToReserve() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, "10");

        String reservationId = reserveOk(ivReserve("r-1", "P1", WH_1, "4", true));

        assertThat(at("P1", WH_1)).containsEntry(SOFT, "4").containsEntry(AFR, "6");
        assertThat(held("?reservationId=" + reservationId)).containsEntry(reservationId, "4");
    }

    @Test
    void reserve_negativeQuantityUnchecked_releasesAndCheckedIsRefusedWith500() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, 10);
        reserveOk(ivReserve("r-1", "P1", WH_1, 4, true));

        IvsClient.Response release = reserve(ivReserve("r-2", "P1", WH_1, "-3", false));
        IvsClient.Response checked = reserve(ivReserve("r-3", "P1", WH_1, -1, true));

        assertSuccess(release, "ohre~r-2");
        assertFailure(checked, 500, "ifCheckAvailForReserv");
        assertThat(at("P1", WH_1)).containsEntry(SOFT, "1").containsEntry(AFR, "9");
    }

    @Test
    void bodies_keysInAnyCase_areReadAsTheirDocumentedNames() {
        configureIv(0);
        IvsClient.Response posted = client.post(api("/onhand"), """
                {"ID": "k-1", "organizationid": "usmf", "ProductID": "P1",
                 "Dimensions": {"SiteId": "1", "LOCATIONID": "11", "colorid": "red"},
                 "Quantities": {"IV": {"OnHand": "10"}}}""");
        IvsClient.Response bulk = client.post(api("/onhand/bulk"), """
                [{"id": "k-2", "OrganizationId": "usmf", "productid": "P1",
                  "dimensions": {"siteid": "1", "LocationId": "11", "ColorId": "red"},
                  "quantities": {"iv": {"onhand": "5"}}}]""");
        IvsClient.Response reserved = client.post(api("/onhand/reserve"), """
                {"Id": "k-3", "OrganizationID": "usmf", "PRODUCTID": "P1",
                 "dimensions": {"SITEID": "1", "locationid": "11"},
                 "QuantityDataSource": "@IV", "Modifier": "@SoftReserved", "Quantity": "6",
                 "IfCheckAvailForReserv": true}""");

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(bulk.json().get(0).path("statusCode").asInt())
                .as(bulk.body())
                .isEqualTo(200);
        assertSuccess(reserved, "ohre~k-3");
        String reservationId = reserved.json().path("reservationId").asString();
        IvsClient.Response released =
                client.post(api("/onhand/unreserve"), """
                {"id": "k-4", "organizationId": "usmf", "productId": "P1",
                 "ReservationID": "%s", "Dimensions": {"siteId": "1", "locationId": "11"},
                 "offsetqty": "2"}""".formatted(reservationId));
        assertThat(released.json().path("statusCode").asInt())
                .as(released.body())
                .isEqualTo(200);
        JsonNode rows = indexQuery("""
                {"Filters": {"OrganizationID": ["usmf"], "productid": ["P1"],
                             "SiteID": ["1"], "locationid": ["11"]},
                 "GroupByValues": ["COLORID"], "ReturnNegative": true}""");
        // The reservation is held on a record of its own, at site and location only.
        assertThat(totals(rows, "iv", "onhand", "ColorId")).containsEntry("red", "15");
        assertThat(totals(rows, "@iv", "@softreserved", "ColorId")).containsEntry("", "4");
        JsonNode exact = exactQuery("""
                {"filters": {"OrganizationId": ["usmf"], "ProductId": ["P1"],
                             "Dimensions": ["SiteId", "LocationID"], "Values": [["1", "11"]]},
                 "groupByValues": [], "returnNegative": true}""");
        assertThat(totals(exact, "iv", "onhand", "siteid")).isEqualTo(Map.of("1", "15"));
        assertThat(totals(exact, "@iv", "@softreserved", "siteid")).isEqualTo(Map.of("1", "4"));
        assertThat(totals(exact, "@iv", "@available_to_reserve", "siteid"))
                .isEqualTo(Map.of("1", "11"));
    }

    @Test
    void bodies_setOnHandConsumeAndV2ExactKeysInAnyCase_areRead() {
        configureIv(0);
        configure(document ->
                ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true));
        IvsClient.Response set = client.post(api("/setonhand/IV/bulk"), """
                [{"Id": "set-1", "OrganizationId": "usmf", "ProductId": "P1",
                  "Dimensions": {"SiteId": "1", "LocationId": "11"},
                  "Quantities": {"Iv": {"ONHAND": "20"}},
                  "ModifiedDateTimeUTC": "2024-01-01T00:00:00Z"}]""");
        IvsClient.Response allocated = client.post(api("/allocation/allocate"), """
                {"id": "a-1", "organizationId": "usmf", "productId": "P1",
                 "dimensions": {"siteId": "1", "locationId": "11"},
                 "groups": {"channel": "Online"}, "quantity": 5}""");

        IvsClient.Response consumed = client.post(api("/allocation/consume"), """
                {"Id": "a-2", "OrganizationId": "usmf", "ProductId": "P1",
                 "Dimensions": {"SiteId": "1", "LocationId": "11"},
                 "Groups": {"CHANNEL": "Online"}, "Quantity": "2",
                 "PhysicalMeasures": {"IV": {"OnHand": "subtraction"}}}""");

        assertThat(set.json().get(0).path("statusCode").asInt()).as(set.body()).isEqualTo(200);
        assertThat(allocated.status()).as(allocated.body()).isEqualTo(200);
        assertThat(consumed.status()).as(consumed.body()).isEqualTo(200);
        JsonNode exact = exactQuery("""
                {"Filters": {"ProductId": ["P1"],
                             "Keys": ["OrganizationID", "SiteId", "LocationId"],
                             "Values": [["usmf", "1", "11"]]},
                 "GroupByValues": [], "ReturnNegative": true}""", V2);
        assertThat(totals(exact, "iv", "onhand", "siteid")).isEqualTo(Map.of("1", "18"));
        assertThat(totals(exact, "@iv", "@allocated", "siteid")).isEqualTo(Map.of("1", "3"));
        assertThat(totals(exact, "@iv", "@consumed", "siteid")).isEqualTo(Map.of("1", "2"));
    }

    @Test
    void schedule_quantitiesByDateCapitalisedAndStringQuantities_areProjected() {
        configureIv(0);
        configure(document -> {
            ObjectNode schedule = (ObjectNode) document.get("scheduleConfiguration");
            schedule.put("isScheduleEnabled", true);
            schedule.putArray("atpCalculatedMeasures").add(AFR);
        });
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        onHand("s-1", "P1", dims("siteId", "1", "locationId", "11", "colorId", "red"), 10);

        String body = """
                {"Id": "c-1", "OrganizationId": "usmf", "ProductId": "P1",
                 "Dimensions": {"SiteId": "1", "LocationId": "11", "ColorId": "red"},
                 "QuantitiesByDate": {"%s": {"IV": {"OnHand": "3"}}}}""";

        IvsClient.Response scheduled =
                client.post(api("/onhand/changeschedule"), body.formatted(today.plusDays(1)));

        assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(200);
        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "siteId": ["1"], "locationId": ["11"]},
                 "groupByValues": ["ColorId", "SizeId"], "returnNegative": true,
                 "QueryATP": true}""");
        assertThat(rows.size()).as(rows.toString()).isEqualTo(1);
        JsonNode byDate = rows.get(0).path("quantitiesByDate");
        assertThat(byDate.path(today.plusDays(1) + "T00:00:00")
                        .path("iv")
                        .path("onhand")
                        .decimalValue())
                .as(rows.toString())
                .isEqualByComparingTo("3");
        JsonNode atp = rows.get(0).path("atpQuantities");
        assertThat(atp.path(today + "T00:00:00Z")
                        .path("@iv")
                        .path("@available_to_reserve")
                        .decimalValue())
                .as(rows.toString())
                .isEqualByComparingTo("10");
    }

    @Test
    void allocation_keysAndGroupNamesInAnyCase_areRead() {
        configureIv(0);
        configure(document ->
                ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true));
        onHand("s-1", "P1", WH_1, 10);

        IvsClient.Response allocated = client.post(api("/allocation/allocate"), """
                {"ID": "a-1", "OrganizationID": "usmf", "productid": "P1",
                 "Dimensions": {"SITEID": "1", "locationid": "11"},
                 "Groups": {"Channel": "Online", "CUSTOMERGROUP": "VIP"}, "Quantity": "4"}""");

        assertThat(allocated.status()).as(allocated.body()).isEqualTo(200);
        IvsClient.Response buckets = client.post(api("/allocation/query"), """
                {"organizationId": "usmf", "ProductId": "P1",
                 "dimensions": {"siteId": "1", "locationId": "11"}, "groups": {}}""");
        assertThat(buckets.status()).as(buckets.body()).isEqualTo(200);
        assertThat(buckets.json().size()).as(buckets.body()).isEqualTo(1);
        assertThat(buckets.json().get(0).path("allocated").decimalValue())
                .isEqualByComparingTo("4");
        assertThat(at("P1", WH_1))
                .containsEntry("@iv.@allocated", "4")
                .containsEntry("@iv.@available_to_allocate", "6");
    }

    @Test
    void onHand_emptyDimensionValue_isStoredAndQueriedLikeAnAbsentOne() {
        configureIv(0);

        onHand("e-1", "P1", dims("siteId", "1", "locationId", "11", "colorId", ""), "7");
        onHand("e-2", "P1", dims("siteId", "1", "locationId", "11", "colorId", "red"), "2");
        onHand("e-3", "P1", WH_1, "1");

        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["usmf"], "productId": ["P1"],
                             "siteId": ["1"], "locationId": ["11"], "colorId": [""]},
                 "groupByValues": ["colorId"], "returnNegative": true}""");
        assertThat(totals(rows, "iv", "onhand", "ColorId")).isEqualTo(Map.of("", "8"));
        assertThat(at("P1", WH_1)).containsEntry("iv.onhand", "10");
    }

    // Status codes.

    @Test
    void reserve_refusedChecked_is500AndChangesNothing() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, 3);

        IvsClient.Response refused = reserve(ivReserve("r-1", "P1", WH_1, 4, true));

        assertFailure(refused, 500, INSUFFICIENT);
        assertThat(at("P1", WH_1)).doesNotContainKey(SOFT).containsEntry(AFR, "3");
    }

    @Test
    void reserve_withoutPartitionDimensions_is500InSingleAndBulk() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, 10);

        IvsClient.Response single = reserve(ivReserve("m-1", "P1", dims("siteId", "1"), 1, false));
        IvsClient.Response bulk = client.post(
                api("/onhand/reserve/bulk"),
                IvsClient.json(List.of(
                        ivReserve("m-2", "P1", dims("locationId", "11"), 1, true),
                        ivReserve("m-3", "P1", WH_1, 1, true))));

        assertFailure(single, 500, "dimensions.locationId", "by-location");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.json().get(0).path("statusCode").asInt()).isEqualTo(500);
        assertThat(bulk.json().get(0).path("message").asString()).contains("dimensions.siteId");
        assertThat(bulk.json().get(1).path("statusCode").asInt()).isEqualTo(200);
        assertThat(at("P1", WH_1)).containsEntry(SOFT, "1");
    }

    @Test
    void reserve_dimensionOutsideHierarchy_version0Is400AndVersion1IgnoresIt() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, 10);
        Map<String, Object> withColour = dims("siteId", "1", "locationId", "11", "colorId", "");

        IvsClient.Response strict = reserve(ivReserve("v-1", "P1", withColour, 2, true));
        configure(document -> enableReservations(document, 1));
        IvsClient.Response lenient = reserve(ivReserve("v-2", "P1", withColour, 2, true));

        assertFailure(strict, 400, "dimensions.colorId", "not a reservation dimension");
        assertSuccess(lenient, "ohre~v-2");
        assertThat(holdings("?reservationId="
                                + lenient.json().path("reservationId").asString())
                        .get(0)
                        .path("dimensions")
                        .properties()
                        .stream()
                        .map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("siteid", "locationid");
        assertThat(at("P1", WH_1)).containsEntry(SOFT, "2").containsEntry(AFR, "8");
    }

    // Endpoints scripts call.

    @Test
    void updatePartitionSchema_answers200SayingNothingIsNeeded() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, 10);

        IvsClient.Response switched = client.post(api("/updatePartitionSchema?newversion=2"), null);
        IvsClient.Response bad = client.post(api("/updatePartitionSchema?newversion=two"), null);

        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        assertThat(switched.json().path("processingStatus").asString()).isEqualTo("success");
        assertThat(switched.json().path("statusCode").asInt()).isEqualTo(200);
        assertThat(switched.json().path("message").asString())
                .contains("no partition schema switch");
        assertFailure(bad, 400, "newversion");
        assertThat(at("P1", WH_1)).containsEntry("iv.onhand", "10");
    }

    @Test
    void getJobProgress_answersForTheReservationResyncJob() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, 10);
        reserveOk(ivReserve("r-1", "P1", WH_1, 4, true));

        IvsClient.Response started = client.post(api("/onhand/reserve/resyncjob"), "[]");
        String jobId = started.json().path("jobId").asString();
        IvsClient.Response progress = client.get(api("/getJobProgress?jobId=" + jobId));

        assertThat(jobId).startsWith("ReservationResyncJob:");
        assertThat(progress.status()).as(progress.body()).isEqualTo(200);
        assertThat(progress.json().path("status").asString()).isEqualTo("Completed");
        assertThat(progress.json().path("message").asString()).isEqualTo("1 reservations reversed");
        assertThat(at("P1", WH_1)).containsEntry(SOFT, "0").containsEntry(AFR, "10");
    }

    @Test
    void getJobProgress_answersForTheSummaryBackfillJob() throws InterruptedException {
        configure(document -> ((ObjectNode) document.get("storageConfiguration"))
                .put("isOnHandMostSpecificStorageEnabled", true));
        post(event("s-1", ORG, "P1", WH_1, "pos", "inbound", 10));

        IvsClient.Response started =
                client.post("/admin/environments/" + env + "/summary/backfill", null);
        String jobId = started.json().path("jobId").asString();

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(jobId).startsWith("SummaryBackfill:");
        JsonNode progress = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            IvsClient.Response response = client.get(api("/getJobProgress?jobId=" + jobId));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            progress = response.json();
            if (!progress.path("status").asString().equals("Running")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(progress.path("status").asString())
                .as(progress.toString())
                .isEqualTo("Completed");
        assertThat(progress.path("message").asString()).startsWith("1 summary rows");
    }

    @Test
    void queries_productSearchObject_is400PointingToTheProductSearchEndpoints() {
        configureIv(0);
        onHand("s-1", "P1", WH_1, 10);
        String search = """
                "productSearch": {"productFilter": {"logicalOperator": "And",
                  "conditions": [{"conditionOperator": "Contains", "productName": ["bike"]}]}}""";

        IvsClient.Response index = client.post(api("/onhand/indexquery"), """
                {"filters": {"organizationId": ["usmf"], "siteId": ["1"],
                             "locationId": ["11"]}, %s}""".formatted(search));
        IvsClient.Response exact = client.post(api("/onhand/exactquery"), """
                {"filters": {"organizationId": ["usmf"], "dimensions": ["siteId", "locationId"],
                             "values": [["1", "11"]]}, %s}""".formatted(search));

        assertFailure(index, 400, "productSearch", "/onhand/productsearch/indexquery");
        assertFailure(exact, 400, "productSearch", "/onhand/productsearch/exactquery");
    }

    // Event ids and clean-up.

    private List<String> partitionIds() {
        IvsClient.Response response = client.get(api("/allpartitionids"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().forEach(id -> ids.add(id.asString()));
        return ids;
    }

    private void cleanUp(String path, List<String> partitionIds) {
        IvsClient.Response response = client.delete(api(path), IvsClient.json(partitionIds));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** One test run of a client script: fixed event ids, stock, a reservation, a retry. */
    private void scriptRun() {
        onHand("20240101", "P1", WH_1, "10");
        onHand("20240101-2", "P2", WH_2, "5");
        reserveOk(ivReserve("20240101-r", "P1", WH_1, 4, true));
        onHand("20240101", "P1", WH_1, "10");
    }

    @Test
    void partitionCleanup_forgetsItsEventIds_soAScriptCanRunAgain() {
        configureIv(0);
        scriptRun();
        assertThat(at("P1", WH_1)).containsEntry("iv.onhand", "10").containsEntry(SOFT, "4");

        List<String> partitions = partitionIds();
        assertThat(partitions).containsExactly("usmf~1~11", "usmf~2~21");
        for (String partition : partitions) {
            cleanUp("/partitions/cleanupalldata", List.of(partition));
        }
        assertThat(partitionIds()).isEmpty();
        scriptRun();

        assertThat(at("P1", WH_1)).containsEntry("iv.onhand", "10").containsEntry(SOFT, "4");
        assertThat(at("P2", WH_2)).containsEntry("iv.onhand", "5");
    }

    @Test
    void partitionCleanup_keepsEventIdsOfOtherPartitions() {
        configureIv(0);
        scriptRun();

        cleanUp("/partitions/cleanupalldata", List.of("usmf~1~11"));
        scriptRun();
        cleanUp("/cleanupalldata", List.of("usmf~1~11"));
        scriptRun();

        assertThat(at("P1", WH_1)).containsEntry("iv.onhand", "10").containsEntry(SOFT, "4");
        assertThat(at("P2", WH_2))
                .as("the event in the partition that was not cleaned up counts once")
                .containsEntry("iv.onhand", "5");
    }

    /**
     * Every way IVS records an event id (one statement, three statements, set, schedule,
     * reserve alone and combined, unreserve, allocation) records its partition, and a
     * partition clean-up forgets them all.
     */
    @Test
    void processedEvents_everyWriteFamily_recordTheirPartition() throws Exception {
        configureIv(0);
        configure(document -> {
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
            ObjectNode schedule = (ObjectNode) document.get("scheduleConfiguration");
            schedule.put("isScheduleEnabled", true);
            schedule.putArray("atpCalculatedMeasures").add(AFR);
        });
        onHand("one", "P1", WH_1, 100);
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(event("many-" + i, ORG, "P1", WH_1, "iv", "onhand", 1));
        }
        postAll(many);
        IvsClient.Response set = client.post(
                api("/setonhand/iv/bulk"),
                IvsClient.json(List.of(event("set", ORG, "P1", WH_1, "iv", "onhand", 150))));
        assertThat(set.json().get(0).path("statusCode").asInt()).as(set.body()).isEqualTo(200);
        IvsClient.Response scheduled = client.post(api("/onhand/changeschedule"), """
                {"id": "sched", "organizationId": "usmf", "productId": "P1",
                 "dimensions": {"siteId": "1", "locationId": "11"},
                 "quantitiesByDate": {"%s": {"iv": {"onhand": 1}}}}""".formatted(
                        LocalDate.now(ZoneOffset.UTC).plusDays(1)));
        assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(200);
        String reservationId = reserveOk(ivReserve("res", "P1", WH_1, 10, true));
        concurrentReserves(16);
        IvsClient.Response released =
                unreserve(unreserveBody("unres", "P1", WH_1, reservationId, 1));
        assertThat(released.status()).as(released.body()).isEqualTo(200);
        IvsClient.Response allocated = client.post(
                api("/allocation/allocate"),
                IvsClient.json(IvsClient.map(
                        "id",
                        "alloc",
                        "organizationId",
                        ORG,
                        "productId",
                        "P1",
                        "dimensions",
                        WH_1,
                        "groups",
                        IvsClient.map("channel", "web"),
                        "quantity",
                        2)));
        assertThat(allocated.status()).as(allocated.body()).isEqualTo(200);

        Map<String, Object> counts = jdbc.queryForMap(
                "select count(*) as ids, count(partition_id) as partitioned,"
                        + " count(distinct partition_id) as partitions,"
                        + " min(partition_id) as partition,"
                        + " count(distinct family) as families"
                        + " from processed_event where environment_id = ?",
                env);
        assertThat(counts)
                .containsEntry("ids", 1L + 40 + 1 + 1 + 1 + 16 + 1 + 1)
                .containsEntry("partitioned", 1L + 40 + 1 + 1 + 1 + 16 + 1 + 1)
                .containsEntry("partitions", 1L)
                .containsEntry("partition", "usmf~1~11")
                .containsEntry("families", 6L);
        cleanUp("/partitions/cleanupalldata", List.of("usmf~1~11"));
        assertThat(jdbc.queryForObject(
                        "select count(*) from processed_event where environment_id = ?",
                        Long.class,
                        env))
                .isZero();
    }

    /** Reserves of 1 from many threads at once, so that some run in one combined transaction. */
    private void concurrentReserves(int count) throws Exception {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<IvsClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Map<String, Object> body = ivReserve("together-" + i, "P1", WH_1, 1, true);
                answers.add(pool.submit(() -> reserve(body)));
            }
            for (var answer : answers) {
                assertThat(answer.get().json().path("statusCode").asInt())
                        .as(answer.get().body())
                        .isEqualTo(200);
            }
        }
    }

    /**
     * Clean-ups racing with writes to the same partition: whatever interleaving happens, a
     * retry of every event afterwards never counts one twice (each adds 1, so the stock can
     * never exceed the number of events). A write or a clean-up that PostgreSQL aborts to break
     * a deadlock is answered 409 "send it again", and is sent again, as a client would.
     */
    @Test
    void partitionCleanup_racingWithWrites_neverCountsAnEventTwice() throws Exception {
        configureIv(0);
        int writers = 4;
        int eventsEach = 40;
        List<Map<String, Object>> all = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < eventsEach; i++) {
                all.add(event("race-" + w + "-" + i, ORG, "P1", WH_1, "iv", "onhand", 1));
            }
        }
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<Map<String, Object>> mine = all.subList(w * eventsEach, (w + 1) * eventsEach);
                done.add(pool.submit(() -> mine.forEach(this::postUntilApplied)));
            }
            for (int round = 0; round < 5; round++) {
                Thread.sleep(20);
                cleanUpUntilDone("/partitions/cleanupalldata", List.of("usmf~1~11"));
            }
            for (var writer : done) {
                writer.get();
            }
        }

        all.forEach(this::post);

        String stock = at("P1", WH_1).get("iv.onhand");
        assertThat(new java.math.BigDecimal(stock))
                .isBetween(
                        java.math.BigDecimal.ONE,
                        java.math.BigDecimal.valueOf(writers * eventsEach));
    }

    /** A clean-up, again while the database aborts it as a deadlock victim (409). */
    private void cleanUpUntilDone(String path, List<String> partitionIds) {
        for (int attempt = 0; attempt < 20; attempt++) {
            IvsClient.Response response = client.delete(api(path), IvsClient.json(partitionIds));
            if (response.status() == 200) {
                return;
            }
            assertThat(response.status()).as(response.body()).isEqualTo(409);
            assertThat(response.body()).contains("send it again");
        }
        throw new AssertionError("a clean-up was aborted 20 times");
    }

    /** Posts an event, again while the database aborts it as a deadlock victim (409). */
    private void postUntilApplied(Map<String, Object> event) {
        for (int attempt = 0; attempt < 20; attempt++) {
            IvsClient.Response response = client.post(api("/onhand"), IvsClient.json(event));
            if (response.status() == 200) {
                return;
            }
            assertThat(response.status()).as(response.body()).isEqualTo(409);
            assertThat(response.body()).contains("send it again");
        }
        throw new AssertionError("event " + event.get("id") + " was aborted 20 times");
    }

    @Test
    void partitionCleanup_sameIdWithOtherContentAfterwards_isANewEvent() {
        configureIv(0);
        onHand("run-1", "P1", WH_1, 10);
        IvsClient.Response conflict = client.post(
                api("/onhand"), IvsClient.json(event("run-1", ORG, "P1", WH_1, "iv", "onhand", 3)));
        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);

        cleanUp("/partitions/cleanupalldata", List.of("usmf~1~11"));
        onHand("run-1", "P1", WH_1, 3);

        assertThat(at("P1", WH_1)).containsEntry("iv.onhand", "3");
    }
}
