package io.ivs.bench;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.RecordKey;

import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Index queries for 1, 10 and 100 products, with and without group-by, at growing numbers of
 * stored records; the records are loaded through the bulk API, and each query is also run as
 * the one SQL statement IVS runs for it (the query ceiling).
 */
final class ScaleScenarios {
    static final List<Integer> PRODUCTS_PER_QUERY = List.of(1, 10, 100);
    /**
     * Under the default by-location partition rule IVS always groups by site and location; the
     * grouped variant adds a dimension that is not a partition key.
     */
    static final List<String> GROUP_BY = List.of("colorId");

    static final double QUERY_P99_TARGET_MILLIS = 10;

    static final int QUERY_TARGET_RECORDS = 1_000_000;

    /** How long a load's changes may take to be numbered by the feed before the run fails. */
    static final Duration FEED_SETTLE_MAX = Duration.ofMinutes(10);

    private final Options options;
    private final Target target;
    private final Report report;
    private final AtomicLong loaded = new AtomicLong();

    ScaleScenarios(Options options, Target target, Report report) {
        this.options = options;
        this.target = target;
        this.report = report;
    }

    void run() throws Exception {
        Connection con = target.connect(null);
        @Nullable Row loaded100 = null;
        @Nullable Row alone100 = null;
        for (int records : options.scaleRecords()) {
            load(records);
            if (records == options.scaleRecords().getFirst()) {
                long warmed = WarmUp.queries(
                        target, options.jitWarmUp(), records / Options.RECORDS_PER_PRODUCT);
                report.note("Scale warm-up: " + warmed + " index queries in "
                        + options.jitWarmUp().toSeconds() + " s after loading the first level.");
            }
            for (int products : PRODUCTS_PER_QUERY) {
                for (boolean grouped : List.of(false, true)) {
                    Row row = query(con, records, products, grouped, options.queryClients());
                    if (records == QUERY_TARGET_RECORDS && products == 100) {
                        loaded100 = worse(loaded100, row);
                    }
                }
            }
            if (records == options.scaleRecords().getLast()) {
                // Latency without queueing: one client, so no request waits for another.
                for (boolean grouped : List.of(false, true)) {
                    Row row = query(con, records, 100, grouped, 1);
                    if (records == QUERY_TARGET_RECORDS) {
                        alone100 = worse(alone100, row);
                    }
                }
            }
        }
        String goal = "index query, 100 products, 1M records: p99 <= 10 ms";
        if (alone100 == null || loaded100 == null) {
            report.target(new Report.Target(
                    goal,
                    "not measured in this mode (largest level "
                            + options.scaleRecords().getLast() + " records)",
                    "not measured"));
            return;
        }
        report.target(new Report.Target(
                goal,
                "p99 " + Stats.fixed(alone100.p99Millis(), 2) + " ms with 1 client, "
                        + Stats.fixed(loaded100.p99Millis(), 2) + " ms with "
                        + options.queryClients() + " clients (worst of with and without"
                        + " group-by)",
                alone100.p99Millis() <= QUERY_P99_TARGET_MILLIS ? "met with 1 client" : "NOT met"));
    }

    private static Row worse(@Nullable Row current, Row candidate) {
        return current == null || candidate.p99Millis() > current.p99Millis() ? candidate : current;
    }

    /** Loads records {@code loaded .. records-1}, one new record per event, 512 per request. */
    private void load(int records) throws SQLException, InterruptedException {
        long from = loaded.get();
        if (records <= from) {
            return;
        }
        AtomicLong next = new AtomicLong(from);
        int clients = options.bulkClients();
        Load.Measured load = Load.run(
                new Load.Plan(clients, Duration.ZERO, Options.SCALE_LOAD_MAX, Long.MAX_VALUE),
                (worker, sequence) -> {
                    long first = next.getAndAdd(Options.BULK_SIZE);
                    if (first >= records) {
                        return Outcome.DONE;
                    }
                    int size = (int) Math.min(Options.BULK_SIZE, records - first);
                    List<Events.Event> events = Events.distinctRecords(
                            "scale", first, size, Options.RECORDS_PER_PRODUCT);
                    Http.Response response = target.http.post(
                            Target.ENVIRONMENT, Target.api("/onhand/bulk"), Events.json(events));
                    return Target.allAccepted(response, size) ? Outcome.OK : Outcome.ERROR;
                });
        if (load.errors() > 0 || next.get() < records) {
            throw new IllegalStateException("loading " + records + " records failed: "
                    + load.errors() + " failed requests; see " + target.server.logTail(20));
        }
        loaded.set(records);
        settle();
        report.add(Row.of(
                "scale: load to " + records + " records",
                Row.IVS,
                clients,
                Options.BULK_SIZE,
                load,
                "bulk API, new records; then the feed numbers them, VACUUM ANALYZE, CHECKPOINT"));
    }

    /**
     * Lets IVS and PostgreSQL catch up after a load, as they would between a nightly load and the
     * day's queries: the queries then measure a steady state, not the tail of the load's
     * background work. IVS's change feed numbers the load's changes after their commits (a
     * million records leave some 400,000 waiting when the load ends, about a minute's work), so
     * this waits until none is waiting, then vacuums and checkpoints. Until 2026-12-07 the
     * queries of the largest level started while the feed was still numbering.
     */
    private void settle() throws SQLException, InterruptedException {
        try (Connection con = target.connect(null);
                java.sql.Statement st = con.createStatement()) {
            long deadline = System.nanoTime() + FEED_SETTLE_MAX.toNanos();
            while (waitingChanges(st) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the change feed still had changes to number "
                            + FEED_SETTLE_MAX.toMinutes() + " minutes after the load");
                }
                Thread.sleep(500);
            }
            st.execute("vacuum analyze onhand_record, onhand_quantity, processed_event,"
                    + " feed_change");
            st.execute("checkpoint");
        }
    }

    private static long waitingChanges(java.sql.Statement st) throws SQLException {
        try (ResultSet rs =
                st.executeQuery("select count(*) from feed_change where position is null")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Row query(Connection con, int records, int products, boolean grouped, int clients)
            throws SQLException {
        int productCount = records / Options.RECORDS_PER_PRODUCT;
        List<String> groupBy = grouped ? GROUP_BY : List.of();
        String scenario = "index query, " + products + " product" + (products == 1 ? "" : "s")
                + (grouped ? ", group by colour" : "") + ", " + records + " records"
                + (clients == 1 ? ", 1 client" : "");
        Load.Plan plan = options.queryPlan().withConcurrency(clients);
        Load.Measured ivs = Load.run(plan, (worker, sequence) -> {
            List<String> ids = pick(worker, sequence, products, productCount);
            Http.Response response = target.http.post(
                    Target.ENVIRONMENT,
                    Target.api("/onhand/indexquery"),
                    Target.queryBody(ids, groupBy));
            return response.statusCode() == 200 ? Outcome.OK : Outcome.ERROR;
        });
        Row ivsRow = Row.of(scenario, Row.IVS, clients, products, ivs, "");
        report.add(ivsRow);
        List<Connection> cons = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cons.add(i == 0 ? con : target.connect(null));
        }
        String sql = sql();
        Load.Measured same = Load.run(plan, (worker, sequence) -> {
            List<String> ids = pick(worker, sequence, products, productCount);
            runSql(cons.get(worker), sql, ids);
            return Outcome.OK;
        });
        Row sameRow = Row.of(
                scenario,
                Row.SAME_WORK,
                clients,
                products,
                same,
                "the one SQL statement, over JDBC");
        report.add(sameRow);
        report.ratio(new Report.Ratio(
                scenario,
                Row.SAME_WORK + " (p99 latency; >1 is slower)",
                ivsRow.p99Millis(),
                sameRow.p99Millis(),
                "ms"));
        for (int i = 1; i < cons.size(); i++) {
            cons.get(i).close();
        }
        return ivsRow;
    }

    private static List<String> pick(int worker, long sequence, int count, int productCount) {
        SplittableRandom random = new SplittableRandom(worker * 9_000_011L + sequence);
        List<String> ids = new ArrayList<>(count);
        random.ints(0, productCount)
                .distinct()
                .limit(Math.min(count, productCount))
                .forEach(i -> ids.add(Events.product(i)));
        return ids;
    }

    /**
     * The statement IVS's OnHandQuerySql builds for an index query with a product list: the
     * products' rows of the quantities table, one per record and measure (IVS takes the
     * dimensions from the record keys and sums per site, location and, if asked, colour as it
     * reads them). The same statement with and without group-by.
     */
    static String sql() {
        return "select q.product_key, q.record_key, q.measure, q.quantity from onhand_quantity q"
                + " where q.product_key = any(?::uuid[])";
    }

    private static void runSql(Connection con, String sql, List<String> products)
            throws SQLException {
        Object[] keys = new Object[products.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = RecordKey.productKey(
                    EnvironmentId.of(Target.ENVIRONMENT), Events.ORGANIZATION, products.get(i));
        }
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setArray(1, con.createArrayOf("uuid", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(2);
                }
            }
        }
    }
}
