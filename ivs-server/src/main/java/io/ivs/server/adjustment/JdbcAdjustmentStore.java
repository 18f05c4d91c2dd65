package io.ivs.server.adjustment;

import io.ivs.core.onhand.ResolvedChange;
import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.OnHandDeltas;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Adjustments in PostgreSQL; every method runs in the caller's transaction, if any. */
@Repository
public class JdbcAdjustmentStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String COLUMNS = "environment_id, seq, adjustment_id, organization_id,"
            + " product_id, quantity_data_source, physical_measure, dimensions::text, quantity,"
            + " external_reference_category, external_reference_id, journal_name_id, cost_price,"
            + " trans_date, status, message, created_at, posted_at, collection_id, collected_at,"
            + " acknowledged_at, client_id, request_id";

    private final JdbcTemplate jdbc;

    public JdbcAdjustmentStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An adjustment to keep, with the record its change resolved to. */
    record NewAdjustment(Adjustment adjustment, ResolvedChange resolved, String fingerprint) {}

    /** Inserts the adjustments whose ids are new; answers those ids. */
    Set<String> insert(
            String env, List<NewAdjustment> adjustments, String clientId, String requestId) {
        String sql = "insert into adjustment (environment_id, adjustment_id, product_key,"
                + " organization_id, product_id, quantity_data_source, physical_measure,"
                + " site_id, location_id, dimensions, quantity, external_reference_category,"
                + " external_reference_id, journal_name_id, cost_price, trans_date, fingerprint,"
                + " status, client_id, request_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
        List<Object[]> rows = new ArrayList<>(adjustments.size());
        for (NewAdjustment n : adjustments) {
            Adjustment a = n.adjustment();
            rows.add(new Object[] {
                env,
                a.id(),
                n.resolved().record().productKey(),
                a.organizationId(),
                a.productId(),
                a.quantityDataSource(),
                a.physicalMeasure(),
                OnHandDeltas.site(n.resolved().record()),
                OnHandDeltas.location(n.resolved().record()),
                JSON.writeValueAsString(a.dimensions()),
                a.quantity(),
                a.externalReferenceCategory(),
                a.externalReferenceId(),
                a.journalNameId(),
                a.costPrice(),
                a.transDate() == null ? null : Date.valueOf(a.transDate()),
                n.fingerprint(),
                StoredAdjustment.CREATED,
                clientId,
                requestId
            });
        }
        int[] counts = jdbc.batchUpdate(sql, rows);
        Set<String> inserted = new TreeSet<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                inserted.add(adjustments.get(i).adjustment().id());
            }
        }
        return inserted;
    }

    /** The fingerprints of stored adjustments among {@code ids}. */
    Map<String, String> fingerprints(String env, List<String> ids) {
        Map<String, String> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.query(
                "select adjustment_id, fingerprint from adjustment where environment_id = ?"
                        + " and adjustment_id = any(?::text[])",
                rs -> {
                    found.put(rs.getString(1), rs.getString(2));
                },
                env,
                ids.toArray(String[]::new));
        return found;
    }

    void delete(String env, List<String> ids) {
        jdbc.update(
                "delete from adjustment where environment_id = ?"
                        + " and adjustment_id = any(?::text[])",
                env,
                ids.toArray(String[]::new));
    }

    void markPosted(String env, List<String> ids) {
        jdbc.update(
                "update adjustment set status = ?, posted_at = now(), message = ''"
                        + " where environment_id = ? and adjustment_id = any(?::text[])",
                StoredAdjustment.IV_POSTED,
                env,
                ids.toArray(String[]::new));
    }

    void markFailed(String env, String id, String message) {
        jdbc.update(
                "update adjustment set status = ?, message = ? where environment_id = ?"
                        + " and adjustment_id = ?",
                StoredAdjustment.FAILED,
                message,
                env,
                id);
    }

    /** Environments with adjustments waiting for the periodic sync, at most {@code limit}. */
    List<String> environmentsWithCreated(int limit) {
        return Columns.notNull(jdbc.queryForList(
                "select distinct environment_id from adjustment where status = ? limit ?",
                String.class,
                StoredAdjustment.CREATED,
                limit));
    }

    /** The oldest adjustments waiting for the sync, locked; others skip them. */
    List<StoredAdjustment> lockCreated(String env, int limit) {
        return jdbc.query(
                "select " + COLUMNS + " from adjustment where environment_id = ? and status = ?"
                        + " order by seq limit ? for update skip locked",
                (rs, n) -> stored(rs),
                env,
                StoredAdjustment.CREATED,
                limit);
    }

    /**
     * Marks the oldest collectable adjustments (posted to IV, or collected longer than {@code
     * timeoutSeconds} ago and not acknowledged) as collected under {@code collectionId}, skipping
     * rows another collection holds locked; answers them.
     */
    List<StoredAdjustment> collect(
            String env, String collectionId, long timeoutSeconds, int limit) {
        return jdbc.query(
                "with picked as (select adjustment_id from adjustment where environment_id = ?"
                        + " and (status = ? or (status = ? and collected_at < now()"
                        + " - make_interval(secs => ?))) order by seq limit ?"
                        + " for update skip locked)"
                        + " update adjustment a set status = ?, collection_id = ?,"
                        + " collected_at = now() from picked p where a.environment_id = ?"
                        + " and a.adjustment_id = p.adjustment_id returning a."
                        + COLUMNS.replace(", ", ", a."),
                (rs, n) -> stored(rs),
                env,
                StoredAdjustment.IV_POSTED,
                StoredAdjustment.COLLECTED,
                timeoutSeconds,
                limit,
                StoredAdjustment.COLLECTED,
                collectionId,
                env);
    }

    /** Marks a collection's adjustments acknowledged; answers how many it marked now. */
    int acknowledge(String env, String collectionId) {
        return jdbc.update(
                "update adjustment set status = ?, acknowledged_at = now()"
                        + " where environment_id = ? and collection_id = ? and status = ?",
                StoredAdjustment.ACKNOWLEDGED,
                env,
                collectionId,
                StoredAdjustment.COLLECTED);
    }

    /** How many adjustments of a collection are acknowledged. */
    int acknowledged(String env, String collectionId) {
        Integer count = jdbc.queryForObject(
                "select count(*) from adjustment where environment_id = ? and collection_id = ?"
                        + " and status = ?",
                Integer.class,
                env,
                collectionId,
                StoredAdjustment.ACKNOWLEDGED);
        return count == null ? 0 : count;
    }

    /** Newest first, at most {@code limit}. */
    List<StoredAdjustment> list(String env, AdjustmentFilter filter, int limit) {
        StringBuilder sql = new StringBuilder(
                "select " + COLUMNS + " from adjustment where environment_id = ?");
        List<Object> args = new ArrayList<>(List.of(env));
        condition(sql, args, " and status = ?", filter.status());
        condition(sql, args, " and organization_id = ?", filter.organizationId());
        condition(sql, args, " and product_id = ?", filter.productId());
        condition(sql, args, " and created_at >= ?", timestamp(filter.createdFrom()));
        condition(sql, args, " and created_at < ?", timestamp(filter.createdBefore()));
        condition(sql, args, " and seq < ?", filter.beforeSeq());
        sql.append(" order by seq desc limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> stored(rs), args.toArray());
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static void condition(
            StringBuilder sql, List<Object> args, String clause, @Nullable Object value) {
        if (value != null) {
            sql.append(clause);
            args.add(value);
        }
    }

    private static StoredAdjustment stored(ResultSet rs) throws SQLException {
        Adjustment adjustment = new Adjustment(
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                dimensions(rs.getString(8)),
                rs.getBigDecimal(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                rs.getBigDecimal(13),
                localDate(rs.getDate(14)));
        return new StoredAdjustment(
                rs.getString(1),
                rs.getLong(2),
                adjustment,
                rs.getString(15),
                rs.getString(16),
                rs.getTimestamp(17).toInstant(),
                instant(rs.getTimestamp(18)),
                rs.getString(19),
                instant(rs.getTimestamp(20)),
                instant(rs.getTimestamp(21)),
                rs.getString(22),
                rs.getString(23));
    }

    private static @Nullable LocalDate localDate(@Nullable Date date) {
        return date == null ? null : date.toLocalDate();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Map<String, String> dimensions(String json) {
        Map<String, String> map = new LinkedHashMap<>();
        JSON.readTree(json)
                .properties()
                .forEach(e -> map.put(e.getKey(), e.getValue().asString()));
        return map;
    }

    static BigDecimal zeroIfNull(@Nullable BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
