package io.ivs.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * ERP-owned data sources from an attacker's side: a client with {@code inventory.write} (and
 * the bootstrap administrator, which has every other role) cannot write {@code fno}, or a data
 * source the configuration marks ERP-owned, through any route or spelling; a client with
 * {@code inventory.erp} can, and only those.
 */
class ErpAccessIntegrationTest extends SyncTestSupport {
    private static final String FNO_ITEM_403 = "read-only for API callers";

    private IvsClient writer() {
        return clientWith("inventory.read", "inventory.write");
    }

    private static Map<String, Object> spelled(String id, String ds) {
        return record(id, "P1", ds, "physicalinvent", 9);
    }

    private static void assertItemForbidden(IvsClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).as(response.body()).isEqualTo(403);
        }
    }

    @Test
    void writer_everyOnHandRouteAndSpelling_isForbiddenForFno() {
        IvsClient writer = writer();

        IvsClient.Response single =
                writer.post(api("/onhand"), IvsClient.json(spelled("e1", "fno")));
        assertThat(single.status()).as(single.body()).isEqualTo(403);
        assertThat(single.json().path("message").asString()).contains(FNO_ITEM_403);
        assertItemForbidden(writer.post(
                api("/onhand/bulk"),
                IvsClient.json(List.of(spelled("e2", "FNO"), spelled("e3", " fno ")))));
        assertItemForbidden(writer.post(
                api("/setonhand/fno/bulk"), IvsClient.json(List.of(spelled("e4", "fno")))));
        assertItemForbidden(writer.post(
                "/API/Environment/" + env + "/SetOnHand/FNO/Bulk/",
                IvsClient.json(List.of(spelled("e5", "Fno")))));
        assertItemForbidden(writer.post(
                api("/setonhand/pos/bulk"), IvsClient.json(List.of(spelled("e6", "fNo")))));
        // The bootstrap administrator holds every role but inventory.erp.
        assertItemForbidden(client.post(
                api("/setonhand/fno/bulk"), IvsClient.json(List.of(spelled("e7", "fno")))));

        assertThat(physical("P1")).isNull();
    }

    @Test
    void writer_everySyncCall_isForbiddenForFno() {
        IvsClient writer = writer();
        IvsClient erp = erp();
        String syncId = begin(erp, "fno", "");

        assertThat(writer.post(api("/sync/fno"), "").status()).isEqualTo(403);
        assertThat(writer.post(api("/sync/FNO/"), "").status()).isEqualTo(403);
        IvsClient.Response records = send(writer, "fno", syncId, List.of(spelled("s1", "fno")));
        assertThat(records.status()).as(records.body()).isEqualTo(403);
        assertThat(complete(writer, "fno", syncId).status()).isEqualTo(403);
        assertThat(writer.delete(api("/sync/fno/" + syncId), null).status()).isEqualTo(403);
        // Under a sync of a data source it may write, a writer still cannot set fno.
        String posSync = begin(writer, "pos", "");
        assertItemForbidden(send(writer, "pos", posSync, List.of(spelled("s2", "fno"))));

        assertThat(physical("P1")).isNull();
        JsonNode status = erp.get(api("/sync/fno")).json();
        assertThat(status.path("openSync").path("syncId").asString()).isEqualTo(syncId);
    }

    @Test
    void erpOwnedDataSource_writtenByTheErpOnly_andTheFlagIsKeptVerbatim() {
        configure(document -> {
            ObjectNode sap = dataSource(document, "sap");
            sap.put("erpOwned", true);
            ((ArrayNode) sap.get("physicalMeasures")).add("unrestricted");
        });
        IvsClient writer = writer();
        IvsClient erp = erp();
        Map<String, Object> item = record("p1", "P1", "sap", "unrestricted", 4);

        assertItemForbidden(writer.post(api("/setonhand/sap/bulk"), IvsClient.json(List.of(item))));
        assertItemForbidden(writer.post(api("/onhand/bulk"), IvsClient.json(List.of(item))));
        assertThat(writer.post(api("/sync/sap"), "").status()).isEqualTo(403);
        setOk(erp, "sap", List.of(item));

        assertThat(at("P1", level(null, null)).get("sap.unrestricted")).isEqualTo("4");
        assertThat(configuration()
                        .path("inventorySystemConfigurations")
                        .path("sap")
                        .path("erpOwned")
                        .asBoolean())
                .isTrue();
        JsonNode status = erp.get(api("/sync/sap")).json();
        assertThat(status.path("erpOwned").asBoolean()).isTrue();
        assertThat(erp.get(api("/sync/pos")).json().path("erpOwned").asBoolean())
                .isFalse();
    }

    @Test
    void erpOnlyClient_writesFnoButNotOtherDataSourcesNorReservations() {
        IvsClient erp = erp();

        setOk(erp, "fno", List.of(spelled("f1", "FNO")));
        assertItemForbidden(erp.post(
                api("/setonhand/pos/bulk"),
                IvsClient.json(List.of(record("p1", "P1", "pos", "inbound", 1)))));
        IvsClient.Response reserve = erp.post(
                api("/onhand/reserve"),
                IvsClient.json(reserveBody(
                        "r1", "P1", level(null, null), "fno", "physicalinvent", 1, false)));
        assertThat(reserve.status()).as(reserve.body()).isEqualTo(403);
        // With inventory.write too, a reservation still never writes fno.
        IvsClient both = clientWith("inventory.erp", "inventory.write", "inventory.read");
        configureAfr();
        IvsClient.Response onFno = both.post(
                api("/onhand/reserve"),
                IvsClient.json(reserveBody(
                        "r2", "P1", level(null, null), "fno", "physicalinvent", 1, false)));
        assertThat(onFno.status()).as(onFno.body()).isEqualTo(403);

        assertThat(physical("P1")).isEqualTo("9");
    }
}
