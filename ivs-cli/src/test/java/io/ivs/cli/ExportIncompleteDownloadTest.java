package io.ivs.cli;

import static io.ivs.cli.TestIvs.ivs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.ivs.cli.TestIvs.Run;

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
import java.util.Map;

/**
 * A download that a server ends early can look complete to HTTP (a servlet container may close a
 * chunked answer normally after a failure): {@code ivs export} checks the rows against {@code
 * X-Row-Count} (CSV) or the closing magic bytes (Parquet), then writes no file and exits 3, as it
 * does for a 5xx. A small local server plays the IVS endpoints it calls.
 */
class ExportIncompleteDownloadTest {
    private static final Map<String, String> READER =
            Map.of("IVS_CLIENT_ID", "reader", "IVS_CLIENT_SECRET", "secret");

    private HttpServer server;
    private Path dir;
    private volatile byte[] body = new byte[0];
    private volatile String rowCount = "0";
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("ivs-export-");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/oauth2/token", exchange -> json(exchange, "{\"access_token\":\"a\"}"));
        server.createContext("/token", exchange -> json(exchange, "{\"access_token\":\"t\"}"));
        server.createContext("/api/environment/demo/summary/export", exchange -> {
            exchange.getResponseHeaders().add("X-Row-Count", rowCount);
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        for (File file : dir.toFile().listFiles()) {
            Files.delete(file.toPath());
        }
        Files.delete(dir);
    }

    private static void json(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Run export(String format, Path out) {
        return ivs(
                READER,
                "export",
                "--format",
                format,
                "--out",
                out.toString(),
                "--environment",
                "demo",
                "--url",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void csv_fewerRowsThanAnnounced_exitsThreeAndWritesNoFile() throws Exception {
        body = "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n".getBytes(StandardCharsets.UTF_8);
        Path out = dir.resolve("s.csv");

        rowCount = "3";
        Run truncated = export("csv", out);
        boolean writtenWhenTruncated = Files.exists(out);
        rowCount = "2";
        Run complete = export("csv", out);

        assertThat(truncated.exit()).isEqualTo(3);
        assertThat(truncated.err()).contains("incomplete", "2 of 3 rows");
        assertThat(writtenWhenTruncated).isFalse();
        assertThat(complete.exit()).as(complete.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(body);
    }

    @Test
    void parquet_withoutClosingMagic_exitsThreeAndWritesNoFile() {
        body = "PAR1 row groups but no footer".getBytes(StandardCharsets.US_ASCII);
        rowCount = "5";

        Run truncated = export("parquet", dir.resolve("s.parquet"));

        assertThat(truncated.exit()).isEqualTo(3);
        assertThat(truncated.err()).contains("incomplete");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void serverError_exitsThreeWithItsMessage() {
        status = 503;
        body = "{\"title\":\"Service Unavailable\",\"detail\":\"database unreachable\"}"
                .getBytes(StandardCharsets.UTF_8);

        Run failed = export("csv", dir.resolve("s.csv"));

        assertThat(failed.exit()).isEqualTo(3);
        assertThat(failed.err()).contains("(503)", "database unreachable");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void outputDirectoryMissing_exitsOne() {
        body = "a\r\n".getBytes(StandardCharsets.UTF_8);

        Run failed = export("csv", dir.resolve("missing").resolve("s.csv"));

        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("cannot write");
    }
}
