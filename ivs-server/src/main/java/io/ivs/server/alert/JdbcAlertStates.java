package io.ivs.server.alert;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * Alert states in PostgreSQL: each read visits at most the bound it is given of the
 * environment's states, through index {@code alert_state_rule} (environment, rule), so the cost
 * does not grow with the number of records.
 */
@Repository
class JdbcAlertStates implements AlertStates {
    private final JdbcClient jdbc;

    JdbcAlertStates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Counts counts(String environmentId, int statesMax) {
        return jdbc.sql("select (select count(*) from alert_rule where environment_id = ?),"
                        + " count(*), count(*) filter (where is_out),"
                        + " count(*) filter (where value < 0), count(*) filter (where is_below)"
                        + " from (select is_out, is_below, value from alert_state"
                        + " where environment_id = ? limit ?) s")
                .params(environmentId, environmentId, statesMax)
                .query((rs, n) -> new Counts(
                        rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                .single();
    }

    @Override
    public List<Alerted> alerted(
            String environmentId, Filter filter, int statesMax, int listedMax) {
        String matching = switch (filter) {
            case OUT -> "is_out";
            case NEGATIVE -> "value < 0";
            case BELOW -> "is_below";
        };
        return jdbc.sql("select rule_name, organization_id, product_id, value, is_out"
                        + " from (select * from alert_state where environment_id = ? and "
                        + matching + " limit ?) s"
                        + " order by value, organization_id, product_id, rule_name limit ?")
                .params(environmentId, statesMax, listedMax)
                .query((rs, n) -> new Alerted(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBigDecimal(4).stripTrailingZeros().toPlainString(),
                        rs.getBoolean(5)))
                .list();
    }
}
