package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unreserve over HTTP (spec §2.5, A8, A9): full and partial release, what the physical measure
 * and available-to-reserve do, repeated unreserves, unknown reservations and bad offsets.
 */
class UnreserveIntegrationTest extends ReservationTestSupport {
    private static final Map<String, Object> RED = level("Red", null);

    /** Stock 20 at (1, 11, Red) of the product and a checked reservation R of 10 on it. */
    private String holdTen(String product) {
        configureAfr();
        stock("s-" + product, product, RED, "erp", "unrestricted", 20);
        String id = reserveOk(reserveBody("r-" + product, product, RED, 10, true));
        assertState(product, id, "10", "10");
        return id;
    }

    /** R's ledger, the physical measure and AFR at the reservation's level. */
    private void assertState(String product, String reservationId, String held, String afr) {
        assertThat(held("?reservationId=" + reservationId))
                .as("ledger of %s", product)
                .isEqualTo(Map.of(reservationId, held));
        assertThat(reserved(product, RED))
                .as("softreservphysical of %s", product)
                .isEqualTo(held);
        assertThat(afr(product, RED)).as("availabletoreserve of %s", product).isEqualTo(afr);
    }

    /** An unreserve answered 200 with the given status and invalid part. */
    private static void assertReleased(
            IvsClient.Response response,
            String id,
            String reservationId,
            String status,
            String invalid) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        assertThat(body.path("processingStatus").asString()).as(response.body()).isEqualTo(status);
        assertThat(body.path("id").asString()).isEqualTo("ohoe~" + id);
        assertThat(body.path("reservationId").asString()).isEqualTo(reservationId);
        assertThat(body.path("totalInvalidOffsetQtyByReservId").isNumber())
                .as(response.body())
                .isTrue();
        assertThat(body.path("totalInvalidOffsetQtyByReservId")
                        .decimalValue()
                        .stripTrailingZeros()
                        .toPlainString())
                .as(response.body())
                .isEqualTo(invalid);
    }

    @Test
    void unreserve_workedExampleOfSection25_successThenPartial() {
        String r = holdTen("P1");

        IvsClient.Response three = unreserve(unreserveBody("u-1", "P1", RED, r, 3));
        assertReleased(three, "u-1", r, "success", "0");
        assertThat(three.json().path("message").asString()).isEmpty();
        assertState("P1", r, "7", "13");

        IvsClient.Response twelve = unreserve(unreserveBody("u-2", "P1", RED, r, 12));
        assertReleased(twelve, "u-2", r, "partialSuccess", "5");
        assertThat(twelve.json().path("message").asString()).contains("5");
        assertState("P1", r, "0", "20");
    }

    @Test
    void unreserve_moreThanHeldOnFreshReservation_releasesAllThenNothing() {
        String r = holdTen("P2");

        IvsClient.Response first = unreserve(unreserveBody("u-1", "P2", RED, r, 12));
        assertReleased(first, "u-1", r, "partialSuccess", "2");
        assertState("P2", r, "0", "20");

        // A9: nothing held → partialSuccess, the whole offset invalid, nothing applied.
        IvsClient.Response again = unreserve(unreserveBody("u-2", "P2", RED, r, 12));
        assertReleased(again, "u-2", r, "partialSuccess", "12");
        assertState("P2", r, "0", "20");
    }

    /**
     * An unchecked negative reserve may cancel more than the reservation holds (spec §2.4), so a
     * ledger below zero is legitimate data, not a broken invariant: the unreserve answers 200,
     * releases nothing (A9) and leaves the ledger as it is.
     */
    @Test
    void unreserve_ledgerBelowZeroAfterUncheckedCancel_releasesNothing() {
        String r = holdTen("P13");
        assertThat(reserveOk(reserveBody("r-cancel", "P13", RED, -15, false))).isEqualTo(r);
        assertState("P13", r, "-5", "25");

        IvsClient.Response response = unreserve(unreserveBody("u-1", "P13", RED, r, 3));

        assertReleased(response, "u-1", r, "partialSuccess", "3");
        assertState("P13", r, "-5", "25");
    }

    @Test
    void unreserve_decimalOffsets_areExact() {
        String r = holdTen("P3");

        assertReleased(
                unreserve(unreserveBody("u-1", "P3", RED, r, "2.25")), "u-1", r, "success", "0");
        assertReleased(
                unreserve(unreserveBody("u-2", "P3", RED, r, 8)),
                "u-2",
                r,
                "partialSuccess",
                "0.25");

        assertState("P3", r, "0", "20");
    }

    @Test
    void unreserve_sameEventIdRetried_returnsSameAnswerAndReleasesOnce() {
        String r = holdTen("P4");
        Map<String, Object> body = unreserveBody("u-1", "P4", RED, r, 3);

        IvsClient.Response first = unreserve(body);
        IvsClient.Response second = unreserve(body);

        assertReleased(first, "u-1", r, "success", "0");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertState("P4", r, "7", "13");

        // A partial answer is remembered as partial, even though R has changed since.
        Map<String, Object> partial = unreserveBody("u-2", "P4", RED, r, 9);
        IvsClient.Response p1 = unreserve(partial);
        reserveOk(reserveBody("r-more", "P4", RED, 5, true));
        IvsClient.Response p2 = unreserve(partial);
        assertReleased(p1, "u-2", r, "partialSuccess", "2");
        assertThat(p2.json()).isEqualTo(p1.json());
        assertState("P4", r, "5", "15");
    }

    @Test
    void unreserve_sameEventIdOtherOffset_is409AndReleasesNothing() {
        String r = holdTen("P5");
        unreserve(unreserveBody("u-1", "P5", RED, r, 3));

        IvsClient.Response clash = unreserve(unreserveBody("u-1", "P5", RED, r, 4));

        assertFailure(clash, 409, "u-1");
        assertState("P5", r, "7", "13");
    }

    @Test
    void unreserve_eventIdOfAReserve_isSeparateFamily() {
        String r = holdTen("P6");

        // The reserve was "r-P6"; an unreserve may use the same id without a conflict.
        IvsClient.Response response = unreserve(unreserveBody("r-P6", "P6", RED, r, 1));

        assertReleased(response, "r-P6", r, "success", "0");
        assertState("P6", r, "9", "11");
    }

    @Test
    void unreserve_unknownReservationOrOtherDimensionsOrProduct_is404() {
        String r = holdTen("P7");
        Map<String, Object> blue = level("Blue", null);
        Map<String, Object> finer = level("Red", "S");

        IvsClient.Response unknown = unreserve(unreserveBody("u-1", "P7", RED, "no-such-id", 1));
        IvsClient.Response otherDims = unreserve(unreserveBody("u-2", "P7", blue, r, 1));
        IvsClient.Response finerDims = unreserve(unreserveBody("u-3", "P7", finer, r, 1));
        IvsClient.Response otherProduct = unreserve(unreserveBody("u-4", "P8", RED, r, 1));

        for (IvsClient.Response response : List.of(unknown, otherDims, finerDims, otherProduct)) {
            assertFailure(response, 404, "reservationId");
        }
        assertThat(unknown.json().path("reservationId").asString()).isEqualTo("no-such-id");
        assertThat(unknown.json().path("id").asString()).isEqualTo("ohoe~u-1");
        assertState("P7", r, "10", "10");
        // A failed unreserve is not remembered: the id can be used for a valid one.
        assertReleased(unreserve(unreserveBody("u-1", "P7", RED, r, 1)), "u-1", r, "success", "0");
        assertState("P7", r, "9", "11");
    }

    @Test
    void unreserve_offsetZeroNegativeMissingOrNotANumber_is400() {
        String r = holdTen("P9");
        Map<String, Object> missing = unreserveBody("u-3", "P9", RED, r, 1);
        missing.remove("OffsetQty");
        Map<String, Object> noReservation = unreserveBody("u-5", "P9", RED, r, 1);
        noReservation.remove("reservationId");

        assertFailure(unreserve(unreserveBody("u-1", "P9", RED, r, 0)), 400, "OffsetQty");
        assertFailure(unreserve(unreserveBody("u-2", "P9", RED, r, -3)), 400, "OffsetQty");
        assertFailure(unreserve(missing), 400, "OffsetQty");
        assertFailure(unreserve(unreserveBody("u-4", "P9", RED, r, "three")), 400, "OffsetQty");
        assertFailure(unreserve(noReservation), 400, "reservationId");
        assertState("P9", r, "10", "10");
    }

    @Test
    void unreserve_offsetQtyFieldNameInOtherCase_isAccepted() {
        String r = holdTen("P10");
        Map<String, Object> body = unreserveBody("u-1", "P10", RED, r, 4);
        body.put("offsetqty", body.remove("OffsetQty"));

        assertReleased(unreserve(body), "u-1", r, "success", "0");
        assertState("P10", r, "6", "14");
    }

    @Test
    void unreserveBulk_mixedItems_perItemAnswersAndEarlierItemsCount() {
        String r = holdTen("P11");
        List<Map<String, Object>> items = List.of(
                unreserveBody("b-1", "P11", RED, r, 2),
                unreserveBody("b-2", "P11", RED, "unknown-id", 1),
                unreserveBody("b-3", "P11", RED, r, 0),
                unreserveBody("b-4", "P11", RED, r, 6),
                unreserveBody("b-5", "P11", RED, r, 5),
                unreserveBody("b-6", "P11", RED, r, 1));

        IvsClient.Response response =
                client.post(api("/onhand/unreserve/bulk"), IvsClient.json(items));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answers = response.json();
        assertThat(answers.size()).isEqualTo(items.size());
        List<String> summary = new ArrayList<>();
        for (JsonNode answer : answers) {
            JsonNode invalid = answer.path("totalInvalidOffsetQtyByReservId");
            summary.add(answer.path("id").asString() + " "
                    + answer.path("statusCode").asInt()
                    + " " + answer.path("processingStatus").asString() + " "
                    + (invalid.isMissingNode() ? "-" : invalid.decimalValue().toPlainString()));
        }
        // 10 held: 2 released; unknown; bad offset; 6 released; 5 asked with 2 left → 3
        // invalid; nothing left → all of 1 invalid.
        assertThat(summary)
                .as(response.body())
                .containsExactly(
                        "ohoe~b-1 200 success 0",
                        "ohoe~b-2 404 failure -",
                        "ohoe~b-3 400 failure -",
                        "ohoe~b-4 200 success 0",
                        "ohoe~b-5 200 partialSuccess 3",
                        "ohoe~b-6 200 partialSuccess 1");
        assertThat(answers.get(2).path("message").asString()).contains("OffsetQty");
        assertState("P11", r, "0", "20");
    }

    @Test
    void unreserveBulk_moreThan512Items_is400() {
        String r = holdTen("P12");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 513; i++) {
            items.add(unreserveBody("big-" + i, "P12", RED, r, "0.01"));
        }

        IvsClient.Response response =
                client.post(api("/onhand/unreserve/bulk"), IvsClient.json(items));

        assertFailure(response, 400, "512");
        assertState("P12", r, "10", "10");
    }

    @Test
    void unreserve_thenReserveAgain_reusesTheLedger() {
        String r = holdTen("P13");
        unreserve(unreserveBody("u-1", "P13", RED, r, 10));
        assertState("P13", r, "0", "20");

        String again = reserveOk(reserveBody("r-again", "P13", RED, 20, true));

        assertThat(again).isEqualTo(r);
        assertState("P13", r, "20", "0");
        assertFailure(reserve(reserveBody("r-over", "P13", RED, 1, true)), 500, INSUFFICIENT);
    }
}
