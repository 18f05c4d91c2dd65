package io.ivs.server.inventorylog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.reservation.ReservationTestSupport;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.Race;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The inventory log over HTTP against real PostgreSQL: exactly one line per applied change after
 * a mix of operations (none for refused or replayed ones), with its caller and request id; the
 * log request job, its pages and its CSV; bad log requests.
 */
class InventoryLogIntegrationTest extends ReservationTestSupport {
    private static final DateTimeFormatter IV_DATE = DateTimeFormatter.ofPattern("yyyy/M/d");

    private static Map<String, Object> change(String id, String product, String site, Object qty) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                ORG,
                "productId",
                product,
                "dimensions",
                IvsClient.map("siteId", site, "locationId", "11"),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", qty)));
    }

    private IvsClient.Response post(String path, Object body, String requestId) {
        return client.post(api(path), IvsClient.json(body), "X-Request-Id", requestId);
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).format(IV_DATE);
    }

    /** Runs a log request; answers its job id. */
    private String logRequest(Map<String, Object> request) {
        IvsClient.Response response =
                client.post(api("/logTransactionDetails"), IvsClient.json(request));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("jobId").asString();
    }

    private static Map<String, Object> request(String from, String to) {
        Map<String, Object> request = new HashMap<>(IvsClient.map(
                "id", "log-1", "organizationId", ORG, "UtcFromDate", from, "UtcToDate", to));
        return request;
    }

    private List<JsonNode> lines(String jobId) {
        List<JsonNode> lines = new ArrayList<>();
        String next = "/logTransactionDetails/result?pageSize=1000&jobId=" + encode(jobId);
        while (!next.isEmpty()) {
            IvsClient.Response response = client.get(next.startsWith("/api") ? next : api(next));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            response.json().path("Value").forEach(lines::add);
            next = response.json().path("nextLink").asString();
        }
        return lines;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static Map<String, Integer> countBy(List<JsonNode> lines, String field) {
        Map<String, Integer> counts = new HashMap<>();
        lines.forEach(line -> counts.merge(line.path(field).asString(), 1, Integer::sum));
        return counts;
    }

    @Test
    void mixOfOperations_logsExactlyOneLinePerAppliedChange() {
        configureAfr();
        assertThat(post("/onhand", change("L1", "P1", "1", 10), "req-1").status())
                .isEqualTo(200);
        Map<String, Object> unknownSource = change("L3", "P1", "1", 1);
        unknownSource.put("quantities", IvsClient.map("nosuch", IvsClient.map("inbound", 1)));
        post(
                "/onhand/bulk",
                List.of(change("L2", "P1", "1", 1), unknownSource, change("L4", "P2", "1", 2)),
                "req-2");
        assertThat(post("/onhand", change("L1", "P1", "1", 10), "req-3").status())
                .isEqualTo(200);
        assertThat(post("/onhand", change("L1", "P1", "1", 11), "req-4").status())
                .isEqualTo(409);
        post("/setonhand/pos/bulk", List.of(change("S1", "P3", "1", 50)), "req-5");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(change("M" + i, "P4", "1", 1));
        }
        post("/onhand/bulk", many, "req-6");
        assertSuccess(
                post(
                        "/onhand/reserve",
                        reserveBody("R1", "P1", level(null, null), 3, true),
                        "req-7"),
                "ohre~R1");
        IvsClient.Response refused = post(
                "/onhand/reserve", reserveBody("R2", "P1", level(null, null), 999, true), "req-8");
        assertThat(refused.json().path("statusCode").asInt()).isNotEqualTo(200);
        Map<String, Object> adjustment = IvsClient.map(
                "id",
                "A1",
                "organizationId",
                ORG,
                "productId",
                "P5",
                "quantityDataSource",
                "pos",
                "physicalMeasure",
                "inbound",
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11"),
                "quantity",
                4);
        post("/transaction/adjustment/bulk?createWithIVSync=true", List.of(adjustment), "req-9");
        post("/transaction/adjustment/bulk?createWithIVSync=true", List.of(adjustment), "req-10");

        List<JsonNode> lines = lines(logRequest(request(today(), today())));

        assertThat(countBy(lines, "requestId"))
                .containsOnly(
                        Map.entry("req-1", 1),
                        Map.entry("req-2", 2),
                        Map.entry("req-5", 1),
                        Map.entry("req-6", 40),
                        Map.entry("req-7", 1),
                        Map.entry("req-9", 1));
        assertThat(countBy(lines, "eventId").values()).allMatch(count -> count == 1);
        assertThat(countBy(lines, "clientId")).containsOnlyKeys(IvsClient.ADMIN_ID);
        Map<String, JsonNode> byEvent = new HashMap<>();
        lines.forEach(line -> byEvent.put(line.path("eventId").asString(), line));
        assertThat(byEvent.get("L1").path("api").asString()).isEqualTo("onhand");
        assertThat(byEvent.get("L1")
                        .path("quantities")
                        .path("pos")
                        .path("inbound")
                        .asInt())
                .isEqualTo(10);
        assertThat(byEvent.get("L1").path("siteId").asString()).isEqualTo("1");
        assertThat(byEvent.get("L4").path("api").asString()).isEqualTo("onhand/bulk");
        assertThat(byEvent.get("S1").path("api").asString())
                .isEqualTo("setonhand/{inventorySystem}/bulk");
        assertThat(byEvent.get("R1").path("api").asString()).isEqualTo("onhand/reserve");
        assertThat(byEvent.get("R1")
                        .path("quantities")
                        .path("iv")
                        .path("softreservphysical")
                        .asInt())
                .isEqualTo(3);
        assertThat(byEvent.get("adjustment:A1").path("api").asString())
                .isEqualTo("transaction/adjustment/bulk");
    }

    /**
     * Concurrent small requests run combined (several in one transaction, on the thread of one of
     * them): each line still names the request of its own event, never the one that led.
     */
    @Test
    void concurrentSingleEventsAndReservations_eachLineNamesItsOwnRequest() throws Exception {
        configureAfr();
        assertThat(post("/onhand", change("STOCK", "P6", "1", 1000), "req-stock")
                        .status())
                .isEqualTo(200);
        int each = 24;
        List<Callable<IvsClient.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            String change = "C" + i;
            String reserve = "R" + i;
            tasks.add(() -> post("/onhand", change(change, "P6", "1", 1), "req-" + change));
            tasks.add(() -> post(
                    "/onhand/reserve",
                    reserveBody(reserve, "P6", level(null, null), 1, true),
                    "req-" + reserve));
        }
        List<IvsClient.Response> responses = Race.run(tasks);
        for (int i = 0; i < each; i++) {
            assertThat(responses.get(2 * i).status())
                    .as(responses.get(2 * i).body())
                    .isEqualTo(200);
            assertSuccess(responses.get(2 * i + 1), "ohre~R" + i);
        }

        List<JsonNode> lines = lines(logRequest(request(today(), today())));

        Map<String, String> requestByEvent = new HashMap<>();
        lines.forEach(line -> assertThat(requestByEvent.put(
                        line.path("eventId").asString(), line.path("requestId").asString()))
                .as("one line per event")
                .isNull());
        for (int i = 0; i < each; i++) {
            assertThat(requestByEvent).containsEntry("C" + i, "req-C" + i);
            assertThat(requestByEvent).containsEntry("R" + i, "req-R" + i);
        }
        assertThat(requestByEvent).hasSize(2 * each + 1);
        assertThat(at("P6", level(null, null)))
                .containsEntry("pos.inbound", String.valueOf(1000 + each))
                .containsEntry("iv.softreservphysical", String.valueOf(each));
    }

    @Test
    void logRequest_filtersByProductSiteAndDates_pagesAndDownloadsCsv() {
        post(
                "/onhand/bulk",
                List.of(
                        change("E1", "P1", "1", 1),
                        change("E2", "P1", "2", 2),
                        change("E3", "P2", "1", 3)),
                "req-a");
        Map<String, Object> byProduct = request(today(), today());
        byProduct.put("productId", "P1");
        String jobId = logRequest(byProduct);

        IvsClient.Response progress = client.get(api("/getJobProgress?jobId=" + encode(jobId)));
        assertThat(progress.status()).as(progress.body()).isEqualTo(200);
        assertThat(progress.json().path("status").asString()).isEqualTo("Completed");
        assertThat(progress.json().path("message").asString()).isEqualTo("2 log lines");

        IvsClient.Response first =
                client.get(api("/logTransactionDetails/result?pageSize=1&jobId=" + encode(jobId)));
        assertThat(first.json().path("totalCount").asInt()).isEqualTo(2);
        assertThat(first.json().path("Value")).hasSize(1);
        assertThat(first.json().path("nextLink").asString()).contains("page=2");
        assertThat(lines(jobId))
                .extracting(l -> l.path("eventId").asString())
                .containsExactlyInAnyOrder("E1", "E2");

        Map<String, Object> bySite = request(today(), today());
        bySite.put("dimensions", IvsClient.map("SiteId", "1", "LocationId", "11"));
        assertThat(lines(logRequest(bySite)))
                .extracting(l -> l.path("eventId").asString())
                .containsExactlyInAnyOrder("E1", "E3");
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(IV_DATE);
        assertThat(lines(logRequest(request(yesterday, yesterday)))).isEmpty();

        IvsClient.Response csv =
                client.get(api("/logTransactionDetails/result/csv?jobId=" + encode(jobId)));
        assertThat(csv.status()).isEqualTo(200);
        String[] rows = csv.body().split("\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[0]).isEqualTo(InventoryLogController.CSV_HEADER);
        String e1 = rows[1].contains(",E1,") ? rows[1] : rows[2];
        assertThat(e1)
                .contains(",onhand/bulk,", ",req-a,E1,usmf,P1,1,11,")
                .contains("\"{\"\"pos\"\":{\"\"inbound\"\":1}}\"");

        assertThat(client.get(api("/logTransactionDetails/result?jobId=nosuch")).status())
                .isEqualTo(404);
        assertThat(client.get(api("/logTransactionDetails/result/csv?jobId=nosuch"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void badLogRequest_answers400NamingTheField() {
        assertBad(request("2026-12-07", "2026/12/7"), "UtcFromDate");
        assertBad(request("2026/12/7", "7.12.2026"), "UtcToDate");
        assertBad(request("2026/12/8", "2026/12/7"), "UtcToDate");
        assertBad(request("2026/2/30", "2026/3/1"), "UtcFromDate");
        assertBad(request("2024/1/1", "2026/1/1"), "UtcToDate");
        Map<String, Object> noOrganization = request("2026/12/7", "2026/12/7");
        noOrganization.remove("organizationId");
        assertBad(noOrganization, "organizationId");
        Map<String, Object> noTo = request("2026/12/7", "2026/12/7");
        noTo.remove("UtcToDate");
        assertBad(noTo, "UtcToDate");
        Map<String, Object> badDimensions = request("2026/12/7", "2026/12/7");
        badDimensions.put("dimensions", "site-1");
        assertBad(badDimensions, "dimensions");

        String jobId = logRequest(request(today(), today()));
        IvsClient.Response page =
                client.get(api("/logTransactionDetails/result?pageSize=0&jobId=" + encode(jobId)));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("pageSize");
    }

    private void assertBad(Map<String, Object> request, String field) {
        IvsClient.Response response =
                client.post(api("/logTransactionDetails"), IvsClient.json(request));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(field + ":");
    }
}
