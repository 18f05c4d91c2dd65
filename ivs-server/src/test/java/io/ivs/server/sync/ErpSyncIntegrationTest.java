package io.ivs.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Full syncs of a data source (docs/api-notes.md, "Feeding IVS from an ERP"): completion sets to
 * zero what the sync did not mention, with every change in the change feed; an aborted or an
 * expired sync sets nothing to zero; a large sync goes in batches; bad calls name their field.
 */
class ErpSyncIntegrationTest extends SyncTestSupport {
    @Autowired
    ChangeSequencer sequencer;

    @Test
    void fullSync_completed_zeroesWhatItDidNotMentionAndTheFeedShowsIt() {
        IvsClient erp = erp();
        setOk(erp, "fno", List.of(fno("a1", "A", 5), fno("b1", "B", 6), fno("c1", "C", 7)));

        String syncId = begin(erp, "fno", "{\"timeoutSeconds\": 600}");
        sendOk(erp, "fno", syncId, List.of(fno("a2", "A", 50)));
        sendOk(erp, "fno", syncId, List.of(fno("b2", "B", 6), fno("d2", "D", 9)));
        // Applied at once, like any set: visible before the completion.
        assertThat(physical("A")).isEqualTo("50");
        assertThat(physical("C")).isEqualTo("7");
        IvsClient.Response done = complete(erp, "fno", syncId);

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("status").asString()).isEqualTo("completed");
        assertThat(done.json().path("records").asLong()).isEqualTo(3);
        assertThat(done.json().path("zeroed").asLong()).isEqualTo(1);
        assertThat(physical("A")).isEqualTo("50");
        assertThat(physical("B")).isEqualTo("6");
        assertThat(physical("C")).isEqualTo("0");
        assertThat(physical("D")).isEqualTo("9");
        List<JsonNode> ofC = changes().stream()
                .filter(c -> c.path("productId").asString().equals("C"))
                .toList();
        assertThat(ofC).hasSize(2);
        assertThat(ofC.get(1)
                        .path("quantities")
                        .path("fno")
                        .path("physicalinvent")
                        .decimalValue())
                .isZero();
        // Completing again answers the same result and changes nothing.
        IvsClient.Response again = complete(erp, "fno", syncId);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("zeroed").asLong()).isEqualTo(1);
        assertThat(again.json().path("records").asLong()).isEqualTo(3);
        JsonNode status = erp.get(api("/sync/fno")).json();
        assertThat(status.path("erpOwned").asBoolean()).isTrue();
        assertThat(status.path("lastFullSync").path("syncId").asString()).isEqualTo(syncId);
        assertThat(status.path("openSync").isNull()).isTrue();
        assertThat(status.path("lastPushAt").asString()).isNotBlank();
    }

    @Test
    void fullSync_aborted_zeroesNothingAndCannotBeCompleted() {
        IvsClient erp = erp();
        setOk(erp, "fno", List.of(fno("a1", "A", 5), fno("c1", "C", 7)));
        String syncId = begin(erp, "fno", "");
        sendOk(erp, "fno", syncId, List.of(fno("a2", "A", 8)));

        IvsClient.Response aborted = erp.delete(api("/sync/fno/" + syncId), null);

        assertThat(aborted.status()).as(aborted.body()).isEqualTo(200);
        assertThat(aborted.json().path("status").asString()).isEqualTo("aborted");
        IvsClient.Response complete = complete(erp, "fno", syncId);
        assertThat(complete.status()).as(complete.body()).isEqualTo(409);
        assertThat(complete.json().path("syncId").asString()).isEqualTo(syncId);
        assertThat(physical("A")).isEqualTo("8");
        assertThat(physical("C")).isEqualTo("7");
        assertThat(send(erp, "fno", syncId, List.of(fno("c2", "C", 1))).status())
                .isEqualTo(409);
        assertThat(physical("C")).isEqualTo("7");
    }

    @Test
    void fullSync_expired_zeroesNothingAndCannotBeCompleted() throws InterruptedException {
        IvsClient erp = erp();
        setOk(erp, "fno", List.of(fno("c1", "C", 7)));
        String syncId = begin(erp, "fno", "{\"timeoutSeconds\": 1}");
        sendOk(erp, "fno", syncId, List.of(fno("a1", "A", 3)));

        Thread.sleep(1_500);
        IvsClient.Response complete = complete(erp, "fno", syncId);

        assertThat(complete.status()).as(complete.body()).isEqualTo(409);
        assertThat(complete.json().path("message").asString()).contains("expired");
        assertThat(physical("C")).isEqualTo("7");
        assertThat(physical("A")).isEqualTo("3");
        JsonNode status = erp.get(api("/sync/fno")).json();
        assertThat(status.path("lastFullSync").path("status").asString()).isEqualTo("expired");
        assertThat(status.path("openSync").isNull()).isTrue();
        // The data source is free for the next sync.
        begin(erp, "fno", "");
    }

    @Test
    void begin_whileOneIsOpen_answers409NamingTheOpenSync() {
        IvsClient erp = erp();
        String syncId = begin(erp, "fno", "");

        IvsClient.Response second = erp.post(api("/sync/FNO"), "");

        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.json().path("syncId").asString()).isEqualTo(syncId);
        assertThat(second.json().path("message").asString()).contains(syncId);
        assertThat(erp.get(api("/sync")).json())
                .filteredOn(s -> s.path("dataSource").asString().equals("fno"))
                .singleElement()
                .satisfies(s ->
                        assertThat(s.path("openSync").path("syncId").asString()).isEqualTo(syncId));
    }

    /**
     * 20,000 records in batches of 1,000, and 300 records the sync does not mention. The server
     * holds no more than one batch in memory: mentions go to PostgreSQL, and the completion is
     * one statement.
     */
    @Test
    void fullSync_20000RecordsInBatches_keepsThemAndZeroesTheRest() {
        IvsClient erp = erp();
        for (int from = 20_000; from < 20_300; from += 100) {
            setOk(erp, "fno", fnoRecords("old-", from, from + 100, 4));
        }
        String syncId = begin(erp, "fno", "");
        for (int from = 0; from < 20_000; from += 1_000) {
            sendOk(erp, "fno", syncId, fnoRecords("s-", from, from + 1_000, 2));
        }

        IvsClient.Response done = complete(erp, "fno", syncId);

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("records").asLong()).isEqualTo(20_000);
        assertThat(done.json().path("zeroed").asLong()).isEqualTo(300);
        assertThat(physical("P19999")).isEqualTo("2");
        assertThat(physical("P20000")).isEqualTo("0");
        assertThat(physical("P20299")).isEqualTo("0");
    }

    @Test
    void records_badInput_answers400NamingTheField() {
        IvsClient erp = erp();
        String syncId = begin(erp, "fno", "");

        assertRefused(send(erp, "fno", syncId, List.of()), 400, "body");
        assertRefused(send(erp, "fno", syncId, fnoRecords("x-", 0, 1_001, 1)), 400, "body");
        assertRefused(send(erp, "fno", "not-a-sync", List.of(fno("x", "X", 1))), 400, "syncId");
        assertRefused(erp.post(api("/sync/fno"), "{\"timeoutSeconds\": 0}"), 400, "timeoutSeconds");
        assertRefused(
                erp.post(api("/sync/fno"), "{\"timeoutSeconds\": \"x\"}"), 400, "timeoutSeconds");
        assertRefused(erp.post(api("/sync/shop"), ""), 400, "dataSource");
        assertRefused(
                send(erp, "fno", java.util.UUID.randomUUID().toString(), List.of(fno("x", "X", 1))),
                404,
                "no sync");
        // A sync of pos, named under fno: the path's data source is wrong.
        String posSync = begin(client, "pos", "");
        assertRefused(send(client, "fno", posSync, List.of(fno("x", "X", 1))), 403, "fno");
        assertRefused(erp.post(api("/sync/fno/" + posSync + "/complete"), ""), 400, "dataSource");
        IvsClient.Response unknown =
                client.post("/api/environment/no-such-env-" + env.substring(5) + "/sync/pos", "");
        assertThat(unknown.status()).as(unknown.body()).isBetween(400, 499);
        assertThat(physical("X")).isNull();
    }

    @Test
    void setOnHandBulk_takesTheErpsBatchesOf1000AndRefuses1001() {
        IvsClient erp = erp();
        setOk(erp, "fno", fnoRecords("k-", 0, 1_000, 1));

        IvsClient.Response tooMany =
                erp.post(api("/setonhand/fno/bulk"), IvsClient.json(fnoRecords("m-", 0, 1_001, 1)));

        assertRefused(tooMany, 400, "body");
        assertThat(physical("P999")).isEqualTo("1");
        // Change events keep the bulk bound of 512.
        List<Map<String, Object>> changes = new ArrayList<>();
        for (int i = 0; i < 513; i++) {
            changes.add(record("c-" + i, "Q" + i, "pos", "inbound", 1));
        }
        assertRefused(client.post(api("/onhand/bulk"), IvsClient.json(changes)), 400, "body");
    }

    static void assertRefused(IvsClient.Response response, int status, String mentions) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().path("message").asString())
                .as(response.body())
                .contains(mentions);
    }

    /** Every change of the test's environment, in feed order. */
    private List<JsonNode> changes() {
        sequencer.sequenceNow();
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        while (true) {
            IvsClient.Response response = client.get(
                    api("/changes?limit=1000" + (cursor == null ? "" : "&after=" + cursor)));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode page = response.json();
            page.path("changes").forEach(all::add);
            cursor = page.path("next").asString();
            if (!page.path("hasMore").asBoolean()) {
                return all;
            }
        }
    }
}
