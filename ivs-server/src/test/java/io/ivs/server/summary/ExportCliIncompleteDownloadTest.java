package io.ivs.server.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A download that a server ends early can look complete to HTTP (a servlet container may close
 * a chunked response normally after a failure): {@code bin/ivs export} checks the rows against
 * {@code X-Row-Count} (CSV) or the closing magic bytes (Parquet) and then writes no file. A small
 * local server plays the IVS endpoints it calls.
 */
class ExportCliIncompleteDownloadTest {
    private HttpServer server;
    private Path script;
    private Path dir;
    private volatile byte[] body = new byte[0];
    private volatile String rowCount = "0";

    @BeforeEach
    void start() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("bin/ivs"))) {
            root = root.getParent();
        }
        assumeTrue(root != null, "bin/ivs not found above the working directory");
        assumeTrue(onPath("bash") && onPath("curl"), "bash and curl are needed");
        script = root.resolve("bin/ivs");
        dir = Files.createTempDirectory("ivs-export-");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/oauth2/token", exchange -> json(exchange, "{\"access_token\":\"a\"}"));
        server.createContext("/token", exchange -> json(exchange, "{\"access_token\":\"t\"}"));
        server.createContext("/api/environment/demo/summary/export", exchange -> {
            exchange.getResponseHeaders().add("X-Row-Count", rowCount);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop(0);
        }
        if (dir != null) {
            for (File file : dir.toFile().listFiles()) {
                Files.delete(file.toPath());
            }
            Files.delete(dir);
        }
    }

    private static void json(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private record Run(int exit, String err) {}

    private Run export(String format, Path out) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                "bash",
                script.toString(),
                "export",
                "--format",
                format,
                "--out",
                out.toString(),
                "--environment",
                "demo",
                "--url",
                "http://127.0.0.1:" + server.getAddress().getPort()));
        builder.environment().keySet().removeIf(name -> name.startsWith("IVS_"));
        builder.environment().put("IVS_CLIENT_ID", "reader");
        builder.environment().put("IVS_CLIENT_SECRET", "secret");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        process.getOutputStream().close();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), err);
    }

    @Test
    void csv_fewerRowsThanAnnounced_failsAndWritesNoFile() throws Exception {
        body = "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n".getBytes(StandardCharsets.UTF_8);
        Path out = dir.resolve("s.csv");

        rowCount = "3";
        Run truncated = export("csv", out);
        boolean writtenWhenTruncated = Files.exists(out);
        rowCount = "2";
        Run complete = export("csv", out);

        assertThat(truncated.exit()).isNotZero();
        assertThat(truncated.err()).contains("incomplete", "2 of 3 rows");
        assertThat(writtenWhenTruncated).isFalse();
        assertThat(complete.exit()).as(complete.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(body);
    }

    @Test
    void parquet_withoutClosingMagic_failsAndWritesNoFile() throws Exception {
        body = "PAR1 row groups but no footer".getBytes(StandardCharsets.US_ASCII);
        rowCount = "5";
        Path out = dir.resolve("s.parquet");

        Run truncated = export("parquet", out);

        assertThat(truncated.exit()).isNotZero();
        assertThat(truncated.err()).contains("incomplete");
        assertThat(Files.exists(out)).isFalse();
        assertThat(dir.toFile().list()).isEmpty();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
