package io.ivs.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.reservation.ReservationTestSupport;
import io.ivs.server.support.IvsClient;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the ERP feed tests: clients with the roles an ERP or an API client holds, set on-hand
 * records of {@code fno}, and the calls of a full sync.
 */
abstract class SyncTestSupport extends ReservationTestSupport {
    IvsClient erp() {
        return clientWith("inventory.erp", "inventory.read");
    }

    /** A set on-hand record of {@code ds.measure} for product {@code product} at site 1/11. */
    static Map<String, Object> record(
            String id, String product, String ds, String measure, Object quantity) {
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put("siteId", "1");
        dims.put("locationId", "11");
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                ORG,
                "productId",
                product,
                "dimensions",
                dims,
                "quantities",
                IvsClient.map(ds, IvsClient.map(measure, quantity)));
    }

    static Map<String, Object> fno(String id, String product, Object quantity) {
        return record(id, product, "fno", "physicalinvent", quantity);
    }

    /** Sets records through set on-hand bulk; every item must succeed. */
    void setOk(IvsClient via, String ds, List<Map<String, Object>> records) {
        IvsClient.Response response =
                via.post(api("/setonhand/" + ds + "/bulk"), IvsClient.json(records));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        }
    }

    /** Begins a full sync; answers its id. */
    String begin(IvsClient via, String ds, String body) {
        IvsClient.Response response = via.post(api("/sync/" + ds), body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("open");
        return response.json().path("syncId").asString();
    }

    IvsClient.Response send(IvsClient via, String ds, String syncId, List<?> records) {
        return via.post(api("/sync/" + ds + "/" + syncId + "/records"), IvsClient.json(records));
    }

    void sendOk(IvsClient via, String ds, String syncId, List<Map<String, Object>> records) {
        IvsClient.Response response = send(via, ds, syncId, records);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        }
    }

    IvsClient.Response complete(IvsClient via, String ds, String syncId) {
        return via.post(api("/sync/" + ds + "/" + syncId + "/complete"), "");
    }

    /** The quantity of {@code fno.physicalinvent} of a product at 1/11, or null without rows. */
    String physical(String product) {
        return at(product, level(null, null)).get("fno.physicalinvent");
    }

    static List<Map<String, Object>> fnoRecords(String prefix, int from, int to, Object quantity) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(fno(prefix + i, "P" + i, quantity));
        }
        return records;
    }

    static BigDecimal decimal(String text) {
        return new BigDecimal(text);
    }
}
