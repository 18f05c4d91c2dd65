package io.ivs.cli;

import static io.ivs.cli.TestIvs.ivs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.cli.TestIvs.Answer;
import io.ivs.cli.TestIvs.Run;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ivs export} against a real IVS: the file it writes is byte for byte what the export
 * endpoint serves, and a refused or malformed call writes nothing.
 */
class ExportCliIntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestIvs server;
    private String env;
    private Path dir;
    private Map<String, String> reader;

    @BeforeEach
    void start() {
        server = TestIvs.get();
        env = server.newEnvironment();
        dir = TestIvs.tempDir("ivs-export-");
        Run created = ivs(
                TestIvs.ADMIN,
                "clients",
                "create",
                "--environments",
                env,
                "--roles",
                "inventory.read",
                "--url",
                server.url());
        assertThat(created.exit()).as(created.err()).isZero();
        reader = Map.of(
                "IVS_CLIENT_ID", created.json().path("clientId").asString(),
                "IVS_CLIENT_SECRET", created.json().path("clientSecret").asString());
    }

    @AfterEach
    void clean() throws IOException {
        for (File file : dir.toFile().listFiles()) {
            Files.delete(file.toPath());
        }
        Files.delete(dir);
    }

    private Run export(Map<String, String> environment, String... args) {
        List<String> all = new ArrayList<>(List.of("export"));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", server.url(), "--environment", env));
        return ivs(environment, all.toArray(String[]::new));
    }

    @Test
    void csvAndParquet_writeWhatTheServerServes() {
        twoSummaryRows();
        Path csv = dir.resolve("summary.csv");
        Path parquet = dir.resolve("summary.parquet");

        Run csvRun = export(reader, "--format", "csv", "--out", csv.toString());
        Run parquetRun = export(reader, "--format", "PARQUET", "--out", parquet.toString());

        assertThat(csvRun.exit()).as(csvRun.err()).isZero();
        assertThat(csvRun.err()).contains("(2 rows)");
        assertThat(csvRun.out()).isEmpty();
        assertThat(bytes(csv)).isEqualTo(server.served(env, "csv"));
        assertThat(new String(bytes(csv), StandardCharsets.UTF_8))
                .startsWith("organization_id,product_id,siteid");
        assertThat(parquetRun.exit()).as(parquetRun.err()).isZero();
        assertThat(bytes(parquet)).isEqualTo(server.served(env, "parquet"));
        assertThat(new String(bytes(parquet), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("summary.csv", "summary.parquet");
    }

    @Test
    void progress_whenAsked_drawsRowsUpToTheTotal() {
        twoSummaryRows();
        Path csv = dir.resolve("summary.csv");

        Run run = export(reader, "--format", "csv", "--out", csv.toString(), "--progress");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("\r[").contains("100%  2/2 rows");
    }

    @Test
    void environmentVariable_namesTheEnvironment() {
        Map<String, String> environment = new java.util.HashMap<>(reader);
        environment.put("IVS_ENVIRONMENT", env);
        Path csv = dir.resolve("empty.csv");

        Run run = ivs(
                environment,
                "export",
                "--format",
                "csv",
                "--out",
                csv.toString(),
                "--url",
                server.url());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("(0 rows)");
        assertThat(bytes(csv)).isEqualTo(server.served(env, "csv"));
    }

    @Test
    void refusedOrMalformedCalls_failWithTheirExitCodeAndWriteNoFile() {
        Path out = dir.resolve("x.csv");

        Run noFormat = export(reader, "--out", out.toString());
        Run badTable = export(reader, "--format", "csv", "--table", "orders", "--out", out + "");
        Run wrongSecret = export(
                Map.of("IVS_CLIENT_ID", reader.get("IVS_CLIENT_ID"), "IVS_CLIENT_SECRET", "no"),
                "--format",
                "csv",
                "--out",
                out.toString());
        Run otherEnvironment = ivs(
                reader,
                "export",
                "--format",
                "csv",
                "--out",
                out.toString(),
                "--url",
                server.url(),
                "--environment",
                server.newEnvironment());
        Run unreachable = ivs(
                reader,
                "export",
                "--format",
                "csv",
                "--out",
                out.toString(),
                "--url",
                TestIvs.unreachableUrl(),
                "--environment",
                env);

        assertThat(noFormat.exit()).isEqualTo(2);
        assertThat(noFormat.err()).contains("--format");
        assertThat(badTable.exit()).isEqualTo(2);
        assertThat(badTable.err()).contains("--table");
        assertThat(wrongSecret.exit()).isEqualTo(1);
        assertThat(wrongSecret.err()).contains("(401)", "client authentication failed");
        assertThat(otherEnvironment.exit()).isEqualTo(1);
        assertThat(otherEnvironment.err()).contains("(403)", "is not granted environment");
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(dir.toFile().list()).isEmpty();
    }

    /** Switches the summary on (following the feed) and waits until it holds two rows. */
    private void twoSummaryRows() {
        String token = server.adminToken(env);
        String api = "/api/environment/" + env;
        Answer configuration = server.call("GET", api + "/configuration", token, null);
        assertThat(configuration.status()).as(configuration.body()).isEqualTo(200);
        ObjectNode document = (ObjectNode) configuration.json();
        ObjectNode storage = (ObjectNode) document.get("storageConfiguration");
        storage.put("isOnHandMostSpecificStorageEnabled", true);
        storage.put("refreshMode", "immediate");
        Answer updated =
                server.call("POST", api + "/configuration/hardupdate", token, document.toString());
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        post(token, api, event("c1", "shirt", "inbound", 3));
        post(token, api, event("c2", "hat", "outbound", 1));
        awaitRows(token, api, 2);
    }

    private ObjectNode event(String id, String product, String measure, int quantity) {
        ObjectNode event = JSON.createObjectNode()
                .put("id", id)
                .put("organizationId", "usmf")
                .put("productId", product);
        event.putObject("dimensions").put("siteId", "1").put("locationId", "11");
        event.putObject("quantities").putObject("pos").put(measure, quantity);
        return event;
    }

    private void post(String token, String api, ObjectNode event) {
        Answer posted = server.call("POST", api + "/onhand", token, event.toString());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    }

    private void awaitRows(String token, String api, int rows) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String count = "";
        while (System.nanoTime() < deadline) {
            Answer export = server.call("GET", api + "/summary/export?format=csv", token, null);
            count = export.headers().getOrDefault("x-row-count", List.of("")).getFirst();
            if (count.equals(Integer.toString(rows))) {
                return;
            }
            sleep();
        }
        throw new AssertionError("the summary never held " + rows + " rows (last: " + count + ")");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
