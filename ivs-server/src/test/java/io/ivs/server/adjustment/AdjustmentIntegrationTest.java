package io.ivs.server.adjustment;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adjustment transactions over HTTP against real PostgreSQL: immediate and periodic sync into
 * on-hand, replays, the ERP's collect-and-acknowledge cycle and the list's filters.
 */
class AdjustmentIntegrationTest extends HttpTestSupport {
    @Autowired
    AdjustmentSync sync;

    @Autowired
    JdbcTemplate jdbc;

    static Map<String, Object> adjustment(
            String id, String product, String site, Object quantity, String journal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("organizationId", "usmf");
        body.put("productId", product);
        body.put("quantityDataSource", "pos");
        body.put("physicalMeasure", "inbound");
        body.put("dimensions", IvsClient.map("siteId", site, "locationId", "11"));
        body.put("quantity", quantity);
        body.put("externalReferenceCategory", "Count delta");
        body.put("externalReferenceId", "doc-" + id);
        body.put("fnoJournalNameId", journal);
        body.put("costPrice", 2.5);
        body.put("transDate", "2026-12-07");
        return body;
    }

    private IvsClient.Response post(boolean sync, List<Map<String, Object>> items) {
        return client.post(
                api("/transaction/adjustment/bulk" + (sync ? "?createWithIVSync=true" : "")),
                IvsClient.json(items));
    }

    private JsonNode postOk(boolean sync, List<Map<String, Object>> items) {
        IvsClient.Response response = post(sync, items);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** pos.inbound of a product at site s and location 11, or null when it has no record. */
    private String inbound(String product, String site) {
        IvsClient.Response response = client.post(
                api("/onhand/indexquery"),
                IvsClient.json(IvsClient.map(
                        "filters",
                        IvsClient.map(
                                "organizationId", List.of("usmf"),
                                "productId", List.of(product),
                                "siteId", List.of(site),
                                "locationId", List.of("11")),
                        "groupByValues",
                        List.of(),
                        "returnNegative",
                        true)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rows = response.json();
        return rows.isEmpty() ? null : quantity(rows.get(0), "pos", "inbound");
    }

    private JsonNode list(String query) {
        IvsClient.Response response = client.get(api("/transaction/adjustment" + query));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("Value");
    }

    private static List<String> statuses(JsonNode rows) {
        List<String> statuses = new ArrayList<>();
        rows.forEach(row -> statuses.add(
                row.path("id").asString() + "=" + row.path("status").asString()));
        return statuses;
    }

    @Test
    void post_withImmediateSync_changesOnHandOnce_andReplayAnswersTheSame() {
        JsonNode answers = postOk(
                true,
                List.of(
                        adjustment("a1", "P1", "1", 5, "J1"),
                        adjustment("a2", "P1", "1", -2, "J1")));

        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).path("id").asString()).isEqualTo("a1");
        assertThat(answers.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answers.get(1).path("processingStatus").asString()).isEqualTo("success");
        assertThat(inbound("P1", "1")).isEqualTo("3");
        assertThat(statuses(list("?productId=P1"))).containsExactly("a2=IVPosted", "a1=IVPosted");

        JsonNode replay = postOk(true, List.of(adjustment("a1", "P1", "1", 5, "J1")));
        assertThat(replay.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(inbound("P1", "1")).isEqualTo("3");

        JsonNode changed = postOk(true, List.of(adjustment("a1", "P1", "1", 6, "J1")));
        assertThat(changed.get(0).path("statusCode").asInt()).isEqualTo(409);
        assertThat(changed.get(0).path("message").asString()).startsWith("id:");
        assertThat(inbound("P1", "1")).isEqualTo("3");
        assertThat(list("?productId=P1")).hasSize(2);
    }

    @Test
    void post_withoutSync_keepsCreated_untilThePeriodicSyncAppliesIt() {
        postOk(false, List.of(adjustment("b1", "P2", "1", 4, "")));

        assertThat(inbound("P2", "1")).isNull();
        assertThat(statuses(list("?productId=P2"))).containsExactly("b1=Created");

        assertThat(sync.syncEnvironment(EnvironmentId.of(env))).isEqualTo(1);
        assertThat(inbound("P2", "1")).isEqualTo("4");
        assertThat(statuses(list("?productId=P2"))).containsExactly("b1=IVPosted");

        assertThat(sync.syncEnvironment(EnvironmentId.of(env))).isZero();
        postOk(true, List.of(adjustment("b1", "P2", "1", 4, "")));
        assertThat(inbound("P2", "1")).isEqualTo("4");
    }

    @Test
    void post_sameIdTwiceInOneRequest_appliesOnce() {
        JsonNode answers = postOk(
                true,
                List.of(
                        adjustment("d1", "P5", "1", 7, "J1"),
                        adjustment("d1", "P5", "1", 7, "J1"),
                        adjustment("d1", "P5", "1", 8, "J1")));

        assertThat(answers.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answers.get(1).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answers.get(2).path("statusCode").asInt()).isEqualTo(409);
        assertThat(inbound("P5", "1")).isEqualTo("7");
    }

    @Test
    void erp_collectsPerJournal_thenAcknowledges() {
        postOk(
                true,
                List.of(
                        adjustment("c1", "P3", "1", 5, "J1"),
                        adjustment("c2", "P3", "1", 3, "J1"),
                        adjustment("c3", "P3", "2", 1, "J2"),
                        adjustment("c4", "P3", "2", -1, "J2")));

        // An API client that may write inventory is not the ERP: it cannot collect.
        assertThat(client.post(api("/transaction/adjustment/collect"), "").status())
                .isEqualTo(403);
        JsonNode collection = collect();
        String collectionId = collection.path("collectionId").asString();
        assertThat(collection.path("adjustmentCount").asInt()).isEqualTo(4);
        JsonNode journals = collection.path("journals");
        assertThat(journals).hasSize(2);
        JsonNode j1 = journals.get(0);
        assertThat(j1.path("fnoJournalNameId").asString()).isEqualTo("J1");
        assertThat(j1.path("lines")).hasSize(1);
        JsonNode line = j1.path("lines").get(0);
        assertThat(line.path("quantity").decimalValue()).isEqualByComparingTo("8");
        assertThat(line.path("status").asString()).isEqualTo("Created");
        assertThat(line.path("transDate").asString()).isEqualTo("2026-12-07");
        assertThat(line.path("adjustmentIds").toString()).isEqualTo("[\"c1\",\"c2\"]");
        JsonNode j2line = journals.get(1).path("lines").get(0);
        assertThat(j2line.path("status").asString()).isEqualTo("DoNotSync");
        assertThat(statuses(list("?productId=P3"))).allMatch(s -> s.endsWith("=Collected"));

        assertThat(collect().path("adjustmentCount").asInt()).isZero();
        assertThat(collect().path("collectionId").isNull()).isTrue();

        IvsClient.Response ack = acknowledge(collectionId);
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        assertThat(ack.json().path("acknowledged").asInt()).isEqualTo(4);
        assertThat(statuses(list("?productId=P3"))).allMatch(s -> s.endsWith("=Acknowledged"));
        assertThat(acknowledge(collectionId).status()).isEqualTo(200);
        assertThat(acknowledge("no-such-collection").status()).isEqualTo(404);
        assertThat(collect().path("adjustmentCount").asInt()).isZero();
    }

    @Test
    void erp_collectionNotAcknowledgedInTime_isCollectedAgain() {
        postOk(true, List.of(adjustment("e1", "P4", "1", 2, "J1")));
        String first = collect().path("collectionId").asString();
        assertThat(collect().path("adjustmentCount").asInt()).isZero();

        // The ERP went away: its collection is older than the timeout (an hour by default).
        jdbc.update(
                "update adjustment set collected_at = now() - interval '2 hours'"
                        + " where environment_id = ? and collection_id = ?",
                env,
                first);
        JsonNode again = collect();
        String second = again.path("collectionId").asString();

        assertThat(again.path("adjustmentCount").asInt()).isEqualTo(1);
        assertThat(second).isNotEqualTo(first);
        assertThat(acknowledge(first).status()).isEqualTo(404);
        assertThat(acknowledge(second).status()).isEqualTo(200);
        assertThat(statuses(list("?productId=P4"))).containsExactly("e1=Acknowledged");
    }

    @Test
    void list_filtersByStatusProductAndDate_andPages() {
        postOk(
                true,
                List.of(adjustment("f1", "P6", "1", 1, ""), adjustment("f2", "P7", "1", 1, "")));
        postOk(false, List.of(adjustment("f3", "P6", "1", 1, "")));

        assertThat(statuses(list("?status=created"))).containsExactly("f3=Created");
        assertThat(statuses(list("?status=IVPosted&productId=P6"))).containsExactly("f1=IVPosted");
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        assertThat(list("?fromDate=" + today + "&toDate=" + today)).hasSize(3);
        assertThat(list("?fromDate=" + tomorrow)).isEmpty();

        IvsClient.Response page1 = client.get(api("/transaction/adjustment?pageSize=2"));
        assertThat(statuses(page1.json().path("Value")))
                .containsExactly("f3=Created", "f2=IVPosted");
        String before = page1.json().path("nextBefore").asString();
        JsonNode page2 = list("?pageSize=2&before=" + before);
        assertThat(statuses(page2)).containsExactly("f1=IVPosted");
    }

    @Test
    void badInput_answers400NamingTheField() {
        Map<String, Object> noSite = adjustment("g1", "P8", "1", 1, "");
        noSite.put("dimensions", IvsClient.map("locationId", "11"));
        Map<String, Object> badDate = adjustment("g2", "P8", "1", 1, "");
        badDate.put("transDate", "7.12.2026");
        Map<String, Object> badSource = adjustment("g3", "P8", "1", 1, "");
        badSource.put("quantityDataSource", "nosuch");
        Map<String, Object> badMeasure = adjustment("g4", "P8", "1", 1, "");
        badMeasure.put("physicalMeasure", "nosuch");
        Map<String, Object> badQuantity = adjustment("g5", "P8", "1", "lots", "");
        Map<String, Object> good = adjustment("g6", "P8", "1", 1, "");

        JsonNode answers =
                postOk(true, List.of(noSite, badDate, badSource, badMeasure, badQuantity, good));

        assertThat(answers.get(0).path("message").asString()).startsWith("[0].dimensions.siteId:");
        assertThat(answers.get(1).path("message").asString()).startsWith("[1].transDate:");
        assertThat(answers.get(2).path("message").asString()).startsWith("quantityDataSource:");
        assertThat(answers.get(3).path("message").asString()).startsWith("physicalMeasure:");
        assertThat(answers.get(4).path("message").asString()).startsWith("[4].quantity:");
        for (int i = 0; i < 5; i++) {
            assertThat(answers.get(i).path("statusCode").asInt())
                    .as("item " + i)
                    .isEqualTo(400);
        }
        assertThat(answers.get(5).path("statusCode").asInt()).isEqualTo(200);
        assertThat(statuses(list("?productId=P8"))).containsExactly("g6=IVPosted");
        assertThat(inbound("P8", "1")).isEqualTo("1");

        assertThat(client.get(api("/transaction/adjustment?status=Lost")).body())
                .contains("status:");
        IvsClient.Response reversed =
                client.get(api("/transaction/adjustment?fromDate=2026-12-08&toDate=2026-12-07"));
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.body()).contains("toDate:");
        assertThat(client.get(api("/transaction/adjustment?fromDate=2026/12/08"))
                        .status())
                .isEqualTo(400);
        assertThat(post(true, List.of()).status()).isEqualTo(200);
        assertThat(client.post(api("/transaction/adjustment/bulk"), "{").status())
                .isEqualTo(400);
        assertThat(erp().post(api("/transaction/adjustment/collect?maxAdjustments=0"), "")
                        .status())
                .isEqualTo(400);
    }

    private JsonNode collect() {
        IvsClient.Response response = erp().post(api("/transaction/adjustment/collect"), "");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private IvsClient.Response acknowledge(String collectionId) {
        return erp().post(
                        api("/transaction/adjustment/collections/" + collectionId + "/acknowledge"),
                        "");
    }

    private @Nullable IvsClient erp;

    /** The ERP: collecting and acknowledging need inventory.erp. */
    private IvsClient erp() {
        if (erp == null) {
            erp = clientWith("inventory.erp");
        }
        return erp;
    }
}
