package io.ivs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Stops IVS and starts it again on the same data: stock and processed event ids survive. With
 * {@code IVS_DATABASE_URL} set both instances use that database; otherwise both run the embedded
 * PostgreSQL from the same data directory.
 */
class RestartIntegrationTest {
    private static final String QUERY = """
            {"filters": {"organizationId": ["usmf"], "productId": ["T-shirt"],
                         "siteId": ["1"], "locationId": ["11"]},
             "groupByValues": ["colorId"], "returnNegative": true}""";

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(IvsApplication.class)
                .run("--server.port=0", "--ivs.data-dir=" + dataDir);
    }

    private static IvsClient client(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        assertThat(port).as("local.server.port").isNotBlank();
        return new IvsClient(Integer.parseInt(port));
    }

    private static String event(String id, String color, String measure, String quantity) {
        return IvsClient.json(IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "T-shirt",
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11", "colorId", color),
                "quantities",
                IvsClient.map("pos", IvsClient.map(measure, new java.math.BigDecimal(quantity)))));
    }

    private static String quantity(IvsClient client, String env, String color, String measure) {
        IvsClient.Response response =
                client.post("/api/environment/" + env + "/onhand/indexquery", QUERY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode row : response.json()) {
            if (color.equals(row.path("dimensions").path("ColorId").asString())) {
                return HttpTestSupport.quantity(row, "pos", measure);
            }
        }
        return null;
    }

    private static void postChange(IvsClient client, String env, String body, int status) {
        IvsClient.Response response = client.post("/api/environment/" + env + "/onhand", body);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
    }

    @Test
    void restart_sameDataDirectory_keepsStockAndRecognisesProcessedEventIds() throws IOException {
        Path dataDir = Files.createTempDirectory("ivs-restart-");
        // As root the embedded PostgreSQL runs as user nobody, which must traverse this folder.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String env = "restart-" + UUID.randomUUID();
        try {
            try (ConfigurableApplicationContext first = start(dataDir)) {
                IvsClient client = client(first);
                IvsClient.Response created = client.put("/admin/environments/" + env, null);
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                postChange(client, env, event("r1", "red", "inbound", "7"), 200);
                IvsClient.Response bulk = client.post(
                        "/api/environment/" + env + "/onhand/bulk",
                        "[" + event("r2", "red", "inbound", "3") + ","
                                + event("r3", "black", "outbound", "2.5") + "]");
                assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
                assertThat(bulk.json().findValuesAsString("processingStatus"))
                        .containsOnly("success");
                assertThat(quantity(client, env, "red", "inbound")).isEqualTo("10");
                assertThat(quantity(client, env, "black", "outbound")).isEqualTo("2.5");
            }

            try (ConfigurableApplicationContext second = start(dataDir)) {
                IvsClient client = client(second);
                assertThat(quantity(client, env, "red", "inbound")).isEqualTo("10");
                assertThat(quantity(client, env, "black", "outbound")).isEqualTo("2.5");
                IvsClient.Response again = client.put("/admin/environments/" + env, null);
                assertThat(again.status()).as("the environment still exists").isEqualTo(200);

                postChange(client, env, event("r1", "red", "inbound", "7"), 200);
                assertThat(quantity(client, env, "red", "inbound"))
                        .as("a retried event id from before the restart is not applied again")
                        .isEqualTo("10");
                postChange(client, env, event("r3", "black", "outbound", "4"), 409);
                assertThat(quantity(client, env, "black", "outbound")).isEqualTo("2.5");

                postChange(client, env, event("r4", "red", "inbound", "1"), 200);
                assertThat(quantity(client, env, "red", "inbound")).isEqualTo("11");
            }
        } finally {
            deleteQuietly(dataDir);
        }
    }

    /**
     * A change-feed consumer reads part of the feed, IVS stops (changes committed but maybe not
     * yet given positions included), starts again and takes more changes; the consumer resumes
     * from its cursor and sees every change exactly once, in commit order.
     */
    @Test
    void restart_changeFeedConsumer_resumesFromItsCursorAndSeesEveryChangeOnceInOrder()
            throws IOException {
        Path dataDir = Files.createTempDirectory("ivs-restart-feed-");
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String env = "feed-" + UUID.randomUUID();
        String feed = "/api/environment/" + env + "/changes";
        List<String> seen = new java.util.ArrayList<>();
        List<Long> positions = new java.util.ArrayList<>();
        try {
            String cursor;
            try (ConfigurableApplicationContext first = start(dataDir)) {
                IvsClient client = client(first);
                assertThat(client.put("/admin/environments/" + env, null).status())
                        .isEqualTo(201);
                for (int i = 1; i <= 5; i++) {
                    postChange(client, env, event("f" + i, "c" + i, "inbound", "" + i), 200);
                }
                cursor = read(client, feed, "0", 3, seen, positions);
                assertThat(seen).hasSize(3);
            }
            try (ConfigurableApplicationContext second = start(dataDir)) {
                IvsClient client = client(second);
                for (int i = 6; i <= 8; i++) {
                    postChange(client, env, event("f" + i, "c" + i, "inbound", "" + i), 200);
                }
                read(client, feed, cursor, 8, seen, positions);
            }
        } finally {
            deleteQuietly(dataDir);
        }
        assertThat(seen)
                .containsExactly("c1=1", "c2=2", "c3=3", "c4=4", "c5=5", "c6=6", "c7=7", "c8=8");
        assertThat(positions).isSorted().doesNotHaveDuplicates();
    }

    /** Reads the feed after {@code cursor} (long-polling) until {@code total} changes were seen. */
    private static String read(
            IvsClient client,
            String feed,
            String cursor,
            int total,
            List<String> seen,
            List<Long> positions) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String next = cursor;
        while (seen.size() < total && System.nanoTime() < deadline) {
            int limit = total - seen.size();
            IvsClient.Response page =
                    client.get(feed + "?after=" + next + "&limit=" + limit + "&wait=5");
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (JsonNode change : page.json().path("changes")) {
                seen.add(change.path("dimensions").path("ColorId").asString() + "="
                        + change.path("quantities").path("pos").path("inbound").asString());
                positions.add(change.path("position").asLong());
            }
            next = page.json().path("next").asString();
        }
        return next;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
