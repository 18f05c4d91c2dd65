package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The reservation clean-up job and its progress (spec §2.6), and the admin list of what is held
 * over HTTP.
 */
class ReservationJobAndAdminIntegrationTest extends ReservationTestSupport {
    private static final Map<String, Object> RED = level("Red", null);
    private static final Map<String, Object> RED_S = level("Red", "S");

    private String r1;
    private String r2;
    private String r3;
    private String r4;
    private String r5;
    private String zero;

    /**
     * Reservations on two data sources, iv and @iv, over P1 and P2, each stocked with 50
     * erp.unrestricted at (1, 11, Red): iv R1 10 - 4 = 6, R2 3 (size S), R3 5; @iv R4 7, R5 2;
     * one iv ledger fully released (0).
     */
    private void seed() {
        configureAfr();
        configure(document -> {
            ObjectNode atIv =
                    (ObjectNode) document.get("inventorySystemConfigurations").get("@iv");
            calculated(
                    atIv, "@available_to_reserve", new String[] {"erp.unrestricted"}, new String[] {
                        "@iv.@softreserved"
                    });
            atIv.putObject("reservMappings").put("@softreserved", "@iv.@available_to_reserve");
        });
        stock("s-1", "P1", RED, "erp", "unrestricted", 50);
        stock("s-2", "P2", RED, "erp", "unrestricted", 50);
        r1 = reserveOk(reserveBody("r-1", "P1", RED, 10, true));
        r2 = reserveOk(reserveBody("r-2", "P1", RED_S, 3, false));
        r3 = reserveOk(reserveBody("r-3", "P2", RED, 5, true));
        r4 = reserveOk(reserveBody("r-4", "P1", RED, "@iv", "@softreserved", 7, true));
        r5 = reserveOk(reserveBody("r-5", "P2", RED, "@iv", "@softreserved", 2, true));
        zero = reserveOk(reserveBody("r-6", "P2", level("Red", "L"), 1, false));
        assertReleased(unreserve(unreserveBody("u-1", "P1", RED, r1, 4)));
        assertReleased(unreserve(unreserveBody("u-2", "P2", level("Red", "L"), zero, 1)));
        assertThat(List.of(r1, r2, r3, r4, r5, zero)).doesNotHaveDuplicates();
        assertThat(held(""))
                .isEqualTo(Map.of(r1, "6", r2, "3", r4, "7", r3, "5", r5, "2", zero, "0"));
    }

    private static void assertReleased(IvsClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("processingStatus").asString()).isEqualTo("success");
    }

    /** Starts a clean-up job that must be accepted; answers its job id. */
    private String resync(String body) {
        IvsClient.Response response = client.post(api("/onhand/reserve/resyncjob"), body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answer = response.json();
        assertThat(answer.path("processingStatus").asString()).isEqualTo("success");
        assertThat(answer.path("statusCode").asInt()).isEqualTo(200);
        String jobId = answer.path("jobId").asString();
        assertThat(jobId).isNotBlank();
        assertThat(answer.path("id").asString()).isEqualTo(jobId);
        return jobId;
    }

    private JsonNode progress(String jobId) {
        IvsClient.Response response = client.get(api("/getJobProgress?jobId=" + jobId));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("jobId").asString()).isEqualTo(jobId);
        return response.json();
    }

    private void assertCompleted(String jobId, int reversed) {
        JsonNode progress = progress(jobId);
        assertThat(progress.path("status").asString())
                .as(progress.toString())
                .isEqualTo("Completed");
        assertThat(progress.path("message").asString())
                .isEqualTo(reversed + " reservations reversed");
        assertThat(progress.path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void resync_oneDataSource_reversesOnlyItsReservations() {
        seed();

        String jobId = resync("[\"@iv\"]");

        assertCompleted(jobId, 2);
        assertThat(held(""))
                .isEqualTo(Map.of(r1, "6", r2, "3", r4, "0", r3, "5", r5, "0", zero, "0"));
        Map<String, String> p1 = at("P1", RED);
        assertThat(p1)
                .containsEntry("@iv.@softreserved", "0")
                .containsEntry("@iv.@available_to_reserve", "50")
                .containsEntry("iv.softreservphysical", "9")
                .containsEntry("iv.availabletoreserve", "41");
        assertThat(at("P2", RED))
                .containsEntry("@iv.@softreserved", "0")
                .containsEntry("@iv.@available_to_reserve", "50")
                .containsEntry("iv.availabletoreserve", "45");
        // Stock is untouched.
        assertThat(p1).containsEntry("erp.unrestricted", "50");
    }

    @Test
    void resync_allDataSources_reversesEverythingAndRepeatsAsNoOp() {
        seed();

        String all = resync("[]");
        String again = resync("[]");

        assertThat(all).isNotEqualTo(again);
        assertCompleted(all, 5);
        assertCompleted(again, 0);
        assertThat(held(""))
                .isEqualTo(Map.of(r1, "0", r2, "0", r4, "0", r3, "0", r5, "0", zero, "0"));
        for (String product : List.of("P1", "P2")) {
            assertThat(at(product, RED))
                    .as(product)
                    .containsEntry("iv.softreservphysical", "0")
                    .containsEntry("iv.availabletoreserve", "50")
                    .containsEntry("@iv.@softreserved", "0")
                    .containsEntry("@iv.@available_to_reserve", "50");
        }
        // The full stock can be reserved again, on the old ids.
        assertThat(reserveOk(reserveBody("r-7", "P1", RED, 50, true))).isEqualTo(r1);
        // An unreserve of a reversed reservation finds nothing held.
        IvsClient.Response none = unreserve(unreserveBody("u-9", "P2", RED, r3, 2));
        assertThat(none.json().path("processingStatus").asString()).isEqualTo("partialSuccess");
        assertThat(none.json().path("totalInvalidOffsetQtyByReservId").asInt()).isEqualTo(2);
    }

    @Test
    void resync_withoutBody_meansAllDataSources() {
        seed();

        String jobId = client.post(api("/onhand/reserve/resyncjob"), null)
                .json()
                .path("jobId")
                .asString();

        assertCompleted(jobId, 5);
        assertThat(at("P1", RED)).containsEntry("iv.availabletoreserve", "50");
    }

    @Test
    void resync_dataSourceNamesInOtherCase_areMatched() {
        seed();

        String jobId = resync("[\"IV\", \"Pos\"]");

        assertCompleted(jobId, 3);
        assertThat(held("?productId=P1")).isEqualTo(Map.of(r1, "0", r2, "0", r4, "7"));
    }

    @Test
    void resync_unknownDataSourceOrBadBody_is400AndReversesNothing() {
        seed();

        IvsClient.Response unknown =
                client.post(api("/onhand/reserve/resyncjob"), "[\"iv\", \"nosuchds\"]");
        IvsClient.Response objects =
                client.post(api("/onhand/reserve/resyncjob"), "[{\"name\": \"iv\"}]");
        IvsClient.Response object =
                client.post(api("/onhand/reserve/resyncjob"), "{\"dataSources\": []}");
        IvsClient.Response malformed = client.post(api("/onhand/reserve/resyncjob"), "[\"iv");

        assertFailure(unknown, 400, "nosuchds");
        for (IvsClient.Response response : List.of(objects, object, malformed)) {
            assertFailure(response, 400, "body");
        }
        assertThat(held(""))
                .isEqualTo(Map.of(r1, "6", r2, "3", r4, "7", r3, "5", r5, "2", zero, "0"));
    }

    @Test
    void jobProgress_unknownJobOrOtherEnvironment_is404() {
        configureAfr();
        String jobId = resync("[]");
        String other = "test-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);

        IvsClient.Response unknown =
                client.get(api("/getJobProgress?jobId=ReservationResyncJob:nope"));
        IvsClient.Response elsewhere =
                client.get("/api/environment/" + other + "/getJobProgress?jobId=" + jobId);
        IvsClient.Response missing = client.get(api("/getJobProgress"));

        assertFailure(unknown, 404, "nope");
        assertFailure(elsewhere, 404, "jobId");
        assertThat(missing.status()).as(missing.body()).isEqualTo(400);
        assertCompleted(jobId, 0);
    }

    @Test
    void holdings_filterByProductOrReservationId_showRemainingQuantity() {
        seed();

        assertThat(held("?productId=P1")).isEqualTo(Map.of(r1, "6", r2, "3", r4, "7"));
        assertThat(held("?productId=P2")).isEqualTo(Map.of(r3, "5", r5, "2", zero, "0"));
        assertThat(held("?organizationId=" + ORG + "&productId=P2&reservationId=" + r5))
                .isEqualTo(Map.of(r5, "2"));
        assertThat(held("?productId=P2&reservationId=" + r1)).isEmpty();
        assertThat(held("?organizationId=other")).isEmpty();
        assertThat(held("?productId=nosuch")).isEmpty();

        List<JsonNode> rows = holdings("?reservationId=" + r1);
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("organizationId").asString()).isEqualTo(ORG);
        assertThat(row.path("productId").asString()).isEqualTo("P1");
        assertThat(row.path("dataSource").asString()).isEqualTo("iv");
        assertThat(row.path("measure").asString()).isEqualTo("softreservphysical");
        assertThat(row.path("dimensions").properties().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().asString()))
                .containsExactlyInAnyOrder("siteid=1", "locationid=11", "colorid=Red");
        assertThat(row.path("quantity").isString()).isTrue();
        assertThat(row.path("quantity").asString()).isEqualTo("6");
        Instant updated = Instant.parse(row.path("updatedAt").asString());
        assertThat(Duration.between(updated, Instant.now()).abs())
                .isLessThan(Duration.ofMinutes(5));

        JsonNode atIv = holdings("?reservationId=" + r4).get(0);
        assertThat(atIv.path("dataSource").asString()).isEqualTo("@iv");
        assertThat(atIv.path("measure").asString()).isEqualTo("@softreserved");
    }

    @Test
    void holdings_otherOrganization_areSeparate() {
        seed();
        Map<String, Object> body = reserveBody("o-1", "P1", RED, 1, true);
        body.put("organizationId", "org2");
        IvsClient.Response response = reserve(body);
        assertThat(response.status()).as(response.body()).isEqualTo(500);

        Map<String, Object> org2Stock = event("s-o2", "org2", "P1", RED, "erp", "unrestricted", 5);
        post(org2Stock);
        String org2 = reserveOk(body);

        assertThat(org2).isNotEqualTo(r1);
        assertThat(held("?organizationId=org2")).isEqualTo(Map.of(org2, "1"));
        assertThat(held("?organizationId=" + ORG + "&productId=P1"))
                .isEqualTo(Map.of(r1, "6", r2, "3", r4, "7"));
    }

    @Test
    void holdings_limitBoundsTheList() {
        seed();

        assertThat(holdings("?limit=2")).hasSize(2);
        assertThat(holdings("?limit=1000")).hasSize(6);
        for (String limit : List.of("0", "-1", "1001", "x")) {
            IvsClient.Response response =
                    client.get("/admin/environments/" + env + "/reservations?limit=" + limit);
            assertThat(response.status())
                    .as("limit %s: %s", limit, response.body())
                    .isEqualTo(400);
        }
    }

    @Test
    void holdings_unknownEnvironment_is404() {
        IvsClient.Response response = client.get("/admin/environments/nosuch-env/reservations");

        assertThat(response.status()).as(response.body()).isEqualTo(404);
    }
}
