package io.ivs.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every refusal of the allocation API (spec B.4, B.5, B.6.4, C-B1, C-B2, C-B9, C-B14, C-B15) and
 * the configuration protections of B.2.2, B.2.4 and C-B6, over HTTP against real PostgreSQL.
 * Each refused write is checked to have changed nothing.
 */
class AllocationValidationIntegrationTest extends AllocationTestSupport {

    /** Buckets and record measures of the red bike, to show that a refusal changed nothing. */
    private record Snapshot(Map<String, Balance> buckets, Map<String, String> measures) {}

    private Snapshot snapshot() {
        return new Snapshot(buckets(), onHand());
    }

    private JsonNode reservations() {
        IvsClient.Response response =
                client.get("/admin/environments/" + env + "/reservations?productId=" + BIKE);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Allocation on, pos.inbound 30, 10 allocated to [Online, VIP, US]: ATA 20. */
    private void allocatedTen() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("seed", US, 10));
        assertThat(bucket(US)).isEqualTo(balance(10, 0, 10, 0));
        assertThat(ata()).isEqualTo("20");
    }

    /** A valid body of each write against the {@link #allocatedTen()} state. */
    private static Map<String, Object> validBody(String operation, Object quantity) {
        return switch (operation) {
            case "allocate", "unallocate" -> request("q-" + operation, US, quantity);
            case "reallocate" -> reallocation("q-reallocate", US, EU, quantity);
            case "consume" ->
                consumption("q-consume", US, quantity, "pos", "inbound", "Subtraction");
            default -> throw new IllegalArgumentException(operation);
        };
    }

    private void assertRefused(
            Snapshot before, IvsClient.Response response, int status, String... message) {
        assertFailure(response, status, message);
        assertThat(response.json().has("reservationId")).as(response.body()).isFalse();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(reservations()).isEmpty();
    }

    // --- quantity ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} quantity {1}")
    @CsvSource({
        "allocate, 0", "allocate, -1",
        "unallocate, 0", "unallocate, -1",
        "reallocate, 0", "reallocate, -1",
        "consume, 0", "consume, -1"
    })
    void write_quantityNotPositive_isRejectedWith400(String operation, int quantity) {
        allocatedTen();
        Snapshot before = snapshot();

        IvsClient.Response response = write(operation, validBody(operation, quantity));

        assertRefused(before, response, 400, "quantity", "greater than zero");
        // the same request with quantity 1 is accepted, so the refusal was the quantity's
        success(operation, validBody(operation, 1));
    }

    @Test
    void write_quantityMissing_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();
        Map<String, Object> body = request("no-quantity", US, 1);
        body.remove("quantity");

        IvsClient.Response response = write("allocate", body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("quantity");
        assertThat(snapshot()).isEqualTo(before);
    }

    // --- available to allocate (C-B1) ---------------------------------------------------------

    @Test
    void allocate_withNoStock_isRejectedWith409() {
        enableAllocationWithPosSupply();

        IvsClient.Response response = write("allocate", request("a", US, 1));

        assertFailure(response, 409, "available to allocate is 0");
        assertThat(buckets()).isEmpty();
    }

    @Test
    void allocate_whenAvailableIsZero_isRejectedWith409() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 5);
        stock("s1", RED, "iv", "softreserved", 5);
        assertThat(ata()).isEqualTo("0");
        Snapshot before = snapshot();

        IvsClient.Response response = write("allocate", request("a", US, 1));

        assertRefused(before, response, 409, "available to allocate is 0");
    }

    @Test
    void allocate_whenAvailableIsNegative_isRejectedWith409() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 5);
        stock("s1", RED, "iv", "softreserved", 8);
        assertThat(ata()).as("%s", onHand()).isEqualTo("-3");
        Snapshot before = snapshot();

        IvsClient.Response response = write("allocate", request("a", US, 1));

        assertRefused(before, response, 409, "available to allocate is -3");
    }

    @Test
    void allocate_moreThanAvailable_isRejectedWith409() {
        allocatedTen();
        Snapshot before = snapshot();

        IvsClient.Response response = write("allocate", request("a-25", EU, 25));

        assertRefused(before, response, 409, "available to allocate is 20", "25 requested");
        // exactly what is available is accepted; then nothing is left
        success("allocate", request("a-20", EU, 20));
        assertThat(ata()).isEqualTo("0");
        assertFailure(write("allocate", request("a-1", EU, 1)), 409);
        assertThat(bucket(EU)).isEqualTo(balance(20, 0, 20, 0));
    }

    @Test
    void allocate_availableOfMoreDetailedRecords_isAggregated() {
        enableAllocationWithPosSupply();
        Map<String, Object> small =
                dims("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "S");
        Map<String, Object> large =
                dims("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "L");
        stock("s0", small, "pos", "inbound", 12);
        stock("s1", large, "pos", "inbound", 8);
        stock(
                "s2",
                dims("siteId", "1", "locationId", "11", "colorId", "blue"),
                "pos",
                "inbound",
                50);

        assertFailure(write("allocate", request("a-21", US, 21)), 409, "is 20");
        success("allocate", request("a-20", US, 20));

        assertThat(bucket(US)).isEqualTo(balance(20, 0, 20, 0));
        assertFailure(write("allocate", request("a-1", EU, 1)), 409, "is 0");
    }

    // --- groups -----------------------------------------------------------------------------

    @Test
    void allocate_groupsWithGap_isRejectedNamingTheMissingGroup() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(
                before,
                write("allocate", request("g-1", Map.of("channel", "Online", "region", "US"), 1)),
                400,
                "'customerGroup'");
        assertRefused(
                before,
                write("allocate", request("g-2", Map.of("customerGroup", "VIP"), 1)),
                400,
                "'channel'");
        Map<String, Object> gapInSource =
                reallocation("g-3", Map.of("channel", "Online", "region", "US"), EU, 1);
        assertRefused(
                before, write("reallocate", gapInSource), 400, "sourceGroups", "'customerGroup'");
    }

    @Test
    void allocate_unknownGroupName_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();
        Map<String, String> unknown = Map.of("channel", "Online", "country", "US");

        assertRefused(
                before,
                write("allocate", request("g-1", unknown, 1)),
                400,
                "groups.country",
                "not an allocation group");
        assertRefused(before, write("consume", request("g-2", unknown, 1)), 400, "groups.country");
    }

    @Test
    void allocate_groupNamedTwiceInDifferentCase_isRejectedWith400() {
        // names match without case, so these name one level twice; which value would win is
        // not defined, so the request is ambiguous (dimensions given twice are refused too)
        allocatedTen();
        Snapshot before = snapshot();
        Map<String, String> twice = new LinkedHashMap<>(US);
        twice.put("Channel", "Store");
        Map<String, String> sourceTwice = new LinkedHashMap<>(US);
        sourceTwice.put("REGION", "EU");

        assertRefused(before, write("allocate", request("g-1", twice, 1)), 400, "more than once");
        assertRefused(
                before,
                write("reallocate", reallocation("g-2", sourceTwice, EU, 1)),
                400,
                "sourceGroups",
                "more than once");
    }

    @Test
    void allocate_withoutGroups_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(before, write("allocate", request("g-1", Map.of(), 1)), 400, "'channel'");
        Map<String, Object> noSource = request("g-2", EU, 1);
        assertRefused(before, write("reallocate", noSource), 400, "sourceGroups");
    }

    @Test
    void reallocate_toTheSourcePath_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(before, write("reallocate", reallocation("r", US, US, 1)), 400, "same");
    }

    // --- balances (C-B2) ----------------------------------------------------------------------

    @Test
    void unallocate_moreThanAllocated_isRejectedWith409() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(before, write("unallocate", request("u-11", US, 11)), 409, "holds 10", "11");
        assertRefused(before, write("unallocate", request("u-eu", EU, 1)), 409, "holds 0");
        success("unallocate", request("u-10", US, 10));
        assertThat(bucket(US)).isEqualTo(balance(0, 0, 10, 0));
        assertThat(ata()).isEqualTo("30");
    }

    @Test
    void reallocate_moreThanTheSourceHolds_isRejectedWith409() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(
                before,
                write("reallocate", reallocation("r-11", US, EU, 11)),
                409,
                "sourceGroups",
                "holds 10");
        assertRefused(before, write("reallocate", reallocation("r-eu", EU, US, 1)), 409, "holds 0");
        assertThat(buckets()).doesNotContainKey("Online/VIP/EU");
    }

    @Test
    void consume_moreThanAllocated_isRejectedWith409() {
        allocatedTen();
        success("consume", consumption("c-5", US, 5, "pos", "inbound", "Subtraction"));
        Snapshot before = snapshot();
        assertThat(before.buckets().get("Online/VIP/US")).isEqualTo(balance(5, 5, 10, 5));

        assertRefused(
                before,
                write("consume", consumption("c-6", US, 6, "pos", "inbound", "Subtraction")),
                409,
                "holds 5",
                "6 requested");
        assertRefused(
                before,
                write("consume", consumption("c-6r", US, 6, "iv", "softreserved", "Addition")),
                409,
                "holds 5");
        assertRefused(before, write("consume", request("c-6n", US, 6)), 409, "holds 5");
    }

    // --- consume measures ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"onorder", "physicalinvent", "nosuchmeasure"})
    void consume_namingFno_isForbiddenWith403(String measure) {
        allocatedTen();
        Snapshot before = snapshot();

        IvsClient.Response response =
                write("consume", consumption("c", US, 1, "fno", measure, "Subtraction"));

        assertRefused(before, response, 403, "fno");
    }

    @Test
    void consume_namingFnoBesideAnotherMeasure_isForbiddenWith403() {
        allocatedTen();
        Snapshot before = snapshot();
        Map<String, Object> body = request("c", US, 1);
        body.put(
                "physicalMeasures",
                IvsClient.map(
                        "pos",
                        IvsClient.map("inbound", "Subtraction"),
                        "fno",
                        IvsClient.map("onorder", "Subtraction")));

        assertRefused(before, write("consume", body), 403, "fno");
    }

    @Test
    void consume_directionOfTheFormula_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(
                before,
                write("consume", consumption("c-1", US, 1, "pos", "inbound", "Addition")),
                400,
                "pos.inbound",
                "Subtraction");
        assertRefused(
                before,
                write("consume", consumption("c-2", US, 1, "iv", "softreserved", "Subtraction")),
                400,
                "iv.softreserved",
                "Addition");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Add", "minus", "Sub", "", "+"})
    void consume_unknownDirectionWord_isRejectedWith400(String direction) {
        allocatedTen();
        Snapshot before = snapshot();

        IvsClient.Response response =
                write("consume", consumption("c", US, 1, "pos", "inbound", direction));

        assertRefused(before, response, 400, "Addition or Subtraction");
    }

    @Test
    void consume_directionWordInOtherCase_isAccepted() {
        allocatedTen();

        success("consume", consumption("c-1", US, 1, "pos", "inbound", "SUBTRACTION"));
        success("consume", consumption("c-2", US, 1, "iv", "softreserved", "addition"));

        assertThat(bucket(US)).isEqualTo(balance(8, 2, 10, 2));
        assertThat(onHand("pos.inbound")).isEqualTo("29");
        assertThat(onHand("iv.softreserved")).isEqualTo("1");
    }

    @Test
    void consume_measureNamedTwiceInDifferentCase_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();
        Map<String, Object> sameSource = request("c-1", US, 1);
        Map<String, String> directions = new LinkedHashMap<>();
        directions.put("inbound", "Subtraction");
        directions.put("INBOUND", "Subtraction");
        sameSource.put("physicalMeasures", IvsClient.map("pos", directions));
        Map<String, Object> twoSources = request("c-2", US, 1);
        twoSources.put(
                "physicalMeasures",
                IvsClient.map(
                        "pos",
                        IvsClient.map("inbound", "Subtraction"),
                        "POS",
                        IvsClient.map("Inbound", "Subtraction")));

        assertRefused(before, write("consume", sameSource), 400, "more than once");
        assertRefused(before, write("consume", twoSources), 400, "more than once");
    }

    @Test
    void consume_unknownOrCalculatedMeasure_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(
                before,
                write("consume", consumption("c-1", US, 1, "pos", "inbound2", "Subtraction")),
                400,
                "inbound2");
        assertRefused(
                before,
                write("consume", consumption("c-2", US, 1, "nosuch", "inbound", "Subtraction")),
                400,
                "nosuch");
        assertRefused(
                before,
                write("consume", consumption("c-3", US, 1, "pos", "availquantity", "Subtraction")),
                400,
                "availquantity");
    }

    // --- feature switch and partition dimensions (C-B14, C-B15) -------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"allocate", "unallocate", "reallocate", "consume"})
    void write_allocationSwitchedOff_isRejectedWith400(String operation) {
        stock("s0", RED, "pos", "inbound", 30);

        IvsClient.Response response = write(operation, validBody(operation, 1));

        assertFailure(response, 400, "isEnabled");
        assertThat(onHand("@iv.@allocated")).isEqualTo("0");
        assertThat(onHand("pos.inbound")).isEqualTo("30");
    }

    @Test
    void query_allocationSwitchedOff_isRejectedWith400() {
        IvsClient.Response response = queryResponse(RED, Map.of());

        assertFailure(response, 400, "isEnabled");
    }

    @Test
    void allocate_withoutSiteOrLocationByLocation_isRejectedWith400() {
        allocatedTen();
        Snapshot before = snapshot();

        assertRefused(
                before,
                write(
                        "allocate",
                        request("d-1", dims("locationId", "11", "colorId", "red"), US, 1)),
                400,
                "siteId");
        assertRefused(
                before,
                write("allocate", request("d-2", dims("siteId", "1", "colorId", "red"), US, 1)),
                400,
                "locationId");
        assertRefused(
                before,
                write("consume", request("d-3", dims("colorId", "red"), US, 1)),
                400,
                "siteId");
    }

    @Test
    void allocate_withoutSiteByProduct_isAccepted() {
        configure(document -> {
            ObjectNode partition = (ObjectNode) document.get("partitionConfiguration");
            partition.put("useProductId", true).put("useDimensions", false);
        });
        enableAllocationWithPosSupply();
        Map<String, Object> red = dims("colorId", "red");
        stock("s0", red, "pos", "inbound", 7);

        success("allocate", request("a", red, US, 7));

        assertThat(buckets(red, Map.of())).isEqualTo(Map.of("Online/VIP/US", balance(7, 0, 7, 0)));
        assertFailure(write("allocate", request("b", red, EU, 1)), 409, "is 0");
    }

    // --- configuration protections (B.2.2, B.2.4, C-B6) --------------------------------------

    private IvsClient.Response hardUpdate(Consumer<ObjectNode> edit) {
        ObjectNode document = configuration();
        edit.accept(document);
        return client.post(api("/configuration/hardupdate"), IvsClient.json(document));
    }

    private static ObjectNode allocationIv(ObjectNode document) {
        return (ObjectNode) document.path("inventorySystemConfigurations").get("@iv");
    }

    private static void setGroups(ObjectNode document, String... names) {
        ArrayNode groups =
                ((ObjectNode) document.get("allocationConfiguration")).putArray("groups");
        for (String name : names) {
            groups.add(name);
        }
    }

    private static List<String> errors(IvsClient.Response response) {
        List<String> errors = new ArrayList<>();
        response.json().path("errors").values().forEach(e -> errors.add(e.asString()));
        return errors;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"@allocated", "@cumulative_allocated", "@consumed", "@cumulative_consumed"})
    void hardUpdate_deletingPredefinedMeasureWhileEnabled_isRejectedWith400(String measure) {
        enableAllocationWithPosSupply();

        IvsClient.Response response = hardUpdate(document -> {
            ArrayNode physical = (ArrayNode) allocationIv(document).get("physicalMeasures");
            for (int i = physical.size() - 1; i >= 0; i--) {
                if (physical.get(i).asString().equals(measure)) {
                    physical.remove(i);
                }
            }
        });

        assertFailure(response, 400);
        assertThat(errors(response))
                .as(response.body())
                .anySatisfy(e -> assertThat(e).contains("'" + measure + "'", "missing"));
    }

    @Test
    void hardUpdate_renamingAvailableToAllocateWhileEnabled_isRejectedWith400() {
        enableAllocationWithPosSupply();

        IvsClient.Response response = hardUpdate(document -> {
            ObjectNode calculated = (ObjectNode) allocationIv(document).get("calculatedMeasures");
            calculated.set("@available_to_allocate2", calculated.remove("@available_to_allocate"));
        });

        assertFailure(response, 400);
        assertThat(errors(response))
                .as(response.body())
                .anySatisfy(e -> assertThat(e).contains("'@available_to_allocate'", "missing"));
    }

    @Test
    void hardUpdate_availableToAllocateWithoutAllocated_isRejectedWith400() {
        enableAllocationWithPosSupply();

        IvsClient.Response response = hardUpdate(document -> {
            ObjectNode iv = allocationIv(document);
            ((ObjectNode) iv.get("calculatedMeasures")).remove("@available_to_allocate");
            calculated(iv, "@available_to_allocate", new String[] {"pos.inbound"}, new String[] {
                "iv.softreserved"
            });
        });

        assertFailure(response, 400);
        assertThat(errors(response))
                .as(response.body())
                .anySatisfy(e -> assertThat(e).contains("must subtract", "'@iv.@allocated'"));
    }

    @Test
    void hardUpdate_enablingWithMissingPredefinedMeasures_isRejectedListingEach() {
        IvsClient.Response response = hardUpdate(document -> {
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
            ObjectNode iv = allocationIv(document);
            iv.putArray("physicalMeasures").add("@allocated").add("@softreserved");
        });

        assertFailure(response, 400);
        assertThat(errors(response))
                .as(response.body())
                .anySatisfy(e -> assertThat(e).contains("'@cumulative_allocated'"))
                .anySatisfy(e -> assertThat(e).contains("'@consumed'"))
                .anySatisfy(e -> assertThat(e).contains("'@cumulative_consumed'"));
    }

    @Test
    void hardUpdate_moreThanEightOrDuplicateGroups_isRejectedWith400() {
        IvsClient.Response nine = hardUpdate(
                document -> setGroups(document, "a", "b", "c", "d", "e", "f", "g", "h", "i"));
        assertFailure(nine, 400);
        assertThat(errors(nine)).anySatisfy(e -> assertThat(e).contains("9 levels", "8"));

        IvsClient.Response twice =
                hardUpdate(document -> setGroups(document, "channel", "region", "Channel"));
        assertFailure(twice, 400);
        assertThat(errors(twice)).anySatisfy(e -> assertThat(e).contains("more than once"));

        IvsClient.Response eight =
                hardUpdate(document -> setGroups(document, "a", "b", "c", "d", "e", "f", "g", "h"));
        assertThat(eight.status()).as(eight.body()).isEqualTo(200);
    }

    @Test
    void hardUpdate_reorderingOrRemovingGroupsWithBuckets_isRejectedWith409() {
        allocatedTen();

        IvsClient.Response reordered = hardUpdate(
                document -> setGroups(document, "customerGroup", "channel", "region", "orderType"));
        IvsClient.Response removed =
                hardUpdate(document -> setGroups(document, "channel", "region", "orderType"));
        IvsClient.Response shortened =
                hardUpdate(document -> setGroups(document, "channel", "customerGroup"));

        for (IvsClient.Response response : List.of(reordered, removed, shortened)) {
            assertFailure(response, 409);
            assertThat(errors(response))
                    .as(response.body())
                    .anySatisfy(e -> assertThat(e).contains("allocationConfiguration.groups"));
        }
        assertThat(bucket(US)).isEqualTo(balance(10, 0, 10, 0));
    }

    @Test
    void hardUpdate_reorderingGroupsWithoutBuckets_isAccepted() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);

        IvsClient.Response reordered = hardUpdate(
                document -> setGroups(document, "customerGroup", "channel", "region", "orderType"));

        assertThat(reordered.status()).as(reordered.body()).isEqualTo(200);
        success("allocate", request("a", Map.of("customerGroup", "VIP"), 1));
        assertFailure(write("allocate", request("b", Map.of("channel", "Online"), 1)), 400);
    }

    @Test
    void hardUpdate_reorderingAfterCleanupAllData_isAccepted() {
        allocatedTen();
        IvsClient.Response cleanup = client.delete(api("/cleanupalldata"), null);
        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(buckets()).isEmpty();

        IvsClient.Response reordered = hardUpdate(
                document -> setGroups(document, "customerGroup", "channel", "region", "orderType"));

        assertThat(reordered.status()).as(reordered.body()).isEqualTo(200);
    }

    @Test
    void hardUpdate_reorderingAfterUnallocatingEverything_isAccepted() {
        // B.2.4: unallocate all old data, then shift levels (the 409 message says the same)
        allocatedTen();
        success("unallocate", request("u-9", US, 9));
        assertFailure(
                hardUpdate(document ->
                        setGroups(document, "customerGroup", "channel", "region", "orderType")),
                409);
        success("unallocate", request("u-1", US, 1));

        IvsClient.Response reordered = hardUpdate(
                document -> setGroups(document, "customerGroup", "channel", "region", "orderType"));

        assertThat(reordered.status()).as(reordered.body()).isEqualTo(200);
        success("allocate", request("a", Map.of("customerGroup", "VIP"), 4));
        assertThat(ata()).isEqualTo("26");
    }

    @Test
    void hardUpdate_appendingGroupLevelWithBuckets_isAccepted() {
        allocatedTen();

        IvsClient.Response appended = hardUpdate(document ->
                setGroups(document, "channel", "customerGroup", "region", "orderType", "priority"));

        assertThat(appended.status()).as(appended.body()).isEqualTo(200);
        assertThat(bucket(US)).isEqualTo(balance(10, 0, 10, 0));
        Map<String, String> five = new LinkedHashMap<>(US);
        five.put("orderType", "Rush");
        five.put("priority", "High");
        success("allocate", request("a5", five, 2));
        assertThat(buckets(RED, US)).containsOnlyKeys("Online/VIP/US", "Online/VIP/US/Rush/High");
        assertThat(ata()).isEqualTo("18");
    }
}
