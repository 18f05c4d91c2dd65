package io.ivs.server.onhand;

import io.ivs.core.atp.ScheduleStore;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.AggregatedRow;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.RecordKey;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One statement for an on-hand query: records are selected by product key (the primary-key
 * prefix of both tables) when products are listed, filtered by dimension values, and their
 * physical values summed per organization, product and group-by values. Dimension names are base
 * names that the planner validated, so they are safe to embed as JSON keys.
 *
 * <p>When products are listed, the rows are few (the products' records) and the sums are taken
 * here as the rows arrive: PostgreSQL would otherwise sort them by five text columns first, which
 * costs it more than reading them (commit 91f9bbf, 2026-11-23). Without a product list a
 * query may span millions of records, and PostgreSQL sums them.
 *
 * <p>An index query with a product list reads {@code onhand_quantity} alone: the product keys
 * name the organization and product of every row, and a record key is the canonical encoding of
 * the record's dimensions ({@link DimensionSet#key()}), so filters and group-by values are taken
 * from it here, once per distinct key, instead of joining the records table (half of the
 * statement's time at 1M records; docs/performance.md, 2026-12-06).
 */
final class OnHandQuerySql {
    /**
     * The rows per product the sums of an answer are first sized for: a product's records
     * are mostly a few warehouses, and growing the map row by row was 3 % of a 1,000-row
     * answer's time (docs/performance.md, 2026-12-07).
     */
    private static final int ROWS_PER_PRODUCT = 8;

    private final String environmentId;
    private final OnHandQuery query;
    private final @Nullable LocalDate scheduleFrom;
    private final @Nullable LocalDate scheduleTo;
    private final StringBuilder sql = new StringBuilder();
    private final List<Binder> binders = new ArrayList<>();
    private @Nullable Map<UUID, String[]> productKeys;

    private interface Binder {
        void bind(Connection con, PreparedStatement ps, int index) throws SQLException;
    }

    /** A query of on-hand values. */
    OnHandQuerySql(String environmentId, OnHandQuery query) {
        this(environmentId, query, null, null);
    }

    /** A query of the schedules dated {@code from..to}, summed per group, date and measure. */
    OnHandQuerySql(
            String environmentId,
            OnHandQuery query,
            @Nullable LocalDate scheduleFrom,
            @Nullable LocalDate scheduleTo) {
        this.environmentId = environmentId;
        this.query = query;
        this.scheduleFrom = scheduleFrom;
        this.scheduleTo = scheduleTo;
    }

    private boolean schedules() {
        return scheduleFrom != null;
    }

    /** Whether the rows come from the quantities table alone (see the class comment). */
    private boolean quantitiesOnly() {
        return !schedules() && !query.productIds().isEmpty() && query.tuples().isEmpty();
    }

    /** Whether PostgreSQL sums the values (true) or IVS does as rows arrive (collect methods). */
    private boolean sumsInDatabase() {
        return schedules() || query.productIds().isEmpty();
    }

    List<ScheduleStore.ScheduledRow> runScheduled(JdbcTemplate jdbc) {
        build();
        int groups = query.groupBy().size();
        return jdbc.execute((ConnectionCallback<List<ScheduleStore.ScheduledRow>>) con -> {
            try (PreparedStatement ps = con.prepareStatement(sql.toString())) {
                for (int i = 0; i < binders.size(); i++) {
                    binders.get(i).bind(con, ps, i + 1);
                }
                List<ScheduleStore.ScheduledRow> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> values = new ArrayList<>(groups);
                        for (int g = 0; g < groups; g++) {
                            values.add(rs.getString(3 + g));
                        }
                        rows.add(new ScheduleStore.ScheduledRow(
                                rs.getString(1),
                                rs.getString(2),
                                values,
                                rs.getObject(3 + groups, LocalDate.class),
                                MeasureRef.parse("measure", rs.getString(4 + groups)),
                                rs.getBigDecimal(5 + groups)));
                    }
                }
                return rows;
            }
        });
    }

    List<AggregatedRow> run(JdbcTemplate jdbc) {
        build();
        return jdbc.execute((ConnectionCallback<List<AggregatedRow>>) con -> {
            try (PreparedStatement ps = con.prepareStatement(sql.toString())) {
                for (int i = 0; i < binders.size(); i++) {
                    binders.get(i).bind(con, ps, i + 1);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return quantitiesOnly() ? collectByRecordKey(rs) : collect(rs);
                }
            }
        });
    }

    private void build() {
        if (quantitiesOnly()) {
            Object[] keys = productKeys().keySet().toArray();
            sql.append("select q.product_key, q.record_key, q.measure, q.quantity")
                    .append(" from onhand_quantity q where q.product_key = any(?::uuid[])");
            binders.add((con, ps, i) -> ps.setArray(i, con.createArrayOf("uuid", keys)));
            return;
        }
        List<String> groupBy = query.groupBy();
        sql.append("select r.organization_id, r.product_id");
        for (String dim : groupBy) {
            sql.append(", ").append(dimension(dim));
        }
        sql.append(schedules() ? ", q.schedule_date" : "")
                .append(
                        sumsInDatabase()
                                ? ", q.measure, sum(q.quantity)"
                                : ", q.measure, q.quantity")
                .append(" from onhand_record r join ")
                .append(schedules() ? "onhand_schedule q" : "onhand_quantity q")
                .append(" on q.product_key = r.product_key and q.record_key = r.record_key")
                .append(" where r.environment_id = ?");
        bindText(environmentId);
        sql.append(" and r.organization_id = any(?)");
        bindTextArray(query.organizationIds());
        if (!query.productIds().isEmpty()) {
            List<Object> keys = new ArrayList<>(productKeys().keySet());
            // The same condition on both tables: PostgreSQL then reads each by its key prefix and
            // merges, instead of probing the second table once per record.
            sql.append(" and r.product_key = any(?::uuid[]) and q.product_key = any(?::uuid[])");
            binders.add((con, ps, i) -> ps.setArray(i, con.createArrayOf("uuid", keys.toArray())));
            binders.add((con, ps, i) -> ps.setArray(i, con.createArrayOf("uuid", keys.toArray())));
        }
        query.filters().forEach((dim, values) -> {
            sql.append(" and ").append(dimension(dim)).append(" = any(?)");
            bindTextArray(values);
        });
        appendTuples();
        if (schedules()) {
            sql.append(" and q.schedule_date between ? and ?");
            LocalDate from = scheduleFrom;
            LocalDate to = scheduleTo;
            binders.add((con, ps, i) -> ps.setObject(i, from));
            binders.add((con, ps, i) -> ps.setObject(i, to));
        }
        if (!sumsInDatabase()) {
            return;
        }
        sql.append(" group by r.organization_id, r.product_id");
        for (int i = 0; i < groupBy.size(); i++) {
            sql.append(", ").append(i + 3);
        }
        sql.append(schedules() ? ", q.schedule_date, q.measure" : ", q.measure");
    }

    /**
     * The key of every listed organization and product, and the two names it stands for;
     * computed once (a key is a hash).
     */
    private Map<UUID, String[]> productKeys() {
        if (productKeys == null) {
            productKeys = new LinkedHashMap<>();
            EnvironmentId environment = EnvironmentId.of(environmentId);
            for (String org : query.organizationIds()) {
                for (String product : query.productIds()) {
                    productKeys.put(
                            RecordKey.productKey(environment, org, product),
                            new String[] {org, product});
                }
            }
        }
        return productKeys;
    }

    /** Exact-query tuples: the record's values must equal one of the tuples. */
    private void appendTuples() {
        if (query.tuples().isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(query.tuples().get(0).keySet());
        if (keys.isEmpty()) {
            return;
        }
        sql.append(" and (");
        for (int k = 0; k < keys.size(); k++) {
            sql.append(k == 0 ? "" : ", ").append(column(keys.get(k)));
        }
        sql.append(") in (select * from unnest(");
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            sql.append(k == 0 ? "" : ", ").append("?::text[]");
            bindTextArray(query.tuples().stream().map(t -> t.get(key)).toList());
        }
        sql.append("))");
    }

    private static String column(String key) {
        return key.equals(OnHandQuery.ORGANIZATION_KEY) ? "r.organization_id" : dimension(key);
    }

    private static String dimension(String baseName) {
        if (!BaseDimension.isBase(baseName)) {
            throw new IllegalArgumentException("not a base dimension: " + baseName);
        }
        if (baseName.equals(BaseDimension.SITE)) {
            return "r.site_id";
        }
        if (baseName.equals(BaseDimension.LOCATION)) {
            return "r.location_id";
        }
        return "coalesce(r.dimensions ->> '" + baseName + "', '')";
    }

    private void bindText(String value) {
        binders.add((con, ps, i) -> ps.setString(i, value));
    }

    private void bindTextArray(List<String> values) {
        binders.add((con, ps, i) -> ps.setArray(i, con.createArrayOf("text", values.toArray())));
    }

    /** Rows summed per organization, product, group-by values and measure (again, if summed). */
    private List<AggregatedRow> collect(ResultSet rs) throws SQLException {
        int groups = query.groupBy().size();
        Map<String, Group> rows = new LinkedHashMap<>();
        Map<String, MeasureRef> measures = new HashMap<>();
        StringBuilder key = new StringBuilder(64);
        String[] values = new String[groups + 2];
        while (rs.next()) {
            // One joined key per row; U+0000 cannot occur in stored text (QueryResults).
            key.setLength(0);
            for (int c = 0; c < values.length; c++) {
                values[c] = rs.getString(c + 1);
                key.append(values[c]).append('\u0000');
            }
            MeasureRef measure = measures.computeIfAbsent(
                    rs.getString(3 + groups), name -> MeasureRef.parse("measure", name));
            BigDecimal value = rs.getBigDecimal(4 + groups);
            rows.computeIfAbsent(key.toString(), k -> new Group(values.clone()))
                    .physical
                    .merge(measure, value, BigDecimal::add);
        }
        List<AggregatedRow> result = new ArrayList<>(rows.size());
        for (Group group : rows.values()) {
            String[] v = group.values;
            result.add(new AggregatedRow(
                    v[0], v[1], Arrays.asList(v).subList(2, v.length), group.physical));
        }
        return result;
    }

    /**
     * Rows of the quantities table summed per product and group-by values. A record's filters
     * and group-by values come from its record key, decoded once per distinct key: records of
     * different products share keys (the same sites, locations and colours).
     */
    private List<AggregatedRow> collectByRecordKey(ResultSet rs) throws SQLException {
        Map<UUID, String[]> products = productKeys();
        // Record keys and measure names repeat on most rows: they are looked up by their bytes
        // and decoded once each, on first sight (PostgreSQL's JDBC driver gives a text
        // column's bytes as they came, in UTF-8, the encoding it always asks for).
        Map<TextKey, Integer> groupOfRecordKey = new HashMap<>();
        GroupValues groups = new GroupValues();
        Map<TextKey, MeasureRef> measures = new HashMap<>();
        Map<ProductGroup, Sums> sums =
                LinkedHashMap.newLinkedHashMap(ROWS_PER_PRODUCT * products.size());
        while (rs.next()) {
            int group = groupOfRecordKey.computeIfAbsent(
                    TextKey.of(rs, 2), key -> groups.of(key.text()));
            if (group == GroupValues.FILTERED_OUT) {
                continue;
            }
            MeasureRef measure = measures.computeIfAbsent(
                    TextKey.of(rs, 3), name -> MeasureRef.parse("measure", name.text()));
            sums.computeIfAbsent(
                            new ProductGroup(rs.getObject(1, UUID.class), group), key -> new Sums())
                    .add(measure, rs.getBigDecimal(4));
        }
        List<AggregatedRow> result = new ArrayList<>(sums.size());
        sums.forEach((key, physical) -> {
            String[] names = Objects.requireNonNull(
                    products.get(key.productKey()), "a row of a product that was not asked for");
            result.add(new AggregatedRow(
                    names[0], names[1], groups.values(key.group()), physical.values()));
        });
        return result;
    }

    /**
     * The sums of one row's measures. Most rows have one measure (a record with one measure, or
     * records of the same measure summed), which needs no map until the end, and then an
     * immutable one that the row keeps without copying it.
     */
    private static final class Sums {
        private @Nullable MeasureRef first;
        private @Nullable BigDecimal firstSum;
        private @Nullable Map<MeasureRef, BigDecimal> all;

        void add(MeasureRef measure, BigDecimal value) {
            if (all != null) {
                all.merge(measure, value, BigDecimal::add);
            } else if (first == null) {
                first = measure;
                firstSum = value;
            } else if (first.equals(measure)) {
                firstSum = Objects.requireNonNull(firstSum).add(value);
            } else {
                all = new HashMap<>(4);
                all.put(first, Objects.requireNonNull(firstSum));
                all.put(measure, value);
            }
        }

        Map<MeasureRef, BigDecimal> values() {
            return all != null
                    ? all
                    : Map.of(Objects.requireNonNull(first), Objects.requireNonNull(firstSum));
        }
    }

    /**
     * A text column's bytes as a map key, hashed once. Not a {@code ByteBuffer}: its hash reads
     * the bytes one at a time, and hashing the record keys so was 7 % of a 1,000-row answer's
     * time (docs/performance.md, 2026-12-07); {@link Arrays#hashCode(byte[])} and {@link
     * Arrays#equals(byte[], byte[])} are vectorized. Both columns read this way are primary-key
     * columns, never null.
     */
    private static final class TextKey {
        private final byte[] bytes;
        private final int hash;

        private TextKey(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        static TextKey of(ResultSet rs, int column) throws SQLException {
            return new TextKey(
                    Objects.requireNonNull(rs.getBytes(column), "a primary-key column is null"));
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof TextKey that
                    && hash == that.hash
                    && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record ProductGroup(UUID productKey, int group) {}

    /** The distinct group-by values of one query's records, numbered as they are first seen. */
    private final class GroupValues {
        static final int FILTERED_OUT = -1;

        private final Map<List<String>, Integer> numbers = new HashMap<>();
        private final List<List<String>> values = new ArrayList<>();

        /** The number of a record's group-by values, or FILTERED_OUT if a filter refuses it. */
        int of(String recordKey) {
            DimensionSet dimensions = DimensionSet.fromKey(recordKey);
            for (Map.Entry<String, List<String>> filter : query.filters().entrySet()) {
                if (!filter.getValue().contains(valueOf(dimensions, filter.getKey()))) {
                    return FILTERED_OUT;
                }
            }
            List<String> group = new ArrayList<>(query.groupBy().size());
            for (String dimension : query.groupBy()) {
                group.add(valueOf(dimensions, dimension));
            }
            return numbers.computeIfAbsent(List.copyOf(group), key -> {
                values.add(key);
                return values.size() - 1;
            });
        }

        List<String> values(int number) {
            return values.get(number);
        }

        /** A record without a value for a dimension has the empty string, as in SQL above. */
        private static String valueOf(DimensionSet dimensions, String baseName) {
            String value = dimensions.get(baseName);
            return value == null ? "" : value;
        }
    }

    /** Organization, product and group-by values of a row, and its sums so far. */
    private record Group(String[] values, Map<MeasureRef, BigDecimal> physical) {
        Group(String[] values) {
            this(values, new HashMap<>(4));
        }
    }
}
