package io.ivs.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.reservation.ReservationTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The document cannot lie: real answers of IVS, for a walk through the API (on-hand, queries,
 * reservations, ATP, allocation, configuration, the change feed, administration and error
 * answers), match the schemas that {@code /v3/api-docs} documents for them.
 */
class OpenApiTruthfulnessIntegrationTest extends ReservationTestSupport {
    private static final String ENV = "/api/environment/{environmentId}";
    private static final String ADMIN_ENV = "/admin/environments/{environmentId}";
    private static final Map<String, Object> RED = dims("siteId", "1", "locationId", "11");

    private DocumentedAnswers documented;

    @BeforeEach
    void document() {
        documented = new DocumentedAnswers(OpenApiDocumentIntegrationTest.fetchDocument(client));
    }

    @Test
    void onHandWritesAndQueries_answerAsDocumented() {
        configureAfr();
        call("POST", ENV + "/onhand", 200, event("e1", ORG, "T", RED, "erp", "unrestricted", 5));
        call(
                "POST",
                ENV + "/onhand/bulk",
                200,
                List.of(
                        event("e2", ORG, "T", RED, "pos", "inbound", 2),
                        event(
                                "e3",
                                ORG,
                                "T",
                                dims("siteId", "1", "locationId", "12"),
                                "pos",
                                "inbound",
                                1)));
        Map<String, Object> count = event("c1", ORG, "T", RED, "pos", "inbound", 9);
        count.put("modifiedDateTimeUTC", "2026-11-23T08:00:00Z");
        call("POST", ENV + "/setonhand/{inventorySystem}/bulk", 200, List.of(count), "pos");
        call(
                "POST",
                ENV + "/onhand/indexquery",
                200,
                IvsClient.map(
                        "filters",
                                IvsClient.map(
                                        "organizationId",
                                        List.of(ORG),
                                        "productId",
                                        List.of("T"),
                                        "siteId",
                                        List.of("1"),
                                        "locationId",
                                        List.of("11")),
                        "groupByValues", List.of("colorId"),
                        "returnNegative", true));
        call(
                "POST",
                ENV + "/onhand/exactquery",
                200,
                IvsClient.map(
                        "filters",
                                IvsClient.map(
                                        "organizationId",
                                        List.of(ORG),
                                        "productId",
                                        List.of("T"),
                                        "dimensions",
                                        List.of("siteId", "locationId"),
                                        "values",
                                        List.of(List.of("1", "11"))),
                        "groupByValues", List.of(),
                        "returnNegative", true));
        get(ENV + "/onhand", 200, "?organizationId=usmf&productId=T&siteId=1&locationId=11");
        get(ENV + "/allpartitionids", 200, "");
        get(ENV + "/changes", 200, "?after=0");
        Map<String, Object> schedule = IvsClient.map(
                "id",
                "s1",
                "organizationId",
                ORG,
                "productId",
                "T",
                "dimensions",
                RED,
                "quantitiesByDate",
                IvsClient.map(
                        LocalDate.now(ZoneOffset.UTC).plusDays(1).toString(),
                        IvsClient.map("erp", IvsClient.map("unrestricted", 3))));
        configure(document -> {
            ObjectNode settings = (ObjectNode) document.get("scheduleConfiguration");
            settings.put("isScheduleEnabled", true);
            settings.putArray("atpCalculatedMeasures").add("iv.availabletoreserve");
        });
        call("POST", ENV + "/onhand/changeschedule", 200, schedule);
        get(ENV + "/changes", 200, "?after=0");
    }

    @Test
    void reservations_answerAsDocumented() {
        configureAfr();
        post(event("e1", ORG, "T", RED, "erp", "unrestricted", 5));
        IvsClient.Response reserved =
                call("POST", ENV + "/onhand/reserve", 200, reserveBody("r1", "T", RED, 2, true));
        String reservationId = reserved.json().path("reservationId").asString();
        call(
                "POST",
                ENV + "/onhand/unreserve",
                200,
                unreserveBody("u1", "T", RED, reservationId, 1));
        call(
                "POST",
                ENV + "/onhand/reserve/bulk",
                200,
                List.of(
                        reserveBody("r2", "T", RED, 1, true),
                        reserveBody("r3", "T", RED, 50, true)));
        call(
                "POST",
                ENV + "/onhand/unreserve/bulk",
                200,
                List.of(unreserveBody("u2", "T", RED, reservationId, 1)));
        get(ADMIN_ENV + "/reservations", 200, "?productId=T");
        holds();
        IvsClient.Response job =
                call("POST", ENV + "/onhand/reserve/resyncjob", 200, List.of("iv"));
        get(ENV + "/getJobProgress", 200, "?jobId=" + job.json().path("jobId").asString());
    }

    /** Holds and all-or-nothing orders, the IVS extensions of reservations. */
    private void holds() {
        Map<String, Object> hold =
                reserveBody("h1", "T", dims("siteId", "1", "locationId", "12"), 1, false);
        hold.put("ttlSeconds", 600);
        IvsClient.Response held = call("POST", ENV + "/onhand/reserve", 200, hold);
        String holdId = held.json().path("reservationId").asString();
        String extend = ENV + "/onhand/reservations/{reservationId}/extend";
        call("POST", extend, 200, Map.of("ttlSeconds", 900), holdId);
        IvsClient.Response confirmed = client.post(
                concrete(ENV + "/onhand/reservations/{reservationId}/confirm", holdId), null);
        check("POST", ENV + "/onhand/reservations/{reservationId}/confirm", confirmed);
        IvsClient.Response notHeld = client.post(concrete(extend, holdId), "{\"ttlSeconds\": 60}");
        assertThat(notHeld.status()).as(notHeld.body()).isEqualTo(409);
        documented.check("POST", extend, 409, notHeld.body());
        get(ADMIN_ENV + "/reservations", 200, "?productId=T");
        call(
                "POST",
                ENV + "/onhand/reserve/bulk",
                200,
                IvsClient.map(
                        "atomic",
                        true,
                        "items",
                        List.of(
                                reserveBody("o1", "T", RED, 1, true),
                                reserveBody("o2", "T", RED, 10_000, true))));
    }

    @Test
    void availableToPromise_andAllocation_answerAsDocumented() {
        configureAfr();
        configure(document -> {
            ObjectNode schedule = (ObjectNode) document.get("scheduleConfiguration");
            schedule.put("isScheduleEnabled", true);
            schedule.putArray("atpCalculatedMeasures").add("iv.availabletoreserve");
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
            ObjectNode pool =
                    (ObjectNode) document.get("inventorySystemConfigurations").get("@iv");
            ((ObjectNode) pool.get("calculatedMeasures")).remove("@available_to_allocate");
            calculated(
                    pool,
                    "@available_to_allocate",
                    new String[] {"erp.unrestricted"},
                    new String[] {"@iv.@allocated"});
        });
        post(event("e1", ORG, "Bike", RED, "erp", "unrestricted", 20));
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        Map<String, Object> schedule = IvsClient.map(
                "id",
                "s1",
                "organizationId",
                ORG,
                "productId",
                "Bike",
                "dimensions",
                RED,
                "quantitiesByDate",
                IvsClient.map(tomorrow, IvsClient.map("erp", IvsClient.map("unrestricted", 3))));
        call("POST", ENV + "/onhand/changeschedule", 200, schedule);
        schedule.put("id", "s2");
        call("POST", ENV + "/onhand/changeschedule/bulk", 200, List.of(schedule));
        call(
                "POST",
                ENV + "/onhand/indexquery",
                200,
                IvsClient.map(
                        "filters",
                        IvsClient.map(
                                "organizationId",
                                List.of(ORG),
                                "productId",
                                List.of("Bike"),
                                "siteId",
                                List.of("1"),
                                "locationId",
                                List.of("11")),
                        "groupByValues",
                        List.of("colorId", "sizeId"),
                        "returnNegative",
                        true,
                        "QueryATP",
                        true));
        Map<String, Object> allocation = IvsClient.map(
                "id",
                "a1",
                "organizationId",
                ORG,
                "productId",
                "Bike",
                "dimensions",
                RED,
                "groups",
                IvsClient.map("channel", "Online"),
                "quantity",
                1);
        call("POST", ENV + "/allocation/allocate", 200, allocation);
        allocation.put("id", "a2");
        allocation.put("quantity", 1000);
        IvsClient.Response refused =
                client.post(api("/allocation/allocate"), IvsClient.json(allocation));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        documented.check("POST", ENV + "/allocation/allocate", 409, refused.body());
        call(
                "POST",
                ENV + "/allocation/query",
                200,
                IvsClient.map(
                        "organizationId",
                        ORG,
                        "productId",
                        "Bike",
                        "dimensions",
                        RED,
                        "groups",
                        Map.of()));
    }

    @Test
    void configurationAndAdministration_answerAsDocumented() {
        get(ENV + "/configuration", 200, "");
        get(ADMIN_ENV + "/configuration/versions", 200, "");
        check("GET", "/admin/environments", client.get("/admin/environments"));
        check("GET", "/admin/clients", client.get("/admin/clients"));
        check("GET", "/admin/keys", client.get("/admin/keys"));
        check("GET", "/.well-known/jwks.json", client.get("/.well-known/jwks.json"));
        check("GET", "/health/ping", client.get("/health/ping"));
        check("PUT", ADMIN_ENV, client.put("/admin/environments/" + env, null));
        get(ADMIN_ENV + "/webhooks", 200, "");
        String rule = ADMIN_ENV + "/alerts/rules/{name}";
        call(
                "PUT",
                rule,
                200,
                IvsClient.map(
                        "measure",
                        "iv.availabletoreserve",
                        "level",
                        IvsClient.map("organizationId", ORG, "productId", "T", "dimensions", RED),
                        "threshold",
                        0,
                        "hysteresis",
                        0),
                "site1");
        check("GET", rule, client.get(concrete(rule, "site1")));
        get(ADMIN_ENV + "/alerts/rules", 200, "");
        IvsClient.Response exchanged =
                client.exchange(client.assertion(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET), env);
        check("POST", "/token", exchanged);
    }

    @Test
    void errors_answerTheDocumentedEnvelopes() {
        IvsClient.Response badJson = client.post(api("/onhand"), "{");
        assertThat(badJson.status()).isEqualTo(400);
        documented.check("POST", ENV + "/onhand", 400, badJson.body());
        IvsClient.Response missing = client.post(api("/onhand"), "{\"id\": \"x\"}");
        assertThat(missing.status()).isEqualTo(400);
        documented.check("POST", ENV + "/onhand", 400, missing.body());
        IvsClient.Response noJob = client.get(api("/getJobProgress?jobId=nope"));
        assertThat(noJob.status()).isEqualTo(404);
        documented.check("GET", ENV + "/getJobProgress", 404, noJob.body());
        IvsClient.Response noHook = client.get("/admin/environments/" + env + "/webhooks/nope");
        assertThat(noHook.status()).isEqualTo(404);
        documented.check("GET", ADMIN_ENV + "/webhooks/{id}", 404, noHook.body());
        IvsClient.Response unsigned = client.withoutAuth().post(api("/onhand/indexquery"), "{}");
        assertThat(unsigned.status()).isEqualTo(401);
        documented.check("POST", ENV + "/onhand/indexquery", 401, unsigned.body());
    }

    /** Sends a JSON body to a path template; the answer must have the status and its schema. */
    private IvsClient.Response call(
            String method, String template, int status, Object body, String... segments) {
        IvsClient.Response response =
                client.send(method, concrete(template, segments), IvsClient.json(body));
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        documented.check(method, template, status, response.body());
        return response;
    }

    private void get(String template, int status, String query) {
        IvsClient.Response response = client.get(concrete(template) + query);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        documented.check("GET", template, status, response.body());
    }

    private void check(String method, String template, IvsClient.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 299);
        documented.check(method, template, response.status(), response.body());
    }

    private String concrete(String template, String... segments) {
        String path = template.replace("{environmentId}", env);
        for (String segment : segments) {
            path = path.replaceFirst("\\{[^}]+}", segment);
        }
        return path;
    }
}
