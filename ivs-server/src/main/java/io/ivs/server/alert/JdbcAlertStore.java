package io.ivs.server.alert;

import io.ivs.core.measure.MeasureRef;
import io.ivs.server.feed.Alert;
import io.ivs.server.feed.StoredChange;
import io.ivs.server.postgres.Columns;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Alert rules, the state each rule last saw per product, the evaluator's feed cursor, and the
 * alerts it records as change-log rows (migration V17).
 */
@Repository
class JdbcAlertStore {
    static final String CONSUMER = "alert";

    private static final TypeReference<TreeMap<String, String>> DIMENSIONS =
            new TypeReference<>() {};
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RULE_COLUMNS = "name, measure, organization_id, product_id,"
            + " dimensions::text, threshold, hysteresis";
    private static final RowMapper<AlertRule> RULE = (rs, n) -> new AlertRule(
            rs.getString(1),
            MeasureRef.parse("measure", rs.getString(2)),
            rs.getString(3),
            rs.getString(4),
            JSON.readValue(rs.getString(5), DIMENSIONS),
            rs.getBigDecimal(6),
            rs.getBigDecimal(7));

    /** An alert to record: the rule's level for one product, and what was seen. */
    record NewAlert(UUID productKey, String productId, AlertRule rule, Alert alert) {}

    private final JdbcTemplate jdbc;

    JdbcAlertStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates or replaces a rule; a replaced rule forgets what it saw (its states). */
    void put(String environmentId, AlertRule rule) {
        jdbc.update(
                "delete from alert_state where environment_id = ? and rule_name = ?",
                environmentId,
                rule.name());
        jdbc.update(
                "insert into alert_rule (environment_id, name, measure, organization_id,"
                        + " product_id, dimensions, threshold, hysteresis)"
                        + " values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)"
                        + " on conflict (environment_id, name) do update set"
                        + " measure = excluded.measure, organization_id = excluded.organization_id,"
                        + " product_id = excluded.product_id, dimensions = excluded.dimensions,"
                        + " threshold = excluded.threshold, hysteresis = excluded.hysteresis,"
                        + " updated_at = excluded.updated_at",
                environmentId,
                rule.name(),
                rule.measure().qualified(),
                rule.organizationId(),
                rule.productId(),
                JSON.writeValueAsString(rule.dimensions()),
                rule.threshold(),
                rule.hysteresis());
    }

    List<AlertRule> rules(String environmentId) {
        return jdbc.query(
                "select " + RULE_COLUMNS + " from alert_rule where environment_id = ?"
                        + " order by name",
                RULE,
                environmentId);
    }

    Optional<AlertRule> rule(String environmentId, String name) {
        return jdbc
                .query(
                        "select " + RULE_COLUMNS + " from alert_rule"
                                + " where environment_id = ? and name = ?",
                        RULE,
                        environmentId,
                        name)
                .stream()
                .findFirst();
    }

    int count(String environmentId) {
        Integer count = jdbc.queryForObject(
                "select count(*) from alert_rule where environment_id = ?",
                Integer.class,
                environmentId);
        return count == null ? 0 : count;
    }

    boolean delete(String environmentId, String name) {
        jdbc.update(
                "delete from alert_state where environment_id = ? and rule_name = ?",
                environmentId,
                name);
        return jdbc.update(
                        "delete from alert_rule where environment_id = ? and name = ?",
                        environmentId,
                        name)
                == 1;
    }

    /** The environments that have at least one rule. */
    List<String> environmentsWithRules() {
        return Columns.notNull(jdbc.queryForList(
                "select distinct environment_id from alert_rule order by environment_id",
                String.class));
    }

    /** Starts the evaluator of an environment at {@code position} (the feed's end). */
    void startCursor(String environmentId, long position) {
        jdbc.update(
                "insert into feed_cursor (consumer, environment_id, position) values (?, ?, ?)"
                        + " on conflict (consumer, environment_id) do update"
                        + " set position = greatest(feed_cursor.position, excluded.position),"
                        + " updated_at = now()",
                CONSUMER,
                environmentId,
                position);
    }

    /**
     * The evaluator's cursor, locked until the transaction ends; empty when another instance
     * holds it or the environment is not followed.
     */
    Optional<Long> lockCursor(String environmentId) {
        return Columns.notNull(jdbc.queryForList(
                        "select position from feed_cursor where consumer = ?"
                                + " and environment_id = ? for update skip locked",
                        Long.class,
                        CONSUMER,
                        environmentId))
                .stream()
                .findFirst();
    }

    void moveCursor(String environmentId, long position) {
        jdbc.update(
                "update feed_cursor set position = ?, updated_at = now()"
                        + " where consumer = ? and environment_id = ?",
                position,
                CONSUMER,
                environmentId);
    }

    /** What a rule last saw of the given products; products it never saw are absent. */
    Map<UUID, AlertState> states(String environmentId, String rule, List<UUID> productKeys) {
        Map<UUID, AlertState> states = new HashMap<>();
        jdbc.query(
                "select product_key, value, is_out, is_below from alert_state"
                        + " where product_key = any (?) and environment_id = ? and rule_name = ?",
                rs -> {
                    states.put(
                            rs.getObject(1, UUID.class),
                            new AlertState(
                                    rs.getBigDecimal(2), rs.getBoolean(3), rs.getBoolean(4)));
                },
                productKeys.toArray(UUID[]::new),
                environmentId,
                rule);
        return states;
    }

    /** A state to store: the rule, the product and what the rule now sees. */
    record NewState(
            String rule,
            UUID productKey,
            String organizationId,
            String productId,
            AlertState state) {}

    void saveStates(String environmentId, List<NewState> states) {
        List<Object[]> rows = new ArrayList<>(states.size());
        for (NewState s : states) {
            rows.add(new Object[] {
                s.productKey(),
                environmentId,
                s.rule(),
                s.organizationId(),
                s.productId(),
                s.state().value(),
                s.state().out(),
                s.state().below()
            });
        }
        jdbc.batchUpdate(
                "insert into alert_state (product_key, environment_id, rule_name,"
                        + " organization_id, product_id, value, is_out, is_below)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (product_key, environment_id, rule_name) do update set"
                        + " value = excluded.value, is_out = excluded.is_out,"
                        + " is_below = excluded.is_below, updated_at = excluded.updated_at",
                rows);
    }

    /**
     * Writes alerts into the change feed in the current transaction, as the feed's triggers
     * write changes (migration V33): one row each, keyed by the alert's product, which the
     * sequencer then gives a position.
     */
    void record(String environmentId, List<NewAlert> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        List<Object[]> batch = new ArrayList<>(alerts.size());
        for (NewAlert a : alerts) {
            batch.add(new Object[] {
                a.productKey(),
                environmentId,
                "alert:" + a.rule().name(),
                a.rule().organizationId(),
                a.productId(),
                JSON.writeValueAsString(a.rule().dimensions()),
                JSON.writeValueAsString(a.alert())
            });
        }
        jdbc.batchUpdate(
                "insert into feed_change (product_key, environment_id, record_key,"
                        + " organization_id, product_id, dimensions, kind, alert)"
                        + " values (?, ?, ?, ?, ?, ?::jsonb, '"
                        + StoredChange.KIND_ALERT
                        + "', ?::jsonb)",
                batch);
    }
}
