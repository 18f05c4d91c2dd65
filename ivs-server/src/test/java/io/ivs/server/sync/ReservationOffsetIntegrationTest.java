package io.ivs.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reservation offsets on set on-hand records: the ERP lowers the physical quantity of what it
 * shipped and, in the same transaction, takes that quantity out of the reservation it consumed,
 * so available-to-reserve never counts it twice. Data source {@code erp} (physical
 * {@code unrestricted}) is ERP-owned here; {@code iv.availabletoreserve = +erp.unrestricted
 * +pos.inbound -pos.outbound -iv.softreservphysical}.
 */
class ReservationOffsetIntegrationTest extends SyncTestSupport {
    private static final Map<String, Object> RED = level("Red", null);

    private IvsClient erp;

    @BeforeEach
    void configureErpAndReservations() {
        configureAfr();
        configure(document -> ((tools.jackson.databind.node.ObjectNode)
                        document.get("inventorySystemConfigurations").get("erp"))
                .put("erpOwned", true));
        erp = clientWith("inventory.erp", "inventory.read");
    }

    private static Map<String, Object> shipped(
            String id, String product, Object unrestricted, String reservationId, Object quantity) {
        Map<String, Object> item = record(id, product, "erp", "unrestricted", unrestricted);
        item.put("dimensions", RED);
        if (reservationId != null) {
            item.put(
                    "reservationOffsets",
                    List.of(IvsClient.map("reservationId", reservationId, "quantity", quantity)));
        }
        return item;
    }

    private IvsClient.Response push(Map<String, Object> item) {
        return erp.post(api("/setonhand/erp/bulk"), IvsClient.json(List.of(item)));
    }

    private static JsonNode only(IvsClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get(0);
    }

    @Test
    void offset_inTheSetsTransaction_keepsAvailableToReserve() {
        assertThat(only(push(shipped("s1", "P1", 10, null, null)))
                        .path("statusCode")
                        .asInt())
                .isEqualTo(200);
        String reservation = reserveOk(reserveBody("r1", "P1", RED, 3, true));
        assertThat(afr("P1", RED)).isEqualTo("7");

        JsonNode answer = only(push(shipped("s2", "P1", 8, reservation, 2)));

        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
        assertThat(at("P1", RED)).containsEntry("erp.unrestricted", "8");
        assertThat(reserved("P1", RED)).isEqualTo("1");
        assertThat(afr("P1", RED)).isEqualTo("7");
        // A retry of the same record offsets nothing again.
        assertThat(only(push(shipped("s2", "P1", 8, reservation, 2)))
                        .path("statusCode")
                        .asInt())
                .isEqualTo(200);
        assertThat(reserved("P1", RED)).isEqualTo("1");
        // The same id with another offset is a conflict.
        assertThat(only(push(shipped("s2", "P1", 8, reservation, 1)))
                        .path("statusCode")
                        .asInt())
                .isEqualTo(409);
    }

    @Test
    void offset_unknownReservationOrMoreThanHeld_refusesTheRecordAndWritesNothingOfIt() {
        only(push(shipped("s1", "P1", 10, null, null)));
        String reservation = reserveOk(reserveBody("r1", "P1", RED, 3, true));

        JsonNode unknown = only(push(shipped("s2", "P1", 9, "no-such-reservation", 1)));
        JsonNode over = only(push(shipped("s3", "P1", 6, reservation, 4)));
        JsonNode zero = only(push(shipped("s4", "P1", 6, reservation, 0)));

        assertThat(unknown.path("statusCode").asInt()).isEqualTo(404);
        assertThat(unknown.path("message").asString())
                .contains("reservationOffsets[0].reservationId");
        assertThat(over.path("statusCode").asInt()).isEqualTo(400);
        assertThat(over.path("message").asString()).contains("reservationOffsets[0].quantity");
        assertThat(zero.path("statusCode").asInt()).isEqualTo(400);
        assertThat(at("P1", RED)).containsEntry("erp.unrestricted", "10");
        assertThat(reserved("P1", RED)).isEqualTo("3");
        // A refused record's id stays free: sent again with a right offset, it is applied.
        assertThat(only(push(shipped("s3", "P1", 7, reservation, 3)))
                        .path("statusCode")
                        .asInt())
                .isEqualTo(200);
        assertThat(reserved("P1", RED)).isEqualTo("0");
        assertThat(afr("P1", RED)).isEqualTo("7");
        // Offsets ride set on-hand only; a change event carrying one is refused whole.
        Map<String, Object> change = record("c1", "P1", "pos", "inbound", 1);
        change.put(
                "reservationOffsets",
                List.of(IvsClient.map("reservationId", reservation, "quantity", 1)));
        JsonNode refused = client.post(api("/onhand/bulk"), IvsClient.json(List.of(change)))
                .json()
                .get(0);
        assertThat(refused.path("statusCode").asInt()).isEqualTo(400);
        assertThat(refused.path("message").asString()).contains("reservationOffsets");
    }

    /**
     * 100 reserved of 1,000: the ERP ships them one by one, each push lowering the physical
     * quantity by one and offsetting one. A reader polling available-to-reserve the whole time
     * must only ever see 900; a set and its offset in two transactions would show 899.
     */
    @Test
    void offset_concurrentReader_neverSeesTheQuantityCountedTwice() throws Exception {
        only(push(shipped("s0", "P1", 1_000, null, null)));
        String reservation = reserveOk(reserveBody("r1", "P1", RED, 100, true));
        assertThat(afr("P1", RED)).isEqualTo("900");
        AtomicBoolean done = new AtomicBoolean();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                seen.add(String.valueOf(afr("P1", RED)));
                reads.incrementAndGet();
            }
        });

        for (int i = 1; i <= 100; i++) {
            JsonNode answer = only(push(shipped("ship-" + i, "P1", 1_000 - i, reservation, 1)));
            assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
        }
        done.set(true);
        reader.join();

        assertThat(reads.get()).isGreaterThan(10);
        assertThat(seen).containsExactly("900");
        assertThat(reserved("P1", RED)).isEqualTo("0");
        assertThat(at("P1", RED)).containsEntry("erp.unrestricted", "900");
    }

    @Test
    void offset_inAFullSyncRecord_isAppliedLikeInSetOnHand() {
        only(push(shipped("s1", "P1", 10, null, null)));
        String reservation = reserveOk(reserveBody("r1", "P1", RED, 3, true));
        String syncId = begin(erp, "erp", "");

        sendOk(erp, "erp", syncId, List.of(shipped("s2", "P1", 9, reservation, 1)));

        assertThat(reserved("P1", RED)).isEqualTo("2");
        assertThat(afr("P1", RED)).isEqualTo("7");
        assertThat(complete(erp, "erp", syncId).status()).isEqualTo(200);
        assertThat(afr("P1", RED)).isEqualTo("7");
    }
}
