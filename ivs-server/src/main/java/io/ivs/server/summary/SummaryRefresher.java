package io.ivs.server.summary;

import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.config.SummarySettings;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.QueryResults;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.postgres.Columns;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Brings the summary and preload rows of products up to date from their stored on-hand records.
 * One call is one transaction that first takes a transaction-scoped advisory lock per product
 * (sorted, so refreshers cannot deadlock), then reads the records: two refreshes of one product
 * run one after the other and the later one reads at least what the earlier one read, so a row
 * never goes back to older values. Calculated measures are evaluated exactly as queries do
 * ({@link QueryResults}). A row is rewritten only when its quantities changed, so
 * {@code updated_at} marks real changes; rows whose record (or group) no longer exists are
 * deleted.
 */
@Component
public class SummaryRefresher {
    /** First key of the two-key advisory locks of this refresher ("SUMM"). */
    static final int LOCK_CLASS = 0x53554d4d;

    /** Products per transaction of a full refresh. */
    static final int PRODUCTS_PER_PAGE = 500;

    /** A bound on the pages of one full refresh (a billion products). */
    static final int PAGES_MAX = 2_000_000;

    /** Every measure, negative values as they are. */
    private static final OnHandQuery ALL_MEASURES =
            new OnHandQuery(List.of(), List.of(), Map.of(), List.of(), List.of(), true);

    private static final UUID BEFORE_FIRST_KEY = new UUID(0, 0);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final EnvironmentService environments;
    private final JsonMapper json = JsonMapper.builder().build();

    public SummaryRefresher(
            JdbcTemplate jdbc, TransactionTemplate tx, EnvironmentService environments) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.environments = environments;
    }

    /** Rows written (inserted or changed) and deleted by a refresh. */
    public record Counts(int summaryWritten, int preloadWritten, int deleted) {
        static final Counts NONE = new Counts(0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(
                    summaryWritten + other.summaryWritten,
                    preloadWritten + other.preloadWritten,
                    deleted + other.deleted);
        }
    }

    /**
     * The immediate mode: refreshes the given products (product keys of on-hand records, as
     * {@link io.ivs.core.onhand.RecordKey#productKey}) in one transaction when the environment
     * has summary or preload switched on with {@code refreshMode: immediate}; otherwise does
     * nothing. Meant to be called after the changes of these products committed.
     */
    public Counts refreshChanged(String environmentId, Collection<UUID> productKeys) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        SummarySettings settings = config.summary();
        if (!settings.anyEnabled()
                || settings.mode() != SummarySettings.RefreshMode.IMMEDIATE
                || productKeys.isEmpty()) {
            return Counts.NONE;
        }
        return refreshProducts(environmentId, config, productKeys, false);
    }

    /**
     * Refreshes every product of the environment, a page of products per transaction, then
     * deletes the rows of records that no longer exist. With {@code rewrite}, every row is
     * written (and stamped) even if unchanged: the backfill.
     *
     * @param afterPage called after each page, e.g. to extend a lease
     */
    public Counts refreshAll(String environmentId, boolean rewrite, Runnable afterPage) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        if (!config.summary().anyEnabled()) {
            return Counts.NONE;
        }
        Counts total = Counts.NONE;
        UUID after = BEFORE_FIRST_KEY;
        for (int page = 0; page < PAGES_MAX; page++) {
            List<UUID> keys = productPage(environmentId, after);
            if (keys.isEmpty()) {
                break;
            }
            total = total.plus(refreshProducts(environmentId, config, keys, rewrite));
            after = keys.get(keys.size() - 1);
            afterPage.run();
        }
        return total.plus(deleteOrphans(environmentId, config.summary()));
    }

    private List<UUID> productPage(String environmentId, UUID after) {
        return Columns.notNull(jdbc.queryForList(
                "select distinct product_key from (select product_key from onhand_record"
                        + " where environment_id = ? and product_key > ? order by product_key"
                        + " limit ?) page order by product_key",
                UUID.class,
                environmentId,
                after,
                PRODUCTS_PER_PAGE));
    }

    /** Rows of products that have no record at all any more (a full clean-up, say). */
    private Counts deleteOrphans(String environmentId, SummarySettings settings) {
        int deleted = 0;
        if (settings.summaryEnabled()) {
            deleted += jdbc.update(
                    "delete from inventory_summary s where s.environment_id = ? and not exists"
                            + " (select 1 from onhand_record r where r.product_key = s.product_key"
                            + " and r.record_key = s.record_key)",
                    environmentId);
        }
        if (settings.preloadEnabled()) {
            deleted += jdbc.update(
                    "delete from onhand_preload p where p.environment_id = ? and not exists"
                            + " (select 1 from onhand_record r"
                            + " where r.product_key = p.product_key)",
                    environmentId);
        }
        return new Counts(0, 0, deleted);
    }

    /** Refreshes the rows of these products in one transaction. */
    public Counts refreshProducts(
            String environmentId,
            RuntimeConfiguration config,
            Collection<UUID> productKeys,
            boolean rewrite) {
        UUID[] keys = new TreeSet<>(productKeys).toArray(UUID[]::new);
        Counts counts = tx.execute(status -> jdbc.execute((ConnectionCallback<Counts>) con -> {
            lock(con, keys);
            List<StoredRecord> records = read(con, environmentId, keys);
            SummarySettings settings = config.summary();
            Counts done = Counts.NONE;
            if (settings.summaryEnabled()) {
                done = done.plus(writeSummary(con, environmentId, config, keys, records, rewrite));
            }
            if (settings.preloadEnabled()) {
                done = done.plus(writePreload(con, environmentId, config, keys, records, rewrite));
            }
            return done;
        }));
        return counts == null ? Counts.NONE : counts;
    }

    private static void lock(Connection con, UUID[] sortedKeys) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("select count(pg_advisory_xact_lock(?,"
                + " hashtext(k::text))) from (select k from unnest(?::uuid[])"
                + " with ordinality as l(k, n) order by n) keys")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setArray(2, con.createArrayOf("uuid", sortedKeys));
            ps.executeQuery().close();
        }
    }

    /** A stored record with its physical values. */
    private record StoredRecord(
            UUID productKey,
            String recordKey,
            String organizationId,
            String productId,
            String partitionId,
            Map<String, String> dimensions,
            Map<MeasureRef, BigDecimal> physical) {}

    private List<StoredRecord> read(Connection con, String environmentId, UUID[] keys)
            throws SQLException {
        List<StoredRecord> records = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("select r.product_key, r.record_key,"
                + " r.organization_id, r.product_id, r.partition_id, r.dimensions::text,"
                + " q.measure, q.quantity from onhand_record r left join onhand_quantity q"
                + " on q.product_key = r.product_key and q.record_key = r.record_key"
                + " where r.product_key = any(?::uuid[]) and r.environment_id = ?"
                + " order by r.product_key, r.record_key")) {
            ps.setArray(1, con.createArrayOf("uuid", keys));
            ps.setString(2, environmentId);
            try (ResultSet rs = ps.executeQuery()) {
                StoredRecord current = null;
                while (rs.next()) {
                    UUID productKey = rs.getObject(1, UUID.class);
                    String recordKey = rs.getString(2);
                    if (current == null
                            || !current.productKey().equals(productKey)
                            || !current.recordKey().equals(recordKey)) {
                        current = new StoredRecord(
                                productKey,
                                recordKey,
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                json.readValue(
                                        rs.getString(6),
                                        new TypeReference<Map<String, String>>() {}),
                                new HashMap<>());
                        records.add(current);
                    }
                    String measure = rs.getString(7);
                    if (measure != null) {
                        current.physical()
                                .put(MeasureRef.parse("measure", measure), rs.getBigDecimal(8));
                    }
                }
            }
        }
        return records;
    }

    private Counts writeSummary(
            Connection con,
            String environmentId,
            RuntimeConfiguration config,
            UUID[] keys,
            List<StoredRecord> records,
            boolean rewrite)
            throws SQLException {
        ArrayNode rows = json.createArrayNode();
        List<UUID> rowProducts = new ArrayList<>();
        List<String> rowKeys = new ArrayList<>();
        for (StoredRecord record : records) {
            ObjectNode row = rows.addObject();
            row.put("product_key", record.productKey().toString());
            row.put("record_key", record.recordKey());
            row.put("partition_id", record.partitionId());
            putCommon(row, environmentId, record.organizationId(), record.productId());
            record.dimensions().forEach((name, value) -> {
                if (SummaryColumns.DIMENSIONS.contains(name) && !value.isEmpty()) {
                    row.put(name, value);
                }
            });
            row.set("quantities", quantities(config, record.organizationId(), record));
            rowProducts.add(record.productKey());
            rowKeys.add(record.recordKey());
        }
        int written = upsert(con, "inventory_summary", "record_key", rows, rewrite);
        int deleted =
                deleteOthers(con, "inventory_summary", "record_key", keys, rowProducts, rowKeys);
        return new Counts(written, 0, deleted);
    }

    private Counts writePreload(
            Connection con,
            String environmentId,
            RuntimeConfiguration config,
            UUID[] keys,
            List<StoredRecord> records,
            boolean rewrite)
            throws SQLException {
        List<String> groupBy = config.summary().effectivePreloadGroupBy();
        Map<List<Object>, Group> groups = new LinkedHashMap<>();
        for (StoredRecord record : records) {
            List<String> values = new ArrayList<>(groupBy.size());
            for (String dimension : groupBy) {
                values.add(record.dimensions().getOrDefault(dimension, ""));
            }
            Group group = groups.computeIfAbsent(
                    List.of(record.productKey(), values),
                    k -> new Group(record, values, new HashMap<>()));
            record.physical()
                    .forEach((ref, value) -> group.physical().merge(ref, value, BigDecimal::add));
        }
        ArrayNode rows = json.createArrayNode();
        List<UUID> rowProducts = new ArrayList<>();
        List<String> rowKeys = new ArrayList<>();
        for (Group group : groups.values()) {
            StoredRecord first = group.first();
            Map<String, String> present = new TreeMap<>();
            for (int i = 0; i < groupBy.size(); i++) {
                if (!group.values().get(i).isEmpty()) {
                    present.put(groupBy.get(i), group.values().get(i));
                }
            }
            String groupKey = DimensionSet.of(present).key();
            ObjectNode row = rows.addObject();
            row.put("product_key", first.productKey().toString());
            row.put("group_key", groupKey);
            putCommon(row, environmentId, first.organizationId(), first.productId());
            present.forEach(row::put);
            AggregatedRow aggregated = new AggregatedRow(
                    first.organizationId(), first.productId(), List.of(), group.physical());
            row.set(
                    "quantities",
                    json.valueToTree(QueryResults.row(config, ALL_MEASURES, aggregated)
                            .quantities()
                            .toNested()));
            rowProducts.add(first.productKey());
            rowKeys.add(groupKey);
        }
        int written = upsert(con, "onhand_preload", "group_key", rows, rewrite);
        int deleted = deleteOthers(con, "onhand_preload", "group_key", keys, rowProducts, rowKeys);
        return new Counts(0, written, deleted);
    }

    /** The records of one product that share the group-by values, summed. */
    private record Group(
            StoredRecord first, List<String> values, Map<MeasureRef, BigDecimal> physical) {}

    private static void putCommon(
            ObjectNode row, String environmentId, String org, String product) {
        row.put("environment_id", environmentId);
        row.put("organization_id", org);
        row.put("product_id", product);
    }

    private ObjectNode quantities(RuntimeConfiguration config, String org, StoredRecord record) {
        AggregatedRow row =
                new AggregatedRow(org, record.productId(), List.of(), record.physical());
        return json.valueToTree(
                QueryResults.row(config, ALL_MEASURES, row).quantities().toNested());
    }

    /**
     * Inserts the rows, or updates a row whose quantities changed (every row with
     * {@code rewrite}). The rows are a JSON array of objects keyed by column name. The rows
     * written are counted from what the statement returns: under Citus, which sends the rows to
     * the shards through the coordinator, the update count is the number of rows sent, written
     * or not.
     */
    private static int upsert(
            Connection con, String table, String keyColumn, ArrayNode rows, boolean rewrite)
            throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        boolean summary = table.equals("inventory_summary");
        String columns = "product_key, " + keyColumn + ", environment_id, organization_id,"
                + " product_id, " + (summary ? "partition_id, " : "") + SummaryColumns.list("")
                + ", quantities";
        String sql = "insert into " + table + " (" + columns + ", updated_at) select " + columns
                + ", now() from jsonb_populate_recordset(null::" + table + ", ?::jsonb)"
                + " order by product_key, " + keyColumn
                + " on conflict (product_key, " + keyColumn + ") do update set"
                + " quantities = excluded.quantities, updated_at = excluded.updated_at"
                + (summary ? ", partition_id = excluded.partition_id" : "")
                + (rewrite
                        ? ""
                        : " where " + table + ".quantities is distinct from excluded.quantities"
                                + (summary
                                        ? " or " + table + ".partition_id <> excluded.partition_id"
                                        : ""))
                + " returning 1";
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, rows.toString());
            int written = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    written++;
                }
            }
            return written;
        }
    }

    /** Deletes the rows of these products other than the listed (product, key) pairs. */
    private static int deleteOthers(
            Connection con,
            String table,
            String keyColumn,
            UUID[] products,
            List<UUID> keptProducts,
            List<String> keptKeys)
            throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("delete from " + table
                + " where product_key = any(?::uuid[]) and (product_key, " + keyColumn
                + ") not in (select * from unnest(?::uuid[], ?::text[]))")) {
            ps.setArray(1, con.createArrayOf("uuid", products));
            ps.setArray(2, con.createArrayOf("uuid", keptProducts.toArray()));
            ps.setArray(3, con.createArrayOf("text", keptKeys.toArray()));
            return ps.executeUpdate();
        }
    }
}
