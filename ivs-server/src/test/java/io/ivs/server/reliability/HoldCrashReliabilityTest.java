package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A hold outlives the process that took it: IVS is killed with SIGKILL right after a hold is
 * taken, stays down past the hold's expiry, and after the restart its sweeper releases the hold,
 * once: the reservation goes to zero (not below), a reservation without expiry next to it keeps
 * what it holds, and the sweeper finds nothing more to do. The server runs with the real clock,
 * so this test waits for the expiry (a few seconds) while the server is down.
 */
class HoldCrashReliabilityTest {
    private static final long TTL_SECONDS = 2;
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(60);

    private static ChildServer server;
    private static IvsClient client;
    private static String env;

    @BeforeAll
    static void start() {
        server = new ChildServer(List.of("--ivs.reservation.hold-sweep-interval=PT0.2S"));
        server.start();
        client = new IvsClient(server.port());
        env = "holds-" + UUID.randomUUID();
        IvsClient.Response created = client.put("/admin/environments/" + env, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ObjectNode document = (ObjectNode) client.get(api("/configuration")).json();
        ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
        IvsClient.Response configured =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));
        assertThat(configured.status()).as(configured.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String api(String path) {
        return "/api/environment/" + env + path;
    }

    private static Map<String, Object> reserve(String id, String location, Object ttl) {
        Map<String, Object> body = IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "Bike",
                "dimensions",
                Map.of("siteId", "1", "locationId", location),
                "quantityDataSource",
                "iv",
                "modifier",
                "softreserved",
                "quantity",
                5,
                "ifCheckAvailForReserv",
                false);
        if (ttl != null) {
            body.put("ttlSeconds", ttl);
        }
        return body;
    }

    private static Map<String, String> held() {
        IvsClient.Response response = client.get("/admin/environments/" + env + "/reservations");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, String> held = new java.util.TreeMap<>();
        for (JsonNode row : response.json()) {
            held.put(
                    row.path("dimensions").path("locationid").asString(),
                    row.path("quantity").asString() + "@"
                            + row.path("expiresAt").asString());
        }
        return held;
    }

    @Test
    void hold_processKilledBeforeItLapses_isReleasedOnceAfterTheRestart() throws Exception {
        IvsClient.Response permanent =
                client.post(api("/onhand/reserve"), IvsClient.json(reserve("p1", "12", null)));
        assertThat(permanent.status()).as(permanent.body()).isEqualTo(200);
        IvsClient.Response hold = client.post(
                api("/onhand/reserve"), IvsClient.json(reserve("h1", "11", TTL_SECONDS)));
        assertThat(hold.status()).as(hold.body()).isEqualTo(200);
        Instant expiresAt = Instant.parse(held().get("11").split("@")[1]);

        server.kill();
        while (Instant.now().isBefore(expiresAt.plusMillis(500))) {
            ChildServer.sleep(Duration.ofMillis(200));
        }
        server.start();

        Instant deadline = Instant.now().plus(RELEASE_TIMEOUT);
        while (!held().get("11").startsWith("0@") && Instant.now().isBefore(deadline)) {
            ChildServer.sleep(Duration.ofMillis(200));
        }
        // A few more sweeps: a second release would take the reservation below zero.
        ChildServer.sleep(Duration.ofSeconds(1));
        assertThat(held()).as(server.logTail()).containsEntry("11", "0@");
        assertThat(held()).containsEntry("12", "5@");
        IvsClient.Response retry = client.post(
                api("/onhand/reserve"), IvsClient.json(reserve("h1", "11", TTL_SECONDS)));
        assertThat(retry.status()).as("a retry replays, reserving nothing").isEqualTo(200);
        assertThat(held()).containsEntry("11", "0@");
    }
}
