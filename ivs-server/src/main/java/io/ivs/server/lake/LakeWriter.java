package io.ivs.server.lake;

import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.RecordKey;
import io.ivs.parquet.ParquetFiles;
import io.ivs.server.feed.ChangeFeed;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes pages of the change feed into an environment's two lake tables. Each table's commit
 * carries a Delta application transaction ({@code txn}) whose version is the feed position after
 * the page, and a page whose position a table already has is skipped: a page applied before a
 * crash, whose cursor was not moved, is not applied twice.
 *
 * <p>The summary is partitioned into {@code buckets} by product (a hash of the product key): a
 * page replaces the rows of its products by rewriting the one file of each bucket it touches
 * (remove the old file, add the new), so a page rewrites at most {@code buckets} files, and a
 * reader never sees a product half-updated.
 */
final class LakeWriter {
    static final String SUMMARY_APP = "ivs-lake-summary";
    static final String CHANGES_APP = "ivs-lake-changes";

    /** Products read from PostgreSQL at a time when the whole summary is written. */
    static final int PRODUCTS_PER_READ = 500;

    /** A bound on those reads (a billion products). */
    static final int READS_MAX = 2_000_000;

    /** Lake settings the writer needs. */
    record Options(int buckets, int checkpointInterval, Duration retention) {}

    private final LakeRecords records;
    private final JsonMapper json;
    private final Options options;
    private final Clock clock;

    LakeWriter(LakeRecords records, JsonMapper json, Options options, Clock clock) {
        this.records = records;
        this.json = json;
        this.options = options;
        this.clock = clock;
    }

    int bucket(UUID productKey) {
        return Math.floorMod(productKey.hashCode(), options.buckets());
    }

    /** Writes the whole summary as it is now, as of feed position {@code position}. */
    void writeAll(
            LakeTables tables, String environmentId, RuntimeConfiguration config, long position)
            throws IOException {
        DeltaTable table = tables.summary();
        if (table.transactionVersion(SUMMARY_APP) >= position) {
            return;
        }
        Instant now = clock.instant();
        LakeSchema schema = summarySchema(table, config);
        List<ObjectNode> actions = new ArrayList<>(schemaActions(table, schema, "summary", now));
        Map<Integer, DataFile> out = new TreeMap<>();
        try {
            UUID after = LakeRecords.BEFORE_FIRST_KEY;
            for (int read = 0; read < READS_MAX; read++) {
                List<UUID> keys = records.productPage(environmentId, after, PRODUCTS_PER_READ);
                if (keys.isEmpty()) {
                    break;
                }
                for (LakeRecords.Row row :
                        records.rows(environmentId, config, schema, keys, k -> now)) {
                    bucketFile(out, table, schema, bucket(row.productKey())).write(row.values());
                }
                after = keys.getLast();
            }
            for (ObjectNode add : table.files()) {
                actions.add(DeltaActions.remove(json, add, now));
            }
            for (DataFile file : out.values()) {
                actions.add(file.finish(json, now));
            }
        } catch (IOException | RuntimeException e) {
            discard(out.values());
            throw e;
        }
        actions.add(DeltaActions.txn(json, SUMMARY_APP, position, now));
        commit(table, actions, "WRITE", now);
    }

    /** Applies one page of changes, ending at feed position {@code next}, to both tables. */
    void apply(
            LakeTables tables,
            String environmentId,
            RuntimeConfiguration config,
            List<ChangeFeed.Change> changes,
            long next)
            throws IOException {
        appendChanges(tables.changes(), changes, next);
        replaceProducts(tables.summary(), environmentId, config, changes, next);
    }

    private void appendChanges(DeltaTable table, List<ChangeFeed.Change> changes, long next)
            throws IOException {
        long written = table.transactionVersion(CHANGES_APP);
        // Positions up to the table's transaction version are in it already: a page read again
        // after a crash may end later than the one written, and only its new changes are added.
        List<ChangeFeed.Change> fresh =
                changes.stream().filter(c -> c.position() > written).toList();
        if (written >= next || fresh.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        LakeSchema schema = LakeSchema.changes();
        List<ObjectNode> actions = new ArrayList<>(schemaActions(table, schema, "changes", now));
        DataFile file = new DataFile(table.root(), "", schema, Map.of());
        try (file) {
            for (ChangeFeed.Change change : fresh) {
                file.write(changeRow(schema, change));
            }
            actions.add(file.finish(json, now));
        } catch (IOException | RuntimeException e) {
            file.discard();
            throw e;
        }
        actions.add(DeltaActions.txn(json, CHANGES_APP, next, now));
        commit(table, actions, "WRITE", now);
    }

    private @Nullable Object[] changeRow(LakeSchema schema, ChangeFeed.Change change) {
        @Nullable Object[] row = new Object[schema.dataColumns().size()];
        row[schema.index("position")] = change.position();
        row[schema.index("committed_at")] = change.committedAt();
        row[schema.index("kind")] = change.kind();
        row[schema.index("organization_id")] = change.organizationId();
        row[schema.index("product_id")] = change.productId();
        change.dimensions().forEach((name, value) -> {
            String column = name.toLowerCase(Locale.ROOT);
            if (LakeSchema.DIMENSIONS.contains(column) && !value.isEmpty()) {
                row[schema.index(column)] = value;
            }
        });
        if (change.quantities() != null) {
            row[schema.index("quantities")] = json.writeValueAsString(change.quantities());
        }
        if (change.schedule() != null) {
            row[schema.index("schedule")] = json.writeValueAsString(change.schedule());
        }
        return row;
    }

    private void replaceProducts(
            DeltaTable table,
            String environmentId,
            RuntimeConfiguration config,
            List<ChangeFeed.Change> changes,
            long next)
            throws IOException {
        if (table.transactionVersion(SUMMARY_APP) >= next) {
            return;
        }
        Instant now = clock.instant();
        Map<UUID, Instant> stamps = new HashMap<>();
        for (ChangeFeed.Change change : changes) {
            stamps.merge(
                    productKey(environmentId, change.organizationId(), change.productId()),
                    change.committedAt(),
                    (a, b) -> a.isAfter(b) ? a : b);
        }
        LakeSchema schema = summarySchema(table, config);
        List<ObjectNode> actions = new ArrayList<>(schemaActions(table, schema, "summary", now));
        Map<Integer, List<LakeRecords.Row>> fresh = new TreeMap<>();
        for (UUID product : stamps.keySet()) {
            fresh.computeIfAbsent(bucket(product), b -> new ArrayList<>());
        }
        for (LakeRecords.Row row : records.rows(
                environmentId, config, schema, stamps.keySet(), k -> stamps.getOrDefault(k, now))) {
            fresh.computeIfAbsent(bucket(row.productKey()), b -> new ArrayList<>())
                    .add(row);
        }
        for (Map.Entry<Integer, List<LakeRecords.Row>> bucket : fresh.entrySet()) {
            actions.addAll(rewriteBucket(
                    table,
                    schema,
                    environmentId,
                    bucket.getKey(),
                    stamps.keySet(),
                    bucket.getValue(),
                    now));
        }
        actions.add(DeltaActions.txn(json, SUMMARY_APP, next, now));
        commit(table, actions, "MERGE", now);
    }

    /**
     * The actions that replace a bucket's file by one with its other products' rows as they
     * were and the changed products' fresh rows.
     */
    private List<ObjectNode> rewriteBucket(
            DeltaTable table,
            LakeSchema schema,
            String environmentId,
            int bucket,
            Set<UUID> changed,
            List<LakeRecords.Row> fresh,
            Instant now)
            throws IOException {
        List<ObjectNode> actions = new ArrayList<>();
        DataFile file = new DataFile(
                table.root(),
                LakeSchema.BUCKET + "=" + bucket,
                schema,
                Map.of(LakeSchema.BUCKET, Integer.toString(bucket)));
        try (file) {
            int org = schema.index("organization_id");
            int product = schema.index("product_id");
            for (ObjectNode add : table.files()) {
                if (!Integer.toString(bucket).equals(bucketOf(add))) {
                    continue;
                }
                IOException[] failed = {null};
                ParquetFiles.read(table.root().resolve(add.get("path").asString()), group -> {
                    @Nullable Object[] row = LakeRows.row(schema, group);
                    UUID key = productKey(
                            environmentId, String.valueOf(row[org]), String.valueOf(row[product]));
                    if (failed[0] == null && !changed.contains(key)) {
                        try {
                            file.write(row);
                        } catch (IOException e) {
                            failed[0] = e;
                        }
                    }
                });
                if (failed[0] != null) {
                    throw failed[0];
                }
                actions.add(DeltaActions.remove(json, add, now));
            }
            for (LakeRecords.Row row : fresh) {
                file.write(row.values());
            }
            if (file.rows() > 0) {
                actions.add(file.finish(json, now));
            } else {
                file.discard();
            }
        } catch (IOException | RuntimeException e) {
            file.discard();
            throw e;
        }
        return actions;
    }

    private static @Nullable String bucketOf(ObjectNode add) {
        JsonNode value = add.path("partitionValues").get(LakeSchema.BUCKET);
        return value == null ? null : value.asString();
    }

    private static UUID productKey(String environmentId, String org, String product) {
        return RecordKey.productKey(EnvironmentId.of(environmentId), org, product);
    }

    private DataFile bucketFile(
            Map<Integer, DataFile> out, DeltaTable table, LakeSchema schema, int bucket)
            throws IOException {
        DataFile file = out.get(bucket);
        if (file == null) {
            file = new DataFile(
                    table.root(),
                    LakeSchema.BUCKET + "=" + bucket,
                    schema,
                    Map.of(LakeSchema.BUCKET, Integer.toString(bucket)));
            out.put(bucket, file);
        }
        return file;
    }

    private static void discard(Iterable<DataFile> files) {
        for (DataFile file : files) {
            try {
                file.discard();
            } catch (IOException e) {
                // An orphan file: vacuum deletes it once it is older than the retention.
            }
        }
    }

    /**
     * The summary's schema: the table's measure columns, then the configuration's new ones.
     * Columns are never dropped, so files written before a configuration change stay readable
     * (a measure the configuration no longer has is null in new rows).
     */
    private LakeSchema summarySchema(DeltaTable table, RuntimeConfiguration config) {
        Set<String> measures = new LinkedHashSet<>(tableMeasures(table));
        measures.addAll(LakeSchema.measureColumns(config));
        return LakeSchema.summary(List.copyOf(measures));
    }

    private List<String> tableMeasures(DeltaTable table) {
        ObjectNode metadata = table.metadata();
        if (metadata == null) {
            return List.of();
        }
        List<String> measures = new ArrayList<>();
        for (JsonNode field :
                json.readTree(metadata.get("schemaString").asString()).get("fields")) {
            if (field.get("type").asString().startsWith("decimal")) {
                measures.add(field.get("name").asString());
            }
        }
        return measures;
    }

    /** A metaData action when the table is new or its schema changes; otherwise none. */
    private List<ObjectNode> schemaActions(
            DeltaTable table, LakeSchema schema, String name, Instant now) {
        String schemaString = schema.deltaSchema(json);
        ObjectNode metadata = table.metadata();
        if (metadata != null && metadata.get("schemaString").asString().equals(schemaString)) {
            return List.of();
        }
        String id = metadata == null
                ? DeltaActions.newTableId()
                : metadata.get("id").asString();
        Instant created = metadata == null
                ? now
                : Instant.ofEpochMilli(metadata.get("createdTime").asLong());
        return List.of(DeltaActions.metaData(
                json, id, name, schemaString, schema.partitionNames(), created));
    }

    /** Commits, then checkpoints and vacuums every {@code checkpointInterval} versions. */
    private void commit(DeltaTable table, List<ObjectNode> actions, String operation, Instant now)
            throws IOException {
        long version = table.commit(actions, operation, now);
        if (version > 0 && version % options.checkpointInterval() == 0) {
            table.checkpoint(now, options.retention());
            table.vacuum(now, options.retention());
        }
    }
}
