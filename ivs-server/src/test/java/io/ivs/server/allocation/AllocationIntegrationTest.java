package io.ivs.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Inventory allocation over HTTP against real PostgreSQL: the worked chains of spec B.6.1 to
 * B.6.3 with every number checked, the state model of B.5, exact-dimension and prefix-group
 * queries (B.4.5, C-B5) and idempotent replay by event id (C-B11).
 */
class AllocationIntegrationTest extends AllocationTestSupport {

    /** Asserts the named measures of the red bike record; a measure not stored counts as 0. */
    private void assertRecord(String... pairs) {
        Map<String, String> all = onHand();
        Map<String, String> actual = new TreeMap<>();
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            expected.put(pairs[i], pairs[i + 1]);
            actual.put(pairs[i], all.getOrDefault(pairs[i], "0"));
        }
        assertThat(actual).as("record measures %s", all).isEqualTo(expected);
    }

    /** The reservations held for the bike, as the admin holdings endpoint lists them. */
    private JsonNode reservations() {
        IvsClient.Response response =
                client.get("/admin/environments/" + env + "/reservations?productId=" + BIKE);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    // --- B.6.1 ------------------------------------------------------------------------------

    @Test
    void docChain_stepsZeroToFive_matchEveryColumn() {
        // B.6.1 uses ATA = ATR = fno.onordered + pos.inbound - iv.softreserved - @iv.@allocated
        // with fno.onordered = 0. fno can only be written by the ERP integration, not through
        // the API, so the formula here is +pos.inbound -iv.softreserved -@iv.@allocated.
        enableAllocationWithPosSupply();

        // step 0: initial, pos.inbound 30
        stock("s0", RED, "pos", "inbound", 30);
        assertThat(buckets()).isEmpty();
        assertRecord(
                "@iv.@allocated", "0",
                "pos.inbound", "30",
                "iv.softreserved", "0",
                "@iv.@available_to_allocate", "30",
                "iv.availabletoreserve", "30");

        // step 1: allocate 10 -> [Online, VIP, US]
        JsonNode allocated = success("allocate", request("test101", US, 10));
        assertThat(allocated.path("message").asString()).isEmpty();
        assertThat(allocated.has("reservationId")).isFalse();
        assertThat(buckets()).isEqualTo(Map.of("Online/VIP/US", balance(10, 0, 10, 0)));
        assertRecord(
                "@iv.@allocated", "10",
                "@iv.@cumulative_allocated", "10",
                "@iv.@consumed", "0",
                "@iv.@cumulative_consumed", "0",
                "pos.inbound", "30",
                "iv.softreserved", "0",
                "@iv.@available_to_allocate", "20",
                "iv.availabletoreserve", "20");

        // step 2: reallocate 2 US -> EU; the pool does not move
        success("reallocate", reallocation("test102", US, EU, 2));
        assertThat(buckets())
                .isEqualTo(Map.of(
                        "Online/VIP/US", balance(8, 0, 10, 0),
                        "Online/VIP/EU", balance(2, 0, 2, 0)));
        assertRecord(
                "@iv.@allocated", "10",
                "@iv.@cumulative_allocated", "12",
                "@iv.@consumed", "0",
                "pos.inbound", "30",
                "iv.softreserved", "0",
                "@iv.@available_to_allocate", "20",
                "iv.availabletoreserve", "20");

        // step 3: consume 3 US with pos.inbound Subtraction: on-hand change pos.inbound -3
        JsonNode consumed =
                success("consume", consumption("test103", US, 3, "pos", "inbound", "Subtraction"));
        assertThat(consumed.has("reservationId")).as(consumed.toString()).isFalse();
        assertThat(buckets())
                .isEqualTo(Map.of(
                        "Online/VIP/US", balance(5, 3, 10, 3),
                        "Online/VIP/EU", balance(2, 0, 2, 0)));
        assertRecord(
                "@iv.@allocated", "7",
                "@iv.@cumulative_allocated", "12",
                "@iv.@consumed", "3",
                "@iv.@cumulative_consumed", "3",
                "pos.inbound", "27",
                "iv.softreserved", "0",
                "@iv.@available_to_allocate", "20",
                "iv.availabletoreserve", "20");
        assertThat(reservations()).isEmpty();

        // step 4: consume 3 US as a soft reservation (iv.softreserved Addition)
        JsonNode reserved =
                success("consume", consumption("test104", US, 3, "iv", "softreserved", "Addition"));
        String reservationId = reserved.path("reservationId").asString();
        assertThat(reservationId).as(reserved.toString()).isNotBlank();
        assertThat(buckets())
                .isEqualTo(Map.of(
                        "Online/VIP/US", balance(2, 6, 10, 6),
                        "Online/VIP/EU", balance(2, 0, 2, 0)));
        assertRecord(
                "@iv.@allocated", "4",
                "@iv.@cumulative_allocated", "12",
                "@iv.@consumed", "6",
                "@iv.@cumulative_consumed", "6",
                "pos.inbound", "27",
                "iv.softreserved", "3",
                "@iv.@available_to_allocate", "20",
                "iv.availabletoreserve", "20");
        JsonNode holdings = reservations();
        assertThat(holdings).as(holdings.toString()).hasSize(1);
        JsonNode holding = holdings.get(0);
        assertThat(holding.path("reservationId").asString()).isEqualTo(reservationId);
        assertThat(holding.path("organizationId").asString()).isEqualTo(ORG);
        assertThat(holding.path("dataSource").asString()).isEqualTo("iv");
        assertThat(holding.path("measure").asString()).isEqualTo("softreserved");
        assertThat(holding.path("quantity").asString()).isEqualTo("3");

        // step 5 [derived]: unallocate 2 US; the pool gets them back
        success("unallocate", request("test105", US, 2));
        assertThat(buckets())
                .isEqualTo(Map.of(
                        "Online/VIP/US", balance(0, 6, 10, 6),
                        "Online/VIP/EU", balance(2, 0, 2, 0)));
        assertRecord(
                "@iv.@allocated", "2",
                "@iv.@cumulative_allocated", "12",
                "@iv.@consumed", "6",
                "@iv.@cumulative_consumed", "6",
                "pos.inbound", "27",
                "iv.softreserved", "3",
                "@iv.@available_to_allocate", "22",
                "iv.availabletoreserve", "22");
        assertThat(reservations()).hasSize(1);
    }

    // --- B.6.2 and B.6.3 --------------------------------------------------------------------

    /**
     * The doc formula {@code fno.onordered + pos.inbound − …}: {@code fno} cannot be written
     * through the API, so {@code iom.onorder} carries the 5 the doc example gives
     * {@code fno.onordered}; {@code fno.onorder} stays in the formula and counts 0.
     */
    private void enableAllocationWithTwoSupplies(boolean withSoftReserved) {
        enableAllocation(
                new String[] {"fno.onorder", "iom.onorder", "pos.inbound"},
                withSoftReserved
                        ? new String[] {"iv.softreserved", "@iv.@allocated"}
                        : new String[] {"@iv.@allocated"});
        stock("supply-1", RED, "iom", "onorder", 5);
        stock("supply-2", RED, "pos", "inbound", 20);
    }

    @Test
    void consume_docExampleWithPosInboundSubtraction_keepsAvailableToAllocate() {
        enableAllocationWithTwoSupplies(false);
        success("allocate", request("a-8", US, 8));
        assertThat(ata()).isEqualTo("17");

        success("consume", consumption("c-3", US, 3, "pos", "inbound", "Subtraction"));

        assertThat(bucket(US)).isEqualTo(balance(5, 3, 8, 3));
        assertRecord(
                "@iv.@allocated", "5",
                "iom.onorder", "5",
                "pos.inbound", "17",
                "@iv.@available_to_allocate", "17");
    }

    @Test
    void consume_docExampleAsSoftReservation_keepsAvailableToReserve() {
        enableAllocationWithTwoSupplies(true);
        success("allocate", request("a-8", US, 8));
        assertRecord("iv.availabletoreserve", "17", "@iv.@available_to_allocate", "17");

        JsonNode answer =
                success("consume", consumption("c-3", US, 3, "iv", "softreserved", "Addition"));

        assertThat(answer.path("reservationId").asString()).isNotBlank();
        assertThat(bucket(US)).isEqualTo(balance(5, 3, 8, 3));
        assertRecord(
                "@iv.@allocated", "5",
                "iv.softreserved", "3",
                "pos.inbound", "20",
                "iv.availabletoreserve", "17",
                "@iv.@available_to_allocate", "17");
        assertThat(reservations()).hasSize(1);
    }

    // --- further B.5 / C-B3 / C-B8 / C-B9 effects -------------------------------------------

    @Test
    void consume_withoutPhysicalMeasures_movesQuotaToConsumedAndRaisesPool() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a", US, 10));

        success("consume", request("c", US, 4));

        assertThat(bucket(US)).isEqualTo(balance(6, 4, 10, 4));
        assertRecord(
                "@iv.@allocated", "6",
                "@iv.@consumed", "4",
                "@iv.@cumulative_consumed", "4",
                "pos.inbound", "30",
                "@iv.@available_to_allocate", "24");
    }

    @Test
    void consume_namingIvConsumed_countsConsumedOnce() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a", US, 10));

        success("consume", consumption("c", US, 2, "@iv", "@consumed", "Addition"));

        assertThat(bucket(US)).isEqualTo(balance(8, 2, 10, 2));
        assertRecord(
                "@iv.@allocated", "8",
                "@iv.@consumed", "2",
                "@iv.@cumulative_consumed", "2");
    }

    @Test
    void allocate_groupNamesInOtherCaseAndTargetGroupsAlias_hitTheSameBucket() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        Map<String, Object> mixedCase = request(
                "a-1", Map.of("CHANNEL", "Online", "customergroup", "VIP", "Region", "US"), 3);
        success("allocate", mixedCase);
        Map<String, Object> alias = request("a-2", US, 4);
        alias.put("targetGroups", alias.remove("groups"));
        success("allocate", alias);

        assertThat(buckets()).isEqualTo(Map.of("Online/VIP/US", balance(7, 0, 7, 0)));
        assertThat(ata()).isEqualTo("23");
    }

    @Test
    void reallocate_parentToChild_keepsBothBucketsSeparate() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        Map<String, String> parent = groups("Online", "VIP");
        success("allocate", request("a", parent, 9));

        success("reallocate", reallocation("r", parent, EU, 4));

        assertThat(buckets())
                .isEqualTo(Map.of(
                        "Online/VIP", balance(5, 0, 9, 0),
                        "Online/VIP/EU", balance(4, 0, 4, 0)));
        assertRecord("@iv.@allocated", "9", "@iv.@available_to_allocate", "21");
    }

    // --- query --------------------------------------------------------------------------------

    @Test
    void query_atOtherDimensionSets_returnsNothing() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a", US, 5));

        assertThat(buckets(RED, Map.of())).containsOnlyKeys("Online/VIP/US");
        assertThat(buckets(dims("siteId", "1", "locationId", "11"), Map.of())).isEmpty();
        assertThat(buckets(
                        dims("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "S"),
                        Map.of()))
                .isEmpty();
        assertThat(buckets(dims("siteId", "1", "locationId", "11", "colorId", "blue"), US))
                .isEmpty();
    }

    @Test
    void query_allocationAtSiteAndLocation_isSeparateFromTheColourLevel() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        Map<String, Object> siteLevel = dims("siteId", "1", "locationId", "11");
        success("allocate", request("a-1", siteLevel, US, 6));
        success("allocate", request("a-2", EU, 2));

        assertThat(buckets(siteLevel, Map.of()))
                .isEqualTo(Map.of("Online/VIP/US", balance(6, 0, 6, 0)));
        assertThat(buckets(RED, Map.of())).isEqualTo(Map.of("Online/VIP/EU", balance(2, 0, 2, 0)));
    }

    @Test
    void query_groupPrefixes_matchEveryPathBelowThePrefix() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a-1", US, 4));
        success("allocate", request("a-2", EU, 3));
        success("allocate", request("a-3", groups("Online"), 2));
        success("allocate", request("a-4", groups("Store"), 1));
        success("allocate", request("a-5", groups("Online", "VIP", "US", "Rush"), 1));

        assertThat(buckets(RED, Map.of()))
                .containsOnlyKeys(
                        "Online/VIP/US", "Online/VIP/EU", "Online", "Store", "Online/VIP/US/Rush");
        assertThat(buckets(RED, groups("Online")))
                .containsOnlyKeys("Online/VIP/US", "Online/VIP/EU", "Online", "Online/VIP/US/Rush");
        assertThat(buckets(RED, US)).containsOnlyKeys("Online/VIP/US", "Online/VIP/US/Rush");
        assertThat(buckets(RED, groups("Online", "VIP", "US", "Rush")))
                .isEqualTo(Map.of("Online/VIP/US/Rush", balance(1, 0, 1, 0)));
        assertThat(buckets(RED, groups("Outlet"))).isEmpty();
        assertThat(buckets(RED, groups("Online", "Retail"))).isEmpty();
        assertThat(buckets(RED, US).get("Online/VIP/US")).isEqualTo(balance(4, 0, 4, 0));
    }

    @Test
    void query_groupsWithGap_isRejected() {
        enableAllocationWithPosSupply();

        IvsClient.Response response =
                queryResponse(RED, Map.of("channel", "Online", "region", "US"));

        assertFailure(response, 400, "customerGroup");
    }

    // --- idempotency ------------------------------------------------------------------------

    /** Sends the same body again and a changed body with the same id. */
    private void assertIdempotent(
            String operation, Map<String, Object> body, JsonNode first, Map<String, Object> other) {
        IvsClient.Response again = write(operation, body);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first);

        IvsClient.Response conflict = write(operation, other);
        assertFailure(conflict, 409, "already used");
        assertThat(conflict.json().path("id").asString()).isEqualTo(body.get("id"));
    }

    @Test
    void allocate_retriedAndReused_appliesOnceAndRejectsOtherContent() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        Map<String, Object> body = request("a-1", US, 30);
        JsonNode first = success("allocate", body);

        // the pool is empty now, yet the retry answers as the first time did
        assertIdempotent("allocate", body, first, request("a-1", US, 29));
        assertIdempotent("allocate", body, first, request("a-1", EU, 30));

        assertThat(buckets()).isEqualTo(Map.of("Online/VIP/US", balance(30, 0, 30, 0)));
        assertRecord("@iv.@allocated", "30", "@iv.@available_to_allocate", "0");
    }

    @Test
    void unallocate_retriedAndReused_appliesOnceAndRejectsOtherContent() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a-1", US, 10));
        Map<String, Object> body = request("u-1", US, 4);
        JsonNode first = success("unallocate", body);

        assertIdempotent("unallocate", body, first, request("u-1", US, 5));

        assertThat(bucket(US)).isEqualTo(balance(6, 0, 10, 0));
        assertRecord("@iv.@allocated", "6", "@iv.@available_to_allocate", "24");
    }

    @Test
    void reallocate_retriedAndReused_appliesOnceAndRejectsOtherContent() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a-1", US, 10));
        Map<String, Object> body = reallocation("r-1", US, EU, 2);
        JsonNode first = success("reallocate", body);

        assertIdempotent(
                "reallocate", body, first, reallocation("r-1", US, groups("Online", "VIP"), 2));

        assertThat(buckets())
                .isEqualTo(Map.of(
                        "Online/VIP/US", balance(8, 0, 10, 0),
                        "Online/VIP/EU", balance(2, 0, 2, 0)));
        assertRecord(
                "@iv.@allocated", "10",
                "@iv.@cumulative_allocated", "12",
                "@iv.@available_to_allocate", "20");
    }

    @Test
    void consume_retriedAndReused_appliesOnceWithTheSameReservation() {
        enableAllocationWithPosSupply();
        stock("s0", RED, "pos", "inbound", 30);
        success("allocate", request("a-1", US, 10));
        Map<String, Object> body = consumption("c-1", US, 3, "iv", "softreserved", "Addition");
        JsonNode first = success("consume", body);
        assertThat(first.path("reservationId").asString()).isNotBlank();

        assertIdempotent(
                "consume", body, first, consumption("c-1", US, 3, "pos", "inbound", "Subtraction"));

        assertThat(bucket(US)).isEqualTo(balance(7, 3, 10, 3));
        assertRecord(
                "@iv.@allocated", "7",
                "@iv.@consumed", "3",
                "iv.softreserved", "3",
                "pos.inbound", "30",
                "@iv.@available_to_allocate", "20");
        JsonNode holdings = reservations();
        assertThat(holdings).hasSize(1);
        assertThat(holdings.get(0).path("quantity").asString()).isEqualTo("3");
    }
}
