package io.ivs.server.console;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The overview's database reads, each bounded so that the page stays cheap in an environment of
 * a million records. Costs were measured on embedded PostgreSQL (see each method); a count that
 * reaches its bound is shown as "at least".
 */
@Component
class OverviewQueries {
    /** A count stops here and reads "at least" this many; it bounds the rows a count visits. */
    static final int COUNT_MAX = 10_000;

    /** Events of the last hour read at most, over all environments (the rate charts). */
    static final int EVENTS_MAX = 200_000;

    /** Products listed at most per health figure. */
    static final int PRODUCTS_LISTED_MAX = 10;

    private final JdbcClient jdbc;

    OverviewQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How many of the rules' products are out of stock, negative or below the threshold. */
    record AlertCounts(int rules, long out, long negative, long below) {}

    /**
     * Counts the alert states of the environment's rules. Reads the index {@code
     * alert_state_rule} (environment, rule): one row per product a rule watches, at most
     * {@link #COUNT_MAX} of them, so the cost is bounded whatever the number of records.
     */
    AlertCounts alerts(String environmentId) {
        return jdbc.sql("select count(distinct rule_name), count(*) filter (where is_out),"
                        + " count(*) filter (where value < 0), count(*) filter (where is_below)"
                        + " from (select rule_name, is_out, is_below, value from alert_state"
                        + " where environment_id = ? limit " + COUNT_MAX + ") s")
                .param(environmentId)
                .query((rs, n) ->
                        new AlertCounts(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .single();
    }

    /** A product that a rule reports out of stock or below its threshold. */
    record AlertedProduct(
            String rule, String organizationId, String productId, String value, boolean out) {}

    /** The products alerted now, the lowest values first, at most {@link #PRODUCTS_LISTED_MAX}. */
    List<AlertedProduct> alertedProducts(String environmentId) {
        return jdbc.sql("select rule_name, organization_id, product_id, value, is_out"
                        + " from (select * from alert_state where environment_id = ?"
                        + " and (is_out or is_below) limit " + COUNT_MAX + ") s"
                        + " order by value, organization_id, product_id limit "
                        + PRODUCTS_LISTED_MAX)
                .param(environmentId)
                .query((rs, n) -> new AlertedProduct(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBigDecimal(4).stripTrailingZeros().toPlainString(),
                        rs.getBoolean(5)))
                .list();
    }

    /**
     * Reservations that hold a quantity now, counted up to {@link #COUNT_MAX} through the index
     * {@code reservation_by_id} (environment, reservation id) and the rows it points to.
     */
    long reservationsHeld(String environmentId) {
        return bounded(
                "select 1 from reservation where environment_id = ? and quantity <> 0",
                environmentId);
    }

    /**
     * Allocation buckets with a quantity, counted up to {@link #COUNT_MAX} through the index
     * {@code allocation_bucket_environment}.
     */
    long allocations(String environmentId) {
        return bounded("select 1 from allocation_bucket where environment_id = ?", environmentId);
    }

    private long bounded(String rows, String environmentId) {
        return jdbc.sql("select count(*) from (" + rows + " limit " + COUNT_MAX + ") c")
                .param(environmentId)
                .query(Long.class)
                .single();
    }

    /** Accepted events of one write family in one bucket of the window. */
    record EventCount(String family, int bucket, long events) {}

    /**
     * Accepted events of the environment per write family and bucket since {@code from}: the
     * event ids the write paths claim in {@code processed_event} (a retried event is claimed
     * once). Reads the index {@code processed_event_age} over the last hour of every
     * environment, at most {@link #EVENTS_MAX} rows; refused events claim no id and are counted
     * elsewhere.
     */
    List<EventCount> events(String environmentId, Instant from, Duration bucket) {
        return jdbc.sql("select family, floor(extract(epoch from processed_at - ?) / ?)::int b,"
                        + " count(*) from (select family, processed_at from processed_event"
                        + " where processed_at >= ? and environment_id = ? limit "
                        + EVENTS_MAX + ") e group by family, b")
                .param(Timestamp.from(from))
                .param(bucket.toSeconds())
                .param(Timestamp.from(from))
                .param(environmentId)
                .query((rs, n) -> new EventCount(rs.getString(1), rs.getInt(2), rs.getLong(3)))
                .list();
    }
}
