package io.ivs.cli;

import static io.ivs.cli.TestIvs.ivs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.ivs.cli.TestIvs.Run;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sync and product catalogue modes against a stand-in that speaks their documented
 * contracts (begin, records, complete, abort; products/bulk), since this server does not serve
 * them yet: one sync per import, resumed under the same id after a failure, aborted when rows
 * are refused; catalogue items with their attributes.
 */
class ImportContractTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> CREDENTIALS =
            Map.of("IVS_CLIENT_ID", "erp", "IVS_CLIENT_SECRET", "secret");

    private HttpServer server;
    private Path dir;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> records = new ConcurrentHashMap<>();
    private final AtomicInteger failRecordsCalls = new AtomicInteger();
    private final AtomicInteger recordsCalls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        dir = TestIvs.tempDir("ivs-contract-");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String call = exchange.getRequestMethod() + " " + path;
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.equals("/oauth2/token") || path.equals("/token")) {
            answer(exchange, 200, "{\"access_token\":\"t\"}");
            return;
        }
        calls.add(call);
        if (path.endsWith("/records") || path.endsWith("/products/bulk")) {
            if (path.endsWith("/records")
                    && recordsCalls.incrementAndGet() > 1
                    && failRecordsCalls.get() > 0) {
                failRecordsCalls.decrementAndGet();
                answer(exchange, 503, "{\"detail\":\"down for a moment\"}");
                return;
            }
            JsonNode items = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            StringBuilder envelopes = new StringBuilder("[");
            for (JsonNode item : items) {
                String key = item.has("id")
                        ? item.path("id").asString()
                        : item.path("itemNumber").asString();
                records.put(key, item);
                envelopes
                        .append(envelopes.length() > 1 ? "," : "")
                        .append("{\"id\":\"")
                        .append(key)
                        .append("\",\"statusCode\":200}");
            }
            answer(exchange, 200, envelopes.append(']').toString());
        } else if (call.equals("POST /api/environment/e/sync/fno")) {
            answer(exchange, 200, "{\"syncId\":\"s-" + calls.size() + "\"}");
        } else {
            answer(exchange, 200, "{}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Run importFile(Path file, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("import", "--file", file.toString()));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "--environment",
                "e"));
        return ivs(CREDENTIALS, all.toArray(String[]::new));
    }

    private Path syncFile(int rows, String badRow) throws IOException {
        StringBuilder csv =
                new StringBuilder("organizationId,productId,siteId,fno.availphysical\n");
        for (int i = 0; i < rows; i++) {
            csv.append("usmf,P").append(i).append(",1,").append(i).append('\n');
        }
        csv.append(badRow);
        return Files.writeString(dir.resolve("erp.csv"), csv.toString());
    }

    @Test
    void sync_beginsOnce_sendsEveryRecord_andCompletes() throws IOException {
        Path file = syncFile(2_500, "");

        Run run = importFile(file, "--format", "csv", "--mode", "sync", "--data-source", "fno");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(calls).first().isEqualTo("POST /api/environment/e/sync/fno");
        // Each of the 4 workers sends its own products' records: 3 or 4 requests of <= 1,000.
        assertThat(calls)
                .filteredOn(c -> c.endsWith("/records"))
                .hasSizeBetween(3, 4)
                .allMatch(c -> c.equals("POST /api/environment/e/sync/fno/s-1/records"));
        assertThat(calls).last().isEqualTo("POST /api/environment/e/sync/fno/s-1/complete");
        assertThat(records).hasSize(2_500);
        assertThat(records.values().iterator().next().path("quantities").has("fno"))
                .isTrue();
    }

    @Test
    void sync_failedMidway_resumesUnderTheSameSyncId() throws IOException {
        Path file = syncFile(2_500, "");
        failRecordsCalls.set(ImportCommand.SEND_TRIES_MAX);

        Run failed = importFile(
                file,
                "--format",
                "csv",
                "--mode",
                "sync",
                "--data-source",
                "fno",
                "--parallel",
                "1");
        Run resumed = importFile(file, "--format", "csv", "--mode", "sync", "--data-source", "fno");

        assertThat(failed.exit()).as(failed.err()).isEqualTo(3);
        assertThat(failed.err()).contains("down for a moment");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err())
                .contains("resuming after line 1001")
                .contains("continuing full sync s-1");
        assertThat(calls)
                .filteredOn(c -> c.equals("POST /api/environment/e/sync/fno"))
                .hasSize(1);
        assertThat(calls).filteredOn(c -> c.startsWith("DELETE")).isEmpty();
        assertThat(calls).last().isEqualTo("POST /api/environment/e/sync/fno/s-1/complete");
        assertThat(records).hasSize(2_500);
        assertThat(Files.exists(dir.resolve("erp.csv.ivs-import"))).isFalse();
    }

    @Test
    void sync_withRefusedRows_isAborted_andNotCompleted() throws IOException {
        Path file = syncFile(10, "usmf,,1,5\n");

        Run run = importFile(file, "--format", "csv", "--mode", "sync", "--data-source", "fno");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("1 rows were refused").contains("was aborted");
        assertThat(calls).last().isEqualTo("DELETE /api/environment/e/sync/fno/s-1");
        assertThat(calls).noneMatch(c -> c.endsWith("/complete"));
    }

    @Test
    void products_areSentWithTheirAttributes() throws IOException {
        Path file = Files.writeString(
                dir.resolve("products.csv"),
                "organizationId,itemNumber,productName,attr:DimensionAttribute:Color:ColorId\n"
                        + "usmf,I-1,Shirt,red|blue\nusmf,I-2,Cap,\nusmf,,Nameless,\n");

        Run run = importFile(file, "--format", "csv", "--mode", "products");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("imported 2 rows, 1 refused");
        assertThat(calls).isNotEmpty().allMatch("POST /api/environment/e/products/bulk"::equals);
        assertThat(records.get("I-1").toString())
                .isEqualTo("{\"organizationId\":\"usmf\",\"itemNumber\":\"I-1\","
                        + "\"productName\":\"Shirt\",\"attributes\":[{\"attributeTypeName\":"
                        + "\"Color\",\"attributeName\":\"ColorId\",\"attributeArea\":"
                        + "\"DimensionAttribute\",\"attributeValues\":[\"red\",\"blue\"]}]}");
        assertThat(records.get("I-2").path("attributes").size()).isZero();
        assertThat(Files.readString(dir.resolve("products.csv.rejects.csv")))
                .contains("usmf,,Nameless,,4,itemNumber: must not be empty");
    }
}
