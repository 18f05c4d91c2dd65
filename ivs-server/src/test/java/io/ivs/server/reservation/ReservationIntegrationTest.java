package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Soft reservations over HTTP (spec §2.4, §2.14 e, §3.9; A7, A8, A10, A11, A26): the documented
 * AFR table and EX sequence with every number checked, level independence, reservation ids,
 * both request forms, the feature switch, dimension rules, fno, idempotency and clean-up.
 */
class ReservationIntegrationTest extends ReservationTestSupport {
    private static final Map<String, Object> RED = level("Red", null);

    /** §2.4: D0002 at (1, 11, Red) with AFR 70 + 50 - 20 - 90 = 10. */
    private String seedAfrExample() {
        configureAfr();
        stock("s-1", "D0002", RED, "erp", "unrestricted", 70);
        stock("s-2", "D0002", RED, "pos", "inbound", 50);
        stock("s-3", "D0002", RED, "pos", "outbound", 20);
        String id = reserveOk(reserveBody("init-90", "D0002", RED, 90, false));
        assertThat(reserved("D0002", RED)).isEqualTo("90");
        assertThat(afr("D0002", RED)).isEqualTo("10");
        return id;
    }

    private void step(
            String id, int quantity, boolean check, int status, String physical, String afr) {
        IvsClient.Response response = reserve(reserveBody(id, "D0002", RED, quantity, check));
        assertThat(response.status()).as("%s: %s", id, response.body()).isEqualTo(status);
        assertThat(response.json().path("statusCode").asInt())
                .as(response.body())
                .isEqualTo(status);
        assertThat(response.json().path("processingStatus").asString())
                .as(response.body())
                .isEqualTo(status == 200 ? "success" : "failure");
        assertThat(response.json().path("id").asString()).isEqualTo("ohre~" + id);
        assertThat(reserved("D0002", RED))
                .as("softreservphysical after %s", id)
                .isEqualTo(physical);
        assertThat(afr("D0002", RED)).as("availabletoreserve after %s", id).isEqualTo(afr);
    }

    @Test
    void reserve_afrTableOfSection24_everyStepMatches() {
        seedAfrExample();

        step("afr-1", 4, true, 200, "94", "6");
        step("afr-2", 7, true, 500, "94", "6");
        step("afr-3", 6, true, 200, "100", "0");
        step("afr-4", 5, false, 200, "105", "-5");
        step("afr-5", -5, false, 200, "100", "0");
        step("afr-6", -5, true, 500, "100", "0");

        // Physical stock is untouched by reservations: only AFR moved.
        Map<String, String> row = at("D0002", RED);
        assertThat(row)
                .containsEntry("erp.unrestricted", "70")
                .containsEntry("pos.inbound", "50")
                .containsEntry("pos.outbound", "20");
    }

    @Test
    void reserve_insufficient_failureEnvelopeNamesAvailableQuantity() {
        String reservationId = seedAfrExample();

        IvsClient.Response response = reserve(reserveBody("too-many", "D0002", RED, 11, true));

        assertFailure(response, 500, INSUFFICIENT, "availabletoreserve", "10", "11");
        assertThat(response.json().path("reservationId").asString()).isEqualTo(reservationId);
        assertThat(reserved("D0002", RED)).isEqualTo("90");
    }

    @Test
    void reserve_negativeWithCheck_is500AndChangesNothing() {
        seedAfrExample();

        IvsClient.Response response = reserve(reserveBody("neg", "D0002", RED, -1, true));

        assertFailure(response, 500, "ifCheckAvailForReserv");
        assertThat(reserved("D0002", RED)).isEqualTo("90");
    }

    @Test
    void reserve_exSequenceOnAtIvWithNonFnoBase_matchesStatuses() {
        configure(document -> {
            ObjectNode atIv =
                    (ObjectNode) document.get("inventorySystemConfigurations").get("@iv");
            calculated(atIv, "@available_to_reserve", new String[] {"iom.onhand"}, new String[] {
                "@iv.@softreserved"
            });
            atIv.putObject("reservMappings").put("@softreserved", "@iv.@available_to_reserve");
            enableReservations(document, 0);
        });
        stock("ex-0", "EX", RED, "iom", "onhand", 10);

        // quantity, checked (1) or not (0), status, @iv.@softreserved after, AFR after
        int[][] steps = {
            {100, 1, 500, 0, 10},
            {100, 0, 200, 100, -90},
            {-100, 1, 500, 100, -90},
            {-100, 0, 200, 0, 10}
        };
        for (int i = 0; i < steps.length; i++) {
            int[] s = steps[i];
            IvsClient.Response response = reserve(reserveBody(
                    "ex-" + (i + 1), "EX", RED, "@iv", "@softreserved", s[0], s[1] == 1));
            assertThat(response.status())
                    .as("step %d: %s", i + 1, response.body())
                    .isEqualTo(s[2]);
            assertThat(response.json().path("statusCode").asInt()).isEqualTo(s[2]);
            Map<String, String> row = at("EX", RED);
            assertThat(row.getOrDefault("@iv.@softreserved", "0"))
                    .as("step %d", i + 1)
                    .isEqualTo(String.valueOf(s[3]));
            assertThat(row.get("@iv.@available_to_reserve"))
                    .as("step %d", i + 1)
                    .isEqualTo(String.valueOf(s[4]));
        }
    }

    /** §2.14 (e): AFR = iom.onhand - iv.softreserved; (1,11,Red,S) 6 and (1,11,Red,L) 4. */
    private void seedLevels() {
        configure(document -> {
            ObjectNode iv = ivDataSource(document);
            calculated(iv, "availabletoreserve", new String[] {"iom.onhand"}, new String[] {
                "iv.softreserved"
            });
            iv.putObject("reservMappings").put("softreserved", "iv.availabletoreserve");
            enableReservations(document, 0);
        });
        stock("lv-s", "P-E", level("Red", "S"), "iom", "onhand", 6);
        stock("lv-l", "P-E", level("Red", "L"), "iom", "onhand", 4);
    }

    private Map<String, Object> levelReserve(String id, Map<String, Object> dims, int quantity) {
        return reserveBody(id, "P-E", dims, "iv", "softreserved", quantity, true);
    }

    @Test
    void reserve_levelIndependenceOfSection214e_coarserLevelSeesFinerReservations() {
        seedLevels();
        Map<String, Object> redS = level("Red", "S");
        assertThat(at("P-E", RED).get("iv.availabletoreserve")).isEqualTo("10");

        String colorLevel = reserveOk(levelReserve("e-1", RED, 3));
        assertThat(at("P-E", RED))
                .containsEntry("iv.softreserved", "3")
                .containsEntry("iv.availabletoreserve", "7");
        // The color-level reservation is not seen at size level.
        assertThat(at("P-E", redS).get("iv.availabletoreserve")).isEqualTo("6");

        String sizeLevel = reserveOk(levelReserve("e-2", redS, 6));
        assertThat(at("P-E", redS))
                .containsEntry("iv.softreserved", "6")
                .containsEntry("iv.availabletoreserve", "0");
        assertThat(at("P-E", level("Red", "L")).get("iv.availabletoreserve")).isEqualTo("4");
        assertThat(at("P-E", RED).get("iv.availabletoreserve")).isEqualTo("1");

        IvsClient.Response eight = reserve(levelReserve("e-3", RED, 8));
        assertFailure(eight, 500, INSUFFICIENT, "is 1 ", "8 requested");
        assertThat(at("P-E", RED))
                .containsEntry("iv.softreserved", "9")
                .containsEntry("iv.availabletoreserve", "1");

        // Ids: one per level; the size-level one differs from the color-level one.
        assertThat(sizeLevel).isNotEqualTo(colorLevel);
        assertThat(eight.json().path("reservationId").asString()).isEqualTo(colorLevel);
        // The last unit at color level is still there: exactly 1 fits.
        assertThat(reserveOk(levelReserve("e-4", RED, 1))).isEqualTo(colorLevel);
        assertThat(at("P-E", RED).get("iv.availabletoreserve")).isEqualTo("0");
        assertThat(held("?productId=P-E")).isEqualTo(Map.of(colorLevel, "4", sizeLevel, "6"));
    }

    @Test
    void reserve_sameLevelTwice_sharesIdAndOtherLevelsOrProductsDiffer() {
        configureAfr();
        stock("s-1", "P1", level("Red", "S"), "erp", "unrestricted", 100);
        stock("s-2", "P2", level("Red", "S"), "erp", "unrestricted", 100);

        String first = reserveOk(reserveBody("a", "P1", RED, 1, true));
        String again = reserveOk(reserveBody("b", "P1", level("Red", null), 2, true));
        String size = reserveOk(reserveBody("c", "P1", level("Red", "S"), 1, true));
        String warehouse = reserveOk(reserveBody("d", "P1", level(null, null), 1, true));
        String otherProduct = reserveOk(reserveBody("e", "P2", RED, 1, true));
        // Dimension keys are matched case-insensitively and ordered: still the same level.
        String reordered = reserveOk(reserveBody(
                "f",
                "P1",
                IvsClient.map("COLORID", "Red", "locationid", "11", "SiteId", "1"),
                1,
                true));

        assertThat(again).isEqualTo(first);
        assertThat(reordered).isEqualTo(first);
        assertThat(List.of(first, size, warehouse, otherProduct)).doesNotHaveDuplicates();
        assertThat(held("?productId=P1")).isEqualTo(Map.of(first, "4", size, "1", warehouse, "1"));
    }

    @Test
    void reserve_quantitiesMapForm_isEquivalentToModifierForm() {
        seedAfrExample();
        Map<String, Object> mapForm = IvsClient.map(
                "id",
                "map-1",
                "organizationId",
                ORG,
                "productId",
                "D0002",
                "dimensions",
                RED,
                "quantities",
                IvsClient.map("iv", IvsClient.map("softreservphysical", 4)));
        Map<String, Object> both = reserveBody("both-1", "D0002", RED, 3, true);
        both.put("quantities", IvsClient.map("iv", IvsClient.map("softreservphysical", "3")));

        String viaMap = reserveOk(mapForm);
        String viaBoth = reserveOk(both);
        Map<String, Object> sameSource = new LinkedHashMap<>(mapForm);
        sameSource.put("id", "map-3");
        sameSource.put("quantityDataSource", "IV");
        sameSource.put("quantities", IvsClient.map("iv", IvsClient.map("softreservphysical", 1)));
        String viaSameSource = reserveOk(sameSource);

        assertThat(viaMap).isEqualTo(viaBoth).isEqualTo(viaSameSource);
        assertThat(reserved("D0002", RED)).isEqualTo("98");
        assertThat(afr("D0002", RED)).isEqualTo("2");
        // The map form is checked too (default ifCheckAvailForReserv true).
        mapForm.put("id", "map-2");
        assertFailure(reserve(mapForm), 500, INSUFFICIENT);
        assertThat(reserved("D0002", RED)).isEqualTo("98");
    }

    @Test
    void reserve_formsDisagreeOrMapHoldsTwoMeasures_is400AndChangesNothing() {
        seedAfrExample();
        Map<String, Object> otherQuantity = reserveBody("x-1", "D0002", RED, 3, true);
        otherQuantity.put(
                "quantities", IvsClient.map("iv", IvsClient.map("softreservphysical", 4)));
        Map<String, Object> otherMeasure = reserveBody("x-2", "D0002", RED, 3, true);
        otherMeasure.put("quantities", IvsClient.map("iv", IvsClient.map("softreserved", 3)));
        Map<String, Object> twoMeasures = IvsClient.map(
                "id",
                "x-3",
                "organizationId",
                ORG,
                "productId",
                "D0002",
                "dimensions",
                RED,
                "quantities",
                IvsClient.map("iv", IvsClient.map("softreservphysical", 1, "softreserved", 1)));
        Map<String, Object> neither = IvsClient.map(
                "id", "x-4", "organizationId", ORG, "productId", "D0002", "dimensions", RED);
        Map<String, Object> otherDataSource = IvsClient.map(
                "id",
                "x-5",
                "organizationId",
                ORG,
                "productId",
                "D0002",
                "dimensions",
                RED,
                "quantityDataSource",
                "pos",
                "quantities",
                IvsClient.map("iv", IvsClient.map("softreservphysical", 1)));

        assertFailure(reserve(otherQuantity), 400, "quantities");
        assertFailure(reserve(otherMeasure), 400, "quantities");
        assertFailure(reserve(twoMeasures), 400, "quantities", "exactly one measure");
        // A data source named without measures is still a quantities form, not an absent one.
        twoMeasures.put("id", "x-6");
        twoMeasures.put("quantities", IvsClient.map("iv", IvsClient.map()));
        assertFailure(reserve(twoMeasures), 400, "quantities", "exactly one measure");
        assertFailure(reserve(neither), 400, "modifier");
        assertFailure(reserve(otherDataSource), 400, "quantityDataSource");
        assertThat(reserved("D0002", RED)).isEqualTo("90");
        assertThat(at("D0002", RED)).doesNotContainKey("iv.softreserved");
    }

    @Test
    void reserveAndUnreserve_featureOff_is400NamingTheSwitch() {
        // The default configuration has isReservEnabled false.
        stock("s-1", "P1", RED, "iom", "onhand", 10);

        IvsClient.Response single =
                reserve(reserveBody("r-1", "P1", RED, "iv", "softreserved", 1, true));
        IvsClient.Response unchecked =
                reserve(reserveBody("r-2", "P1", RED, "iv", "softreserved", 1, false));
        IvsClient.Response undo = unreserve(unreserveBody("u-1", "P1", RED, "any", 1));
        IvsClient.Response bulk = client.post(
                api("/onhand/reserve/bulk"),
                IvsClient.json(
                        List.of(reserveBody("r-3", "P1", RED, "iv", "softreserved", 1, true))));

        assertFailure(single, 400, "isReservEnabled");
        assertFailure(unchecked, 400, "isReservEnabled");
        assertFailure(undo, 400, "isReservEnabled");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.json().get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(bulk.json().get(0).path("message").asString()).contains("isReservEnabled");
        assertThat(at("P1", RED)).doesNotContainKey("iv.softreserved");
        assertThat(holdings("")).isEmpty();
    }

    @Test
    void reserve_strictVersion0_dimensionOutsideKeysIs400NamingIt() {
        seedAfrExample();
        Map<String, Object> style = level("Red", null);
        style.put("styleId", "Wide");
        Map<String, Object> emptyStyle = level("Red", null);
        emptyStyle.put("styleId", "");
        Map<String, Object> unknown = level("Red", null);
        unknown.put("bogusdim", "x");

        assertFailure(
                reserve(reserveBody("d-1", "D0002", style, 1, true)),
                400,
                "StyleId",
                "reservConfiguration.keys");
        assertFailure(reserve(reserveBody("d-2", "D0002", emptyStyle, 1, false)), 400, "StyleId");
        assertFailure(reserve(reserveBody("d-3", "D0002", unknown, 1, false)), 400, "bogusdim");
        assertThat(reserved("D0002", RED)).isEqualTo("90");
    }

    @Test
    void reserve_lenientVersion1_ignoresUnlistedAndUnknownDimensions() {
        String colorLevel = seedAfrExample();
        configure(document -> enableReservations(document, 1));
        Map<String, Object> extra = level("Red", null);
        extra.put("styleId", "Wide");
        extra.put("bogusdim", "x");

        String id = reserveOk(reserveBody("d-1", "D0002", extra, 4, true));

        assertThat(id).isEqualTo(colorLevel);
        assertThat(reserved("D0002", RED)).isEqualTo("94");
        assertThat(afr("D0002", RED)).isEqualTo("6");
        JsonNode holding = holdings("?reservationId=" + id).get(0);
        assertThat(holding.path("dimensions").properties().stream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("siteid", "locationid", "colorid");
        assertThat(holding.path("quantity").asString()).isEqualTo("94");
    }

    @Test
    void reserve_missingSiteOrLocation_is500NamingItAsTheOriginalAnswers() {
        seedAfrExample();

        IvsClient.Response noSite = reserve(reserveBody(
                "m-1", "D0002", IvsClient.map("locationId", "11", "colorId", "Red"), 1, true));
        IvsClient.Response noLocation = reserve(reserveBody(
                "m-2", "D0002", IvsClient.map("siteId", "1", "colorId", "Red"), 1, false));
        IvsClient.Response blankSite = reserve(reserveBody(
                "m-3", "D0002", IvsClient.map("siteId", " ", "locationId", "11"), 1, false));

        assertFailure(noSite, 500, "siteId", "by-location");
        assertFailure(noLocation, 500, "locationId", "by-location");
        assertFailure(blankSite, 500, "siteId");
        assertThat(reserved("D0002", RED)).isEqualTo("90");
    }

    @Test
    void reserve_onFno_is403InBothForms() {
        seedAfrExample();
        Map<String, Object> mapForm = IvsClient.map(
                "id",
                "f-2",
                "organizationId",
                ORG,
                "productId",
                "D0002",
                "dimensions",
                RED,
                "quantities",
                IvsClient.map("fno", IvsClient.map("softreserved", 1)),
                "ifCheckAvailForReserv",
                false);

        assertFailure(
                reserve(reserveBody("f-1", "D0002", RED, "fno", "softreserved", 1, false)),
                403,
                "fno");
        assertFailure(reserve(mapForm), 403, "fno");
        assertThat(at("D0002", RED)).doesNotContainKey("fno.softreserved");
    }

    @Test
    void reserve_unconfiguredMeasureOrMissingMapping_is400() {
        seedAfrExample();

        IvsClient.Response unknownMeasure =
                reserve(reserveBody("u-1", "D0002", RED, "iv", "nosuch", 1, false));
        IvsClient.Response unknownSource =
                reserve(reserveBody("u-2", "D0002", RED, "nosuchds", "x", 1, false));
        // iv.ordered is a physical measure without a reservation mapping.
        IvsClient.Response unmappedChecked =
                reserve(reserveBody("u-3", "D0002", RED, "iv", "ordered", 1, true));
        IvsClient.Response zero = reserve(reserveBody("u-4", "D0002", RED, 0, false));

        assertFailure(unknownMeasure, 400, "nosuch");
        assertFailure(unknownSource, 400, "nosuchds");
        assertFailure(unmappedChecked, 400, "reservMappings");
        assertFailure(zero, 400, "quantity");
        assertThat(at("D0002", RED)).doesNotContainKey("iv.ordered");
        // Unchecked, the unmapped measure is accepted.
        reserveOk(reserveBody("u-5", "D0002", RED, "iv", "ordered", 2, false));
        assertThat(at("D0002", RED)).containsEntry("iv.ordered", "2");
    }

    @Test
    void reserve_sameEventIdRetried_returnsOriginalAnswerAndCountsOnce() {
        seedAfrExample();
        Map<String, Object> body = reserveBody("retry-1", "D0002", RED, 4, true);

        IvsClient.Response first = reserve(body);
        IvsClient.Response second = reserve(body);

        assertSuccess(first, "ohre~retry-1");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(reserved("D0002", RED)).isEqualTo("94");
        assertThat(afr("D0002", RED)).isEqualTo("6");
    }

    @Test
    void reserve_sameEventIdRetriedWithEquivalentNumbers_isARetryNotAConflict() {
        seedAfrExample();
        IvsClient.Response first = reserve(reserveBody("num-1", "D0002", RED, 4, true));

        IvsClient.Response asString = reserve(reserveBody("num-1", "D0002", RED, "4", true));
        IvsClient.Response withZeros = reserve(reserveBody("num-1", "D0002", RED, 4.00, true));
        Map<String, Object> text = reserveBody("num-1", "D0002", RED, "4.000", true);
        text.put("ifCheckAvailForReserv", "true");
        IvsClient.Response asText = reserve(text);

        assertSuccess(first, "ohre~num-1");
        for (IvsClient.Response retry : List.of(asString, withZeros, asText)) {
            assertThat(retry.status()).as(retry.body()).isEqualTo(200);
            assertThat(retry.json()).isEqualTo(first.json());
        }
        assertThat(reserved("D0002", RED)).isEqualTo("94");
    }

    @Test
    void reserve_withDimensionDataSource_customNamesResolveToTheSameLevel() {
        String colorLevel = seedAfrExample();
        configure(document -> {
            ObjectNode mappings = (ObjectNode) document.get("inventorySystemConfigurations")
                    .get("pos")
                    .get("dimensionMappings");
            mappings.put("PosSiteId", "siteid");
            mappings.put("PosLocationId", "locationid");
            mappings.put("PosColorId", "colorid");
        });
        Map<String, Object> body = reserveBody(
                "dds-1",
                "D0002",
                IvsClient.map("PosSiteId", "1", "PosLocationId", "11", "PosColorId", "Red"),
                4,
                true);
        body.put("dimensionDataSource", "pos");
        Map<String, Object> undo = unreserveBody(
                "dds-2",
                "D0002",
                IvsClient.map("PosSiteId", "1", "PosLocationId", "11", "colorId", "Red"),
                colorLevel,
                1);
        undo.put("dimensionDataSource", "pos");

        String id = reserveOk(body);
        IvsClient.Response released = unreserve(undo);

        assertThat(id).isEqualTo(colorLevel);
        assertThat(released.status()).as(released.body()).isEqualTo(200);
        assertThat(released.json().path("processingStatus").asString()).isEqualTo("success");
        assertThat(reserved("D0002", RED)).isEqualTo("93");
        assertThat(afr("D0002", RED)).isEqualTo("7");
    }

    @Test
    void reserve_sameEventIdOtherContent_is409AndChangesNothing() {
        seedAfrExample();
        reserveOk(reserveBody("dup", "D0002", RED, 4, true));

        IvsClient.Response otherQuantity = reserve(reserveBody("dup", "D0002", RED, 5, true));
        IvsClient.Response otherCheck = reserve(reserveBody("dup", "D0002", RED, 4, false));

        assertFailure(otherQuantity, 409, "dup");
        assertFailure(otherCheck, 409);
        assertThat(reserved("D0002", RED)).isEqualTo("94");
    }

    @Test
    void reserveBulk_sameEventIdTwiceInOneRequest_countsOnce() {
        seedAfrExample();
        Map<String, Object> item = reserveBody("twice", "D0002", RED, 2, true);
        Map<String, Object> clash = reserveBody("twice", "D0002", RED, 3, true);

        IvsClient.Response response = client.post(
                api("/onhand/reserve/bulk"), IvsClient.json(List.of(item, item, clash)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode items = response.json();
        assertThat(items.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(items.get(1)).isEqualTo(items.get(0));
        assertThat(items.get(2).path("statusCode").asInt()).as(response.body()).isEqualTo(409);
        assertThat(reserved("D0002", RED)).isEqualTo("92");
    }

    @Test
    void reserve_failedThenRestockedAndRetriedWithSameId_succeeds() {
        seedAfrExample();
        Map<String, Object> body = reserveBody("later", "D0002", RED, 20, true);

        assertFailure(reserve(body), 500, INSUFFICIENT);
        assertThat(afr("D0002", RED)).isEqualTo("10");
        stock("restock", "D0002", RED, "erp", "unrestricted", 15);
        IvsClient.Response retry = reserve(body);

        assertSuccess(retry, "ohre~later");
        assertThat(reserved("D0002", RED)).isEqualTo("110");
        assertThat(afr("D0002", RED)).isEqualTo("5");
        // And that success is now the remembered answer.
        assertThat(reserve(body).json()).isEqualTo(retry.json());
        assertThat(reserved("D0002", RED)).isEqualTo("110");
    }

    @Test
    void reserveBulk_earlierItemsOfSameRequestCount() {
        seedAfrExample();
        Map<String, Object> redS = level("Red", "S");
        List<Map<String, Object>> items = List.of(
                reserveBody("b-1", "D0002", RED, 6, true),
                reserveBody("b-2", "D0002", RED, 6, true),
                reserveBody("b-3", "D0002", RED, 4, true),
                reserveBody("b-4", "D0002", redS, 1, true),
                reserveBody("b-5", "D0002", RED, 1, true));

        IvsClient.Response response =
                client.post(api("/onhand/reserve/bulk"), IvsClient.json(items));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode item : response.json()) {
            statuses.add(item.path("statusCode").asInt());
            ids.add(item.path("id").asString());
        }
        // 6 of 10 fits, 6 more does not, 4 fits exactly; nothing stocked at size S: AFR there
        // is 0; the last unit at color level is gone too.
        assertThat(statuses).as(response.body()).containsExactly(200, 500, 200, 500, 500);
        assertThat(ids).containsExactly("ohre~b-1", "ohre~b-2", "ohre~b-3", "ohre~b-4", "ohre~b-5");
        assertThat(response.json().get(1).path("message").asString())
                .contains(INSUFFICIENT, "is 4");
        assertThat(reserved("D0002", RED)).isEqualTo("100");
        assertThat(afr("D0002", RED)).isEqualTo("0");
    }

    @Test
    void reserveBulk_moreThan512Items_is400AndChangesNothing() {
        seedAfrExample();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 513; i++) {
            items.add(reserveBody("big-" + i, "D0002", RED, 0.01, true));
        }

        IvsClient.Response response =
                client.post(api("/onhand/reserve/bulk"), IvsClient.json(items));

        assertFailure(response, 400, "512");
        assertThat(reserved("D0002", RED)).isEqualTo("90");
    }

    @Test
    void reserveBulk_exactly512Items_allProcessed() {
        seedAfrExample();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            items.add(reserveBody("fit-" + i, "D0002", RED, "0.01", true));
        }

        IvsClient.Response response =
                client.post(api("/onhand/reserve/bulk"), IvsClient.json(items));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().size()).isEqualTo(512);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).as(item.toString()).isEqualTo(200);
        }
        assertThat(reserved("D0002", RED)).isEqualTo("95.12");
        assertThat(afr("D0002", RED)).isEqualTo("4.88");
    }

    @Test
    void cleanupAllData_removesReservationsAndTheirIds() {
        String id = seedAfrExample();
        reserveOk(reserveBody("c-1", "D0002", RED, 4, true));
        assertThat(held("")).isEqualTo(Map.of(id, "94"));

        IvsClient.Response cleanup = client.delete(api("/cleanupalldata"), null);

        assertThat(cleanup.status()).as(cleanup.body()).isEqualTo(200);
        assertThat(holdings("")).isEmpty();
        assertThat(at("D0002", RED)).isEmpty();
        // Event ids are forgotten with the data: the same id reserves anew.
        stock("s-again", "D0002", RED, "erp", "unrestricted", 5);
        reserveOk(reserveBody("c-1", "D0002", RED, 4, true));
        assertThat(held("")).isEqualTo(Map.of(id, "4"));
        assertThat(afr("D0002", RED)).isEqualTo("1");
    }

    @Test
    void reserve_singleEndpointWithArray_is400() {
        seedAfrExample();

        IvsClient.Response response = client.post(
                api("/onhand/reserve"),
                IvsClient.json(List.of(reserveBody("arr", "D0002", RED, 1, true))));

        assertFailure(response, 400, "bulk");
        assertThat(reserved("D0002", RED)).isEqualTo("90");
    }
}
