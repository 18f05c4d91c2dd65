package io.ivs.server.lake;

import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.QueryResults;
import io.ivs.server.postgres.Columns;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads the summary rows of products from the stored on-hand records: one row per record, its
 * quantities (physical and calculated, evaluated exactly as queries and the summary table do)
 * as JSON and as one decimal column per measure.
 */
final class LakeRecords {
    /** Every measure, negative values as they are. */
    private static final OnHandQuery ALL_MEASURES =
            new OnHandQuery(List.of(), List.of(), Map.of(), List.of(), List.of(), true);

    static final UUID BEFORE_FIRST_KEY = new UUID(0, 0);

    /** A summary row and the product it belongs to. */
    record Row(UUID productKey, @Nullable Object[] values) {}

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    LakeRecords(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Up to {@code limit} product keys of the environment after {@code after}, in order. */
    List<UUID> productPage(String environmentId, UUID after, int limit) {
        return Columns.notNull(jdbc.queryForList(
                "select distinct product_key from (select product_key from onhand_record"
                        + " where environment_id = ? and product_key > ? order by product_key"
                        + " limit ?) page order by product_key",
                UUID.class,
                environmentId,
                after,
                limit));
    }

    /** The rows of these products now, each stamped with {@code updatedAt} of its product. */
    List<Row> rows(
            String environmentId,
            RuntimeConfiguration config,
            LakeSchema schema,
            Collection<UUID> productKeys,
            Function<UUID, Instant> updatedAt) {
        UUID[] keys = new TreeSet<>(productKeys).toArray(UUID[]::new);
        List<Row> rows = jdbc.execute((ConnectionCallback<List<Row>>)
                con -> read(con, environmentId, keys, config, schema, updatedAt));
        return rows == null ? List.of() : rows;
    }

    private List<Row> read(
            Connection con,
            String environmentId,
            UUID[] keys,
            RuntimeConfiguration config,
            LakeSchema schema,
            Function<UUID, Instant> updatedAt)
            throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("select r.product_key, r.record_key,"
                + " r.organization_id, r.product_id, r.dimensions::text, q.measure, q.quantity"
                + " from onhand_record r left join onhand_quantity q"
                + " on q.product_key = r.product_key and q.record_key = r.record_key"
                + " where r.product_key = any(?::uuid[]) and r.environment_id = ?"
                + " order by r.product_key, r.record_key")) {
            ps.setArray(1, con.createArrayOf("uuid", keys));
            ps.setString(2, environmentId);
            try (ResultSet rs = ps.executeQuery()) {
                Record current = null;
                while (rs.next()) {
                    UUID productKey = rs.getObject(1, UUID.class);
                    String recordKey = rs.getString(2);
                    if (current == null
                            || !current.productKey.equals(productKey)
                            || !current.recordKey.equals(recordKey)) {
                        if (current != null) {
                            rows.add(current.row(config, schema, updatedAt));
                        }
                        current = new Record(
                                productKey,
                                recordKey,
                                rs.getString(3),
                                rs.getString(4),
                                json.readValue(
                                        rs.getString(5),
                                        new TypeReference<Map<String, String>>() {}));
                    }
                    String measure = rs.getString(6);
                    if (measure != null) {
                        current.physical.put(
                                MeasureRef.parse("measure", measure), rs.getBigDecimal(7));
                    }
                }
                if (current != null) {
                    rows.add(current.row(config, schema, updatedAt));
                }
            }
        }
        return rows;
    }

    /** A stored record being read, with its physical values. */
    private final class Record {
        final UUID productKey;
        final String recordKey;
        final String organizationId;
        final String productId;
        final Map<String, String> dimensions;
        final Map<MeasureRef, BigDecimal> physical = new HashMap<>();

        Record(
                UUID productKey,
                String recordKey,
                String organizationId,
                String productId,
                Map<String, String> dimensions) {
            this.productKey = productKey;
            this.recordKey = recordKey;
            this.organizationId = organizationId;
            this.productId = productId;
            this.dimensions = dimensions;
        }

        Row row(RuntimeConfiguration config, LakeSchema schema, Function<UUID, Instant> stamp) {
            @Nullable Object[] values = new Object[schema.dataColumns().size()];
            values[schema.index("organization_id")] = organizationId;
            values[schema.index("product_id")] = productId;
            dimensions.forEach((name, value) -> {
                if (LakeSchema.DIMENSIONS.contains(name) && !value.isEmpty()) {
                    values[schema.index(name)] = value;
                }
            });
            Map<String, Map<String, BigDecimal>> quantities = QueryResults.row(
                            config,
                            ALL_MEASURES,
                            new AggregatedRow(organizationId, productId, List.of(), physical))
                    .quantities()
                    .toNested();
            values[schema.index("quantities")] = json.writeValueAsString(quantities);
            values[schema.index("updated_at")] = stamp.apply(productKey);
            quantities.forEach((ds, measures) -> measures.forEach((measure, value) -> {
                String column =
                        ds.toLowerCase(Locale.ROOT) + "." + measure.toLowerCase(Locale.ROOT);
                if (schema.measures().contains(column)) {
                    values[schema.index(column)] = value;
                }
            }));
            return new Row(productKey, values);
        }
    }
}
