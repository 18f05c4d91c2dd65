package io.ivs.server.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.RecordKey;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.DeserializationFeature;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lake after on-hand changes, a reservation and a second page of changes: both Delta tables
 * are read back by Delta Kernel (the Delta project's reader, in a child JVM) and compared value by
 * value with the summary table in PostgreSQL and with the change feed; a reader that starts from
 * the checkpoint sees the same; vacuum has deleted the files removed before the checkpoint; and a
 * restart that replays pages already written (a crash before the cursor moved) adds nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LakeIntegrationTest {
    private static final Path LAKE = tempLake();
    private static final String ORG = "usmf";
    private static final int BUCKETS = 4;
    private static final Duration CATCH_UP_MAX = Duration.ofSeconds(30);
    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    @LocalServerPort
    int port;

    IvsClient client;
    String env;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ChangeFeed feed;

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    LakeFollower follower;

    @DynamicPropertySource
    static void lakeProperties(DynamicPropertyRegistry registry) {
        // A context of its own, so a data directory of its own: the other HTTP tests' embedded
        // PostgreSQL keeps a lock on theirs.
        registry.add("ivs.data-dir", () -> tempDirectory("ivs-lake-data").toString());
        registry.add("ivs.lake.path", LAKE::toString);
        registry.add("ivs.lake.summary-buckets", () -> BUCKETS);
        registry.add("ivs.lake.checkpoint-interval", () -> 3);
        registry.add("ivs.lake.vacuum-retention", () -> "PT0S");
        registry.add("ivs.lake.poll-interval", () -> "PT0.1S");
    }

    // Not an HttpTestSupport: its data directory would win over the one set above, and the
    // shared context's embedded PostgreSQL keeps a lock on it.
    @BeforeEach
    void newEnvironment() {
        client = new IvsClient(port);
        env = "test-" + UUID.randomUUID();
        IvsClient.Response created = client.put("/admin/environments/" + env, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private String api(String path) {
        return "/api/environment/" + env + path;
    }

    /** Edits the active configuration and posts it back; the update must succeed. */
    private void configure(Consumer<ObjectNode> edit) {
        IvsClient.Response current = client.get(api("/configuration"));
        assertThat(current.status()).as(current.body()).isEqualTo(200);
        ObjectNode document = (ObjectNode) current.json();
        edit.accept(document);
        IvsClient.Response response =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempLake() {
        try {
            return Files.createTempDirectory("ivs-lake");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void changesAndReservations_readByDeltaKernel_matchSummaryAndFeed() throws Exception {
        enableImmediateSummary();
        awaitLakeCursor();
        changes(List.of(
                event(
                        "a1",
                        "shirt",
                        dims("siteId", "1", "locationId", "11", "colorId", "red"),
                        "pos",
                        "inbound",
                        10,
                        "outbound",
                        1.25),
                event(
                        "a2",
                        "shirt",
                        dims("siteId", "1", "locationId", "11", "colorId", "blue"),
                        "pos",
                        "inbound",
                        7),
                event(
                        "a3",
                        "pants",
                        dims("siteId", "2", "locationId", "21"),
                        "iv",
                        "ordered",
                        6.5)));
        awaitCaughtUp();
        reserve("r1", "shirt", dims("siteId", "1", "locationId", "11", "colorId", "red"), 3);
        awaitCaughtUp();
        for (int i = 0; i < 6; i++) {
            // One page each, so that both tables pass a checkpoint.
            changes(List.of(event(
                    "b" + i,
                    "sock" + (i % 3),
                    dims("siteId", "3", "locationId", "31", "sizeId", "s" + i),
                    "pos",
                    "inbound",
                    i + 0.5)));
            awaitCaughtUp();
        }
        // A new measure: a new column, which the files written before it do not have.
        configure(document -> ((ArrayNode) document.get("inventorySystemConfigurations")
                        .get("pos")
                        .get("physicalMeasures"))
                .add("returned"));
        changes(List.of(
                event(
                        "c1",
                        "shirt",
                        dims("siteId", "1", "locationId", "11", "colorId", "red"),
                        "pos",
                        "inbound",
                        2),
                event(
                        "c2",
                        "hat",
                        dims("siteId", "1", "locationId", "12"),
                        "pos",
                        "inbound",
                        1,
                        "returned",
                        0.75)));
        awaitCaughtUp();

        Path summary = follower.directory(env).resolve("summary");
        Path changes = follower.directory(env).resolve("changes");
        KernelRead summaryRead = readWithKernel(summary);
        assertSummary(summaryRead.rows(), 10);
        assertThat(summaryRead.rows())
                .filteredOn(row -> row.get("product_id").equals("hat"))
                .singleElement()
                .satisfies(row -> assertThat(row.get("pos.returned")).isEqualTo("0.7500000000"));
        KernelRead changesRead = readWithKernel(changes);
        assertChanges(changesRead.rows());

        assertCheckpointReadsTheSame(summary, summaryRead);
        assertCheckpointReadsTheSame(changes, changesRead);
        assertRemovedBeforeCheckpointAreVacuumed(summary);

        restartReplayingLastPages(summaryRead.version(), changesRead.version());
        assertThat(readWithKernel(summary)).isEqualTo(summaryRead);
        assertThat(readWithKernel(changes)).isEqualTo(changesRead);

        restartReplayingPagesAndANewChange();
        assertSummary(readWithKernel(summary).rows(), 11);
        assertChanges(readWithKernel(changes).rows());
    }

    // --- writes -----------------------------------------------------------------------------

    private void enableImmediateSummary() {
        configure(document -> {
            ObjectNode storage = (ObjectNode) document.get("storageConfiguration");
            storage.put("isOnHandMostSpecificStorageEnabled", true);
            storage.put("ohmsBackgroundServiceFreq", 5);
            storage.put("refreshMode", "immediate");
            ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
        });
    }

    private static Map<String, Object> dims(String... pairs) {
        Map<String, Object> dims = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            dims.put(pairs[i], pairs[i + 1]);
        }
        return dims;
    }

    private static Map<String, Object> event(
            String id, String product, Map<String, Object> dims, String ds, Object... measures) {
        return IvsClient.map(
                "id", id,
                "organizationId", ORG,
                "productId", product,
                "dimensions", dims,
                "quantities", Map.of(ds, IvsClient.map(measures)));
    }

    private void changes(List<Map<String, Object>> events) {
        IvsClient.Response response = client.post(api("/onhand/bulk"), IvsClient.json(events));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode item : response.json()) {
            assertThat(item.path("processingStatus").asString())
                    .as(item.toString())
                    .isEqualTo("success");
        }
    }

    private void reserve(String id, String product, Map<String, Object> dims, int quantity) {
        IvsClient.Response reserved = client.post(
                api("/onhand/reserve"),
                IvsClient.json(IvsClient.map(
                        "id", id,
                        "organizationId", ORG,
                        "productId", product,
                        "dimensions", dims,
                        "quantityDataSource", "iv",
                        "modifier", "softreserved",
                        "quantity", quantity,
                        "ifCheckAvailForReserv", true)));
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
        assertThat(reserved.json().path("processingStatus").asString()).isEqualTo("success");
    }

    // --- waiting ----------------------------------------------------------------------------

    private void awaitLakeCursor() throws InterruptedException {
        await("the lake follower takes up " + env, () -> cursor("lake") != null);
    }

    /** Until the lake's and the summary's cursors are at the environment's last change. */
    private void awaitCaughtUp() throws InterruptedException {
        // The write's change gets its position from the sequencer just after commit; without
        // this, the latest position could still be the previous step's, and the next step's
        // changes would reach the lake in the same page.
        sequencer.sequenceNow();
        long last = feed.latest(env, 1).next();
        await("the lake reaches position " + last, () -> {
            Long lake = cursor("lake");
            Long summary = cursor("summary");
            return lake != null && lake >= last && summary != null && summary >= last;
        });
    }

    private Long cursor(String consumer) {
        List<Long> positions = jdbc.queryForList(
                "select position from feed_cursor where consumer = ? and environment_id = ?",
                Long.class,
                consumer,
                env);
        return positions.isEmpty() ? null : positions.getFirst();
    }

    private static void await(String what, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_MAX.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    // --- the summary ------------------------------------------------------------------------

    private void assertSummary(List<Map<String, String>> lake, int records)
            throws InterruptedException {
        Map<String, Instant> lastChange = new HashMap<>();
        for (ChangeFeed.Change change : allChanges()) {
            lastChange.merge(
                    change.productId(), change.committedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        List<Map<String, String>> postgres = postgresSummary();
        assertThat(postgres).hasSize(records);
        assertThat(lake).hasSize(postgres.size());
        Map<String, Map<String, String>> byKey = new HashMap<>();
        for (Map<String, String> row : lake) {
            assertThat(byKey.put(summaryKey(row), row)).as("duplicate %s", row).isNull();
        }
        for (Map<String, String> expected : postgres) {
            Map<String, String> row = byKey.get(summaryKey(expected));
            assertThat(row).as("lake row for %s", expected).isNotNull();
            for (String dimension : LakeSchema.DIMENSIONS) {
                assertThat(row.get(dimension)).as(dimension).isEqualTo(expected.get(dimension));
            }
            Map<String, String> quantities = flatten(row.get("quantities"));
            assertThat(quantities).isEqualTo(flatten(expected.get("quantities")));
            assertMeasureColumns(row, quantities);
            assertThat(row.get("updated_at"))
                    .isEqualTo(
                            Long.toString(LakeRows.micros(lastChange.get(row.get("product_id")))));
            UUID productKey =
                    RecordKey.productKey(EnvironmentId.of(env), ORG, row.get("product_id"));
            assertThat(row.get("bucket"))
                    .isEqualTo(Integer.toString(Math.floorMod(productKey.hashCode(), BUCKETS)));
        }
    }

    /** Every measure column holds its quantity from the JSON, or null where there is none. */
    private static void assertMeasureColumns(Map<String, String> row, Map<String, String> flat) {
        Set<String> measureColumns = new HashSet<>(row.keySet());
        measureColumns.removeIf(c -> !c.contains("."));
        assertThat(measureColumns).containsAll(flat.keySet()).contains("iv.availabletoreserve");
        for (String column : measureColumns) {
            String value = row.get(column);
            String normalised = value == null
                    ? null
                    : new BigDecimal(value).stripTrailingZeros().toPlainString();
            assertThat(normalised).as(column).isEqualTo(flat.get(column));
        }
    }

    private static String summaryKey(Map<String, String> row) {
        StringBuilder key = new StringBuilder(row.get("organization_id"))
                .append('|')
                .append(row.get("product_id"));
        for (String dimension : LakeSchema.DIMENSIONS) {
            key.append('|').append(row.get(dimension));
        }
        return key.toString();
    }

    private List<Map<String, String>> postgresSummary() {
        String columns = String.join(", ", LakeSchema.DIMENSIONS);
        return jdbc.query(
                "select organization_id, product_id, " + columns + ", quantities::text"
                        + " from inventory_summary where environment_id = ?",
                (rs, n) -> {
                    Map<String, String> row = new HashMap<>();
                    row.put("organization_id", rs.getString("organization_id"));
                    row.put("product_id", rs.getString("product_id"));
                    for (String dimension : LakeSchema.DIMENSIONS) {
                        row.put(dimension, rs.getString(dimension));
                    }
                    row.put("quantities", rs.getString("quantities"));
                    return row;
                },
                env);
    }

    /** {@code {"pos": {"inbound": 20}}} → {@code pos.inbound=20}, lower-case, sorted. */
    private static Map<String, String> flatten(String quantities) {
        Map<String, String> flat = new TreeMap<>();
        for (Map.Entry<String, JsonNode> ds : EXACT.readTree(quantities).properties()) {
            for (Map.Entry<String, JsonNode> measure : ds.getValue().properties()) {
                flat.put(
                        (ds.getKey() + "." + measure.getKey()).toLowerCase(java.util.Locale.ROOT),
                        measure.getValue().decimalValue().stripTrailingZeros().toPlainString());
            }
        }
        return flat;
    }

    // --- the changes ------------------------------------------------------------------------

    private List<ChangeFeed.Change> allChanges() throws InterruptedException {
        ChangeFeed.Page page = feed.read(env, -1, ChangeFeed.LIMIT_MAX, Duration.ZERO);
        assertThat(page.hasMore()).isFalse();
        return page.changes();
    }

    private void assertChanges(List<Map<String, String>> lake) throws InterruptedException {
        List<ChangeFeed.Change> expected = allChanges();
        // The lake took up the environment before the first change, so it has every change.
        assertThat(expected).hasSizeGreaterThanOrEqualTo(11);
        List<Map<String, String>> sorted = new ArrayList<>(lake);
        sorted.sort(Comparator.comparing(row -> Long.parseLong(row.get("position"))));
        assertThat(sorted).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            ChangeFeed.Change change = expected.get(i);
            Map<String, String> row = sorted.get(i);
            assertThat(row.get("position")).isEqualTo(Long.toString(change.position()));
            assertThat(row.get("committed_at"))
                    .isEqualTo(Long.toString(LakeRows.micros(change.committedAt())));
            assertThat(row.get("kind")).isEqualTo(change.kind());
            assertThat(row.get("organization_id")).isEqualTo(change.organizationId());
            assertThat(row.get("product_id")).isEqualTo(change.productId());
            Map<String, String> dimensions = new HashMap<>();
            change.dimensions().forEach((k, v) -> dimensions.put(k.toLowerCase(), v));
            for (String dimension : LakeSchema.DIMENSIONS) {
                assertThat(row.get(dimension)).as(dimension).isEqualTo(dimensions.get(dimension));
            }
            assertThat(flatten(row.get("quantities")))
                    .isEqualTo(flatten(EXACT.writeValueAsString(change.quantities())));
            assertThat(row.get("schedule")).isNull();
        }
    }

    // --- checkpoint, vacuum, restart --------------------------------------------------------

    /** A copy of the table without the commits before its checkpoint reads the same. */
    private void assertCheckpointReadsTheSame(Path table, KernelRead full) throws Exception {
        Path log = table.resolve(DeltaTable.LOG);
        JsonNode last = EXACT.readTree(Files.readString(log.resolve("_last_checkpoint")));
        long checkpoint = last.get("version").asLong();
        assertThat(checkpoint).isPositive();
        assertThat(log.resolve(DeltaActions.checkpointName(checkpoint))).exists();
        Path copy = Files.createTempDirectory("ivs-lake-copy").resolve(table.getFileName());
        copyTree(table, copy);
        // As Delta's log clean-up does: the checkpoint's own commit stays (readers take the
        // snapshot's time from it), every one before it goes.
        for (long v = 0; v < checkpoint; v++) {
            Files.delete(copy.resolve(DeltaTable.LOG).resolve(DeltaActions.commitName(v)));
        }
        assertThat(readWithKernel(copy)).isEqualTo(full);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /**
     * With a retention of zero, every file removed by a commit up to the last checkpoint is gone
     * from the disk, while every live file is still there (Delta Kernel read them all).
     */
    private static void assertRemovedBeforeCheckpointAreVacuumed(Path table) throws IOException {
        Path log = table.resolve(DeltaTable.LOG);
        long checkpoint = EXACT.readTree(Files.readString(log.resolve("_last_checkpoint")))
                .get("version")
                .asLong();
        int removed = 0;
        for (long v = 0; v <= checkpoint; v++) {
            for (String line : Files.readAllLines(
                    log.resolve(DeltaActions.commitName(v)), StandardCharsets.UTF_8)) {
                JsonNode action = EXACT.readTree(line);
                if (action.has("remove")) {
                    removed++;
                    assertThat(table.resolve(action.get("remove").get("path").asString()))
                            .doesNotExist();
                }
            }
        }
        assertThat(removed).isPositive();
    }

    /**
     * Stops the follower, moves its cursor back as if the last pages had been written to the
     * tables but the cursor had not moved (a crash), starts it again and waits for it to catch
     * up: the tables get no new version.
     */
    private void restartReplayingLastPages(long summaryVersion, long changesVersion)
            throws InterruptedException {
        follower.stop();
        long first = allChanges().get(3).position();
        jdbc.update(
                "update feed_cursor set position = ?"
                        + " where consumer = 'lake' and environment_id = ?",
                first,
                env);
        assertThat(cursor("lake")).as("the stopped follower left its cursor").isEqualTo(first);
        follower.start();
        awaitCaughtUp();
        Path summary = follower.directory(env).resolve("summary").resolve(DeltaTable.LOG);
        Path changes = follower.directory(env).resolve("changes").resolve(DeltaTable.LOG);
        assertThat(summary.resolve(DeltaActions.commitName(summaryVersion + 1))).doesNotExist();
        assertThat(changes.resolve(DeltaActions.commitName(changesVersion + 1))).doesNotExist();
    }

    /**
     * As above, with a change committed while the follower was stopped: the page read again ends
     * later than the commits written, and only the new change is added.
     */
    private void restartReplayingPagesAndANewChange() throws InterruptedException {
        follower.stop();
        long first = allChanges().get(3).position();
        int moved = jdbc.update(
                "update feed_cursor set position = ?"
                        + " where consumer = 'lake' and environment_id = ?",
                first,
                env);
        assertThat(moved).isOne();
        changes(List.of(event(
                "e1",
                "sock0",
                dims("siteId", "3", "locationId", "31", "sizeId", "xl"),
                "pos",
                "inbound",
                9)));
        assertThat(cursor("lake")).as("the stopped follower left its cursor").isEqualTo(first);
        follower.start();
        awaitCaughtUp();
    }

    // --- Delta Kernel -----------------------------------------------------------------------

    /** A table as Delta Kernel read it: its version and its rows (in no particular order). */
    record KernelRead(
            long version, Set<Map<String, String>> rowSet, List<Map<String, String>> rows) {
        @Override
        public boolean equals(Object other) {
            return other instanceof KernelRead read
                    && read.version == version
                    && read.rowSet.equals(rowSet)
                    && read.rows.size() == rows.size();
        }

        @Override
        public int hashCode() {
            return rowSet.hashCode();
        }
    }

    private static KernelRead readWithKernel(Path table) throws Exception {
        String kernel = System.getProperty("ivs.test.delta-kernel-classpath");
        assertThat(kernel).as("surefire passes Delta Kernel's class path").isNotBlank();
        Path out = Files.createTempFile("ivs-lake-read", ".jsonl");
        Path log = Files.createTempFile("ivs-lake-read", ".log");
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(
                        javaCommand,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path") + java.io.File.pathSeparator + kernel,
                        DeltaKernelReader.class.getName(),
                        table.toString(),
                        out.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("Delta Kernel's exit status; its output: %s", Files.readString(log))
                .isZero();
        String[] lines = Files.readString(out).strip().split("\n");
        long version = EXACT.readTree(lines[0]).get("version").asLong();
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            Map<String, String> row = new HashMap<>();
            for (Map.Entry<String, JsonNode> field : EXACT.readTree(lines[i]).properties()) {
                row.put(
                        field.getKey(),
                        field.getValue().isNull() ? null : field.getValue().asString());
            }
            rows.add(row);
        }
        return new KernelRead(version, new HashSet<>(rows), rows);
    }
}
