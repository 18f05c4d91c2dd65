package io.ivs.server.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/ivs export} against the running test server, as an operator runs it: the file it
 * writes is byte for byte what the export endpoint serves. Needs bash and curl.
 */
class ExportCliIntegrationTest extends SummaryTestSupport {
    private Path script;

    @BeforeEach
    void findScript() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("bin/ivs"))) {
            dir = dir.getParent();
        }
        assumeTrue(dir != null, "bin/ivs not found above the working directory");
        assumeTrue(onPath("bash") && onPath("curl"), "bash and curl are needed");
        script = dir.resolve("bin/ivs");
    }

    private record Run(int exit, String err) {}

    private Run export(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "export"));
        command.addAll(List.of(args));
        command.addAll(List.of("--url", "http://127.0.0.1:" + port, "--environment", env));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("IVS_"));
        builder.environment().putAll(environment);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        process.getOutputStream().close();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), err);
    }

    private static final Map<String, String> READER = Map.of(
            "IVS_CLIENT_ID", IvsClient.ADMIN_ID, "IVS_CLIENT_SECRET", IvsClient.ADMIN_SECRET);

    private byte[] served(String format) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + api("/summary/export?format=" + format)))
                .header("Authorization", "Bearer " + client.adminToken(env))
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }

    @Test
    void export_csvAndParquet_writeWhatTheServerServes() throws Exception {
        enable(true, false, "periodic");
        change(event(
                "c1",
                "shirt",
                dims("siteId", "1", "locationId", "11", "colorId", "red"),
                "pos",
                "inbound",
                3));
        change(event("c2", "hat", dims("siteId", "2", "locationId", "21"), "pos", "outbound", 1));
        refresher.refreshAll(env, false, () -> {});
        Path dir = Files.createTempDirectory("ivs-export-");
        try {
            Path csv = dir.resolve("summary.csv");
            Path parquet = dir.resolve("summary.parquet");

            Run csvRun = export(READER, "--format", "csv", "--out", csv.toString());
            Run parquetRun = export(READER, "--format", "parquet", "--out", parquet.toString());

            assertThat(csvRun.exit()).as(csvRun.err()).isZero();
            assertThat(csvRun.err()).contains("(2 rows)");
            assertThat(Files.readAllBytes(csv)).isEqualTo(served("csv"));
            assertThat(Files.readString(csv)).startsWith("organization_id,product_id,siteid");
            assertThat(parquetRun.exit()).as(parquetRun.err()).isZero();
            assertThat(Files.readAllBytes(parquet)).isEqualTo(served("parquet"));
            assertThat(new String(Files.readAllBytes(parquet), 0, 4, StandardCharsets.US_ASCII))
                    .isEqualTo("PAR1");
            assertThat(dir.toFile().list())
                    .containsExactlyInAnyOrder("summary.csv", "summary.parquet");
        } finally {
            for (File file : dir.toFile().listFiles()) {
                Files.delete(file.toPath());
            }
            Files.delete(dir);
        }
    }

    @Test
    void export_badOptionsOrCredentials_failsWithAMessageAndNoFile() throws Exception {
        Path out = Files.createTempDirectory("ivs-export-").resolve("x.csv");

        Run noFormat = export(READER, "--out", out.toString());
        Run wrongSecret = export(
                Map.of("IVS_CLIENT_ID", IvsClient.ADMIN_ID, "IVS_CLIENT_SECRET", "wrong"),
                "--format",
                "csv",
                "--out",
                out.toString());
        Run badTable =
                export(READER, "--format", "csv", "--table", "orders", "--out", out.toString());

        assertThat(noFormat.exit()).isEqualTo(2);
        assertThat(noFormat.err()).contains("--format");
        assertThat(wrongSecret.exit()).isNotZero();
        assertThat(wrongSecret.err()).contains("401");
        assertThat(badTable.exit()).isEqualTo(2);
        assertThat(Files.exists(out)).isFalse();
        assertThat(Files.exists(Path.of(out + ".part"))).isFalse();
        Files.delete(out.getParent());
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
