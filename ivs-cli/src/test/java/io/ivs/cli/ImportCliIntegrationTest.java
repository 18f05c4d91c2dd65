package io.ivs.cli;

import static io.ivs.cli.TestIvs.ivs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.cli.TestIvs.Answer;
import io.ivs.cli.TestIvs.Run;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code ivs import} against a real IVS: exact totals on the server after change and set
 * imports, refused rows with their line numbers, a second run that changes nothing, and an
 * import killed (SIGKILL of a child JVM) at about 40 % and resumed with exact totals.
 */
class ImportCliIntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int PRODUCTS = 40;

    private TestIvs server;
    private String env;
    private Path dir;
    private Map<String, String> writer;

    @BeforeEach
    void start() {
        server = TestIvs.get();
        env = server.newEnvironment();
        dir = TestIvs.tempDir("ivs-import-");
        Run created = ivs(
                TestIvs.ADMIN,
                "clients",
                "create",
                "--environments",
                env,
                "--roles",
                "inventory.write,inventory.read",
                "--url",
                server.url());
        assertThat(created.exit()).as(created.err()).isZero();
        writer = Map.of(
                "IVS_CLIENT_ID", created.json().path("clientId").asString(),
                "IVS_CLIENT_SECRET", created.json().path("clientSecret").asString());
    }

    private Run importFile(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of("import", "--file", file.toString()));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", server.url(), "--environment", env));
        return ivs(writer, all.toArray(String[]::new));
    }

    /** Rows of change events: product P(i % 40), pos.inbound i % 7 + 1, pos.outbound 1. */
    static String changeCsv(int rows) {
        StringBuilder csv = new StringBuilder(
                "organizationId,productId,siteId,locationId,pos.inbound,pos.outbound\n");
        for (int i = 0; i < rows; i++) {
            csv.append("usmf,P")
                    .append(i % PRODUCTS)
                    .append(",1,11,")
                    .append(i % 7 + 1)
                    .append(",1\n");
        }
        return csv.toString();
    }

    static Map<String, BigDecimal> expectedInbound(int rows) {
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (int i = 0; i < rows; i++) {
            expected.merge("P" + i % PRODUCTS, BigDecimal.valueOf(i % 7 + 1), BigDecimal::add);
        }
        return expected;
    }

    @Test
    void change_importsExactTotals_andASecondRunChangesNothing() {
        Path file = write("changes.csv", changeCsv(3_000));

        Run first = importFile(file, "--format", "csv", "--progress");
        Run second = importFile(file, "--format", "csv");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err())
                .contains("imported 3000 rows, 0 refused")
                .contains("rows/s  ETA")
                .contains("3000/3000 rows");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(totals("inbound")).isEqualTo(expectedInbound(3_000));
        assertThat(totals("outbound").get("P0")).isEqualByComparingTo("75");
        assertThat(Files.exists(dir.resolve("changes.csv.ivs-import"))).isFalse();
        assertThat(Files.exists(dir.resolve("changes.csv.rejects.csv"))).isFalse();
    }

    @Test
    void malformedRows_areRefusedWithLineNumbers_andTheRestGoesIn() throws IOException {
        Path file = write(
                "bad.csv",
                "organizationId,productId,siteId,locationId,pos.inbound\n"
                        + "usmf,P1,1,11,5\n"
                        + "usmf,,1,11,5\n"
                        + "usmf,P1,1,11,five\n"
                        + "usmf,P1,1,11,5,extra\n"
                        + "usmf,P2,1,11,2\n");
        Path rejects = dir.resolve("refused.csv");

        Run run = importFile(file, "--format", "csv", "--rejects", rejects.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("imported 2 rows, 3 refused (see " + rejects);
        assertThat(Files.readAllLines(rejects))
                .containsExactly(
                        "organizationId,productId,siteId,locationId,pos.inbound,line,reason",
                        "usmf,,1,11,5,3,productId: must not be empty",
                        "usmf,P1,1,11,five,4,pos.inbound: 'five' is not a number",
                        "usmf,P1,1,11,5,extra,5,has 6 fields; the header has 5");
        assertThat(totals("inbound"))
                .containsEntry("P1", new BigDecimal("5"))
                .containsEntry("P2", new BigDecimal("2"));
    }

    @Test
    void unknownDimension_isRefusedByTheServer_withTheRowsLine() throws IOException {
        Path file = write(
                "dims.csv",
                "organizationId,productId,siteId,locationId,noSuchDimension,pos.inbound\n"
                        + "usmf,P1,1,11,,4\nusmf,P1,1,11,x,4\n");

        Run run = importFile(file, "--format", "csv");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        List<String> rejected = Files.readAllLines(dir.resolve("dims.csv.rejects.csv"));
        assertThat(rejected).hasSize(2);
        assertThat(rejected.get(1))
                .startsWith("usmf,P1,1,11,x,4,3,refused by the server: 400")
                .containsIgnoringCase("nosuchdimension");
        assertThat(totals("inbound")).containsEntry("P1", new BigDecimal("4"));
    }

    @Test
    void set_lastRowOfAProductWins_andOtherDataSourcesColumnsAreRefused() {
        StringBuilder csv =
                new StringBuilder("organizationId,productId,siteId,locationId,pos.inbound\n");
        for (int i = 0; i < 2_000; i++) {
            csv.append("usmf,P").append(i % PRODUCTS).append(",1,11,").append(i).append('\n');
        }
        Path file = write("counts.csv", csv.toString());
        Path wrong =
                write("wrong.csv", "organizationId,productId,pos.inbound,fno.x\nusmf,P1,1,2\n");

        Run run = importFile(file, "--format", "csv", "--mode", "set", "--data-source", "pos");
        Run refused = importFile(wrong, "--format", "csv", "--mode", "set", "--data-source", "pos");
        Run noSource = importFile(file, "--format", "csv", "--mode", "set");

        assertThat(run.exit()).as(run.err()).isZero();
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (int p = 0; p < PRODUCTS; p++) {
            expected.put("P" + p, BigDecimal.valueOf(2_000 - PRODUCTS + p));
        }
        assertThat(totals("inbound")).isEqualTo(expected);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("'fno.x' belongs to data source 'fno'");
        assertThat(noSource.exit()).isEqualTo(2);
        assertThat(noSource.err()).contains("--mode set needs --data-source DS");
    }

    @Test
    void parquet_importsExactTotals_andRefusesRowsWithoutTheirSite() throws IOException {
        Path file = dir.resolve("rows.parquet");
        ParquetImportTest.write(file, 1_000);

        Run run = importFile(file, "--format", "parquet");

        // Every other row has no siteId, a partition dimension the server requires.
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("imported 500 rows, 500 refused");
        assertThat(Files.readAllLines(dir.resolve("rows.parquet.rejects.csv")))
                .hasSize(501)
                .anyMatch(line ->
                        line.startsWith("usmf,P1,,11,1.51,0.25,3,refused by the server: 400"));
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (int i = 0; i < 1_000; i += 2) {
            expected.merge("P" + i % PRODUCTS, BigDecimal.valueOf(150L + i, 2), BigDecimal::add);
        }
        expected.replaceAll((product, total) -> total.stripTrailingZeros());
        Map<String, BigDecimal> imported = totals("inbound");
        imported.replaceAll((product, total) -> total.stripTrailingZeros());
        assertThat(imported).isEqualTo(expected);
    }

    @Test
    void killedAtFortyPercent_resumes_withExactTotals() throws Exception {
        int rows = 20_000;
        Path file = write("big.csv", changeCsv(rows));
        Path state = dir.resolve("big.csv.ivs-import");
        Process child = childImport(file);
        long killedAt = waitForStateLine(child, state, rows * 4 / 10);
        child.destroyForcibly().waitFor();

        Run resumed = importFile(file, "--format", "csv");

        assertThat(killedAt).isBetween((long) rows * 4 / 10, (long) rows - 1);
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming after line");
        assertThat(totals("inbound")).isEqualTo(expectedInbound(rows));
        assertThat(Files.exists(state)).isFalse();
    }

    /** The CLI in a child JVM, slowed down to one small request at a time so it can be killed. */
    private Process childImport(Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.ivs.cli.IvsCli",
                "import",
                "--format",
                "csv",
                "--file",
                file.toString(),
                "--batch",
                "50",
                "--parallel",
                "1",
                "--url",
                server.url(),
                "--environment",
                env);
        builder.environment().putAll(writer);
        builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        return builder.start();
    }

    private static long waitForStateLine(Process child, Path state, long line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("the child import ended before 40 %").isTrue();
            if (Files.exists(state)) {
                Properties saved = new Properties();
                try (var in = Files.newBufferedReader(state)) {
                    saved.load(in);
                } catch (IOException e) {
                    continue;
                }
                long at = Long.parseLong(saved.getProperty("line", "0"));
                if (at >= line) {
                    return at;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child import did not reach line " + line);
    }

    /** pos.{measure} per product of site 1, location 11, summed over what the server answers. */
    private Map<String, BigDecimal> totals(String measure) {
        ObjectNode query = JSON.createObjectNode();
        ObjectNode filters = query.putObject("filters");
        filters.putArray("organizationId").add("usmf");
        ArrayNode products = filters.putArray("productId");
        for (int p = 0; p < PRODUCTS; p++) {
            products.add("P" + p);
        }
        filters.putArray("siteId").add("1");
        filters.putArray("locationId").add("11");
        query.putArray("groupByValues");
        query.put("returnNegative", true);
        Answer answer = server.call(
                "POST",
                "/api/environment/" + env + "/onhand/indexquery",
                server.adminToken(env),
                query.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (JsonNode row : answer.json()) {
            JsonNode value = row.path("quantities").path("pos").path(measure);
            if (!value.isMissingNode()) {
                totals.merge(
                        row.path("productId").asString(), value.decimalValue(), BigDecimal::add);
            }
        }
        return totals;
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
