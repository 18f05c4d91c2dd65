package io.ivs.bench;

import java.nio.charset.StandardCharsets;
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
 * Product search at catalogue scale: a catalogue of 1M products (quick mode: 20,000), loaded
 * through the catalogue's bulk API, with stock for every fourth product; then index queries that
 * select their products with a {@code Contains} condition on the product name (about one product
 * in 9,800 matches a term, some 100 at 1M) and answer the on-hand of the matches. Beside IVS, the
 * same work as two SQL statements over JDBC: the search IVS compiles the filter to, then the
 * on-hand rows of the matched products (the query ceiling of {@link ScaleScenarios}).
 */
final class ProductSearchScenario {
    static final int PRODUCTS_FULL = 1_000_000;
    static final int PRODUCTS_QUICK = 20_000;
    /** Stock for one product in this many, as a catalogue holds many products never stocked. */
    static final int STOCKED_EVERY = 4;
    /** At most this many products per search: the API's bound (an on-hand query's maximum). */
    static final int MATCHED_MAX = 5_000;

    static final String[] COLOURS = colours();
    static final String[] NOUNS = {
        "Chair", "Table", "Lamp", "Desk", "Shelf", "Stool", "Bench", "Cabinet", "Sofa", "Rug",
        "Mirror", "Clock", "Vase", "Drawer", "Bed", "Crib", "Locker", "Easel", "Trolley", "Tray"
    };

    private final Options options;
    private final Target target;
    private final Report report;
    private final int products;

    ProductSearchScenario(Options options, Target target, Report report) {
        this.options = options;
        this.target = target;
        this.report = report;
        this.products = options.mode().equals("full") ? PRODUCTS_FULL : PRODUCTS_QUICK;
    }

    /** 491 colour words (a prime, so colour and noun vary independently of each other). */
    private static String[] colours() {
        String[] out = new String[491];
        for (int i = 0; i < out.length; i++) {
            out[i] = "Hue" + Integer.toString(i * 7919 + 100_000, 36);
        }
        return out;
    }

    static String name(long i) {
        return COLOURS[(int) (i % COLOURS.length)] + " "
                + NOUNS[(int) (i / COLOURS.length % NOUNS.length)] + " model " + i;
    }

    void run() throws Exception {
        loadCatalogue();
        loadStock();
        settle();
        Connection con = target.connect(null);
        for (int clients : List.of(1, options.queryClients())) {
            measure(con, clients);
        }
    }

    private void loadCatalogue() {
        AtomicLong next = new AtomicLong();
        Load.Measured load = Load.run(
                new Load.Plan(
                        options.bulkClients(),
                        Duration.ZERO,
                        Options.SCALE_LOAD_MAX,
                        Long.MAX_VALUE),
                (worker, sequence) -> {
                    long first = next.getAndAdd(Options.BULK_SIZE);
                    if (first >= products) {
                        return Outcome.DONE;
                    }
                    int size = (int) Math.min(Options.BULK_SIZE, products - first);
                    Http.Response response = target.http.post(
                            Target.ENVIRONMENT,
                            Target.api("/products/bulk"),
                            catalogue(first, size));
                    return Target.allAccepted(response, size) ? Outcome.OK : Outcome.ERROR;
                });
        check(load, next, "products");
        report.add(Row.of(
                "product search: load " + products + " products",
                Row.IVS,
                options.bulkClients(),
                Options.BULK_SIZE,
                load,
                "catalogue bulk API, 2 attributes per product"));
    }

    private void check(Load.Measured load, AtomicLong next, String what) {
        if (load.errors() > 0
                || next.get() < products / (what.equals("stock") ? STOCKED_EVERY : 1)) {
            throw new IllegalStateException("loading " + what + " failed: " + load.errors()
                    + " failed requests; see " + target.server.logTail(20));
        }
    }

    private static byte[] catalogue(long first, int size) {
        StringBuilder out = new StringBuilder(size * 420).append('[');
        for (long i = first; i < first + size; i++) {
            out.append(i == first ? "" : ",")
                    .append("{\"organizationId\":\"")
                    .append(Events.ORGANIZATION)
                    .append("\",\"itemNumber\":\"")
                    .append(Events.product(i))
                    .append("\",\"productName\":\"")
                    .append(name(i))
                    .append("\",\"productSearchName\":\"")
                    .append(NOUNS[(int) (i % NOUNS.length)])
                    .append(i)
                    .append("\",\"productType\":\"Item\",\"productDescription\":\"")
                    .append("A ")
                    .append(name(i).toLowerCase(java.util.Locale.ROOT))
                    .append(" for the bench catalogue\",\"inventoryUnitSymbol\":\"ea\",")
                    .append("\"salesUnitSymbol\":\"ea\",\"purchaseUnitSymbol\":\"box\",")
                    .append("\"attributes\":[{\"attributeTypeName\":\"Weight\",")
                    .append("\"attributeName\":\"Weight Limit\",\"attributeArea\":")
                    .append("\"ProductAttribute\",\"attributeValues\":[\"")
                    .append(i % 1000)
                    .append("\"]},{\"attributeTypeName\":\"Color\",\"attributeName\":\"Color\",")
                    .append("\"attributeArea\":\"DimensionAttribute\",\"attributeValues\":[\"")
                    .append(COLOURS[(int) (i % COLOURS.length)])
                    .append("\"]}]}");
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void loadStock() {
        int stocked = products / STOCKED_EVERY;
        AtomicLong next = new AtomicLong();
        Load.Measured load = Load.run(
                new Load.Plan(
                        options.bulkClients(),
                        Duration.ZERO,
                        Options.SCALE_LOAD_MAX,
                        Long.MAX_VALUE),
                (worker, sequence) -> {
                    long first = next.getAndAdd(Options.BULK_SIZE);
                    if (first >= stocked) {
                        return Outcome.DONE;
                    }
                    int size = (int) Math.min(Options.BULK_SIZE, stocked - first);
                    List<Events.Event> events = new ArrayList<>(size);
                    for (long k = first; k < first + size; k++) {
                        events.add(new Events.Event(
                                "stock-" + k,
                                Events.product(k * STOCKED_EVERY),
                                "S0",
                                "L0",
                                "C0",
                                5));
                    }
                    Http.Response response = target.http.post(
                            Target.ENVIRONMENT, Target.api("/onhand/bulk"), Events.json(events));
                    return Target.allAccepted(response, size) ? Outcome.OK : Outcome.ERROR;
                });
        check(load, next, "stock");
    }

    private void settle() throws SQLException {
        try (Connection con = target.connect(null);
                java.sql.Statement st = con.createStatement()) {
            st.execute("vacuum analyze product, product_attribute, onhand_record,"
                    + " onhand_quantity");
            st.execute("checkpoint");
        }
    }

    /** A search term: one colour and one noun, "huexyz chair", chosen per request. */
    private static String term(int worker, long sequence) {
        SplittableRandom random = new SplittableRandom(worker * 7_000_003L + sequence);
        return COLOURS[random.nextInt(COLOURS.length)].toLowerCase(java.util.Locale.ROOT) + " "
                + NOUNS[random.nextInt(NOUNS.length)].toLowerCase(java.util.Locale.ROOT);
    }

    static byte[] body(String term) {
        return ("{\"filters\":{\"organizationId\":[\"" + Events.ORGANIZATION + "\"],"
                        + "\"siteId\":[\"S0\"],\"locationId\":[\"L0\"]},\"productSearch\":"
                        + "{\"productFilter\":{\"conditions\":[{\"conditionOperator\":"
                        + "\"Contains\",\"productName\":[\"" + term + "\"]}]}},"
                        + "\"returnNegative\":true}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void measure(Connection con, int clients) throws SQLException {
        String scenario = "product search: Contains on name + on-hand, " + products + " products"
                + (clients == 1 ? ", 1 client" : "");
        Load.Plan plan = options.queryPlan().withConcurrency(clients);
        Load.Measured ivs = Load.run(plan, (worker, sequence) -> {
            Http.Response response = target.http.post(
                    Target.ENVIRONMENT,
                    Target.api("/onhand/productsearch/indexquery"),
                    body(term(worker, sequence)));
            return response.statusCode() == 200 ? Outcome.OK : Outcome.ERROR;
        });
        Row ivsRow = Row.of(
                scenario,
                Row.IVS,
                clients,
                1,
                ivs,
                "about " + matches() + " matches" + " per search, 1 in " + STOCKED_EVERY
                        + " stocked");
        report.add(ivsRow);
        List<Connection> cons = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cons.add(i == 0 ? con : target.connect(null));
        }
        Load.Measured same = Load.run(plan, (worker, sequence) -> {
            List<String> ids = search(cons.get(worker), term(worker, sequence));
            if (!ids.isEmpty()) {
                onHand(cons.get(worker), ids);
            }
            return Outcome.OK;
        });
        Row sameRow = Row.of(
                scenario,
                Row.SAME_WORK,
                clients,
                1,
                same,
                "the search statement, then the on-hand statement, over JDBC");
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
    }

    private long matches() {
        return Math.round((double) products / (COLOURS.length * NOUNS.length));
    }

    /** The statement IVS compiles a one-condition Contains search to. */
    static List<String> search(Connection con, String term) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("select distinct p.item_number"
                + " from product p where p.environment_id = ?"
                + " and p.organization_id = any(?::text[]) and ((p.product_name ilike ?))"
                + " limit ?")) {
            ps.setString(1, Target.ENVIRONMENT);
            ps.setArray(2, con.createArrayOf("text", new Object[] {Events.ORGANIZATION}));
            ps.setString(3, "%" + term + "%");
            ps.setInt(4, MATCHED_MAX + 1);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private static void onHand(Connection con, List<String> ids) throws SQLException {
        Object[] keys = new Object[ids.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = io.ivs.core.onhand.RecordKey.productKey(
                    io.ivs.core.environment.EnvironmentId.of(Target.ENVIRONMENT),
                    Events.ORGANIZATION,
                    ids.get(i));
        }
        try (PreparedStatement ps = con.prepareStatement(ScaleScenarios.sql())) {
            ps.setArray(1, con.createArrayOf("uuid", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(2);
                }
            }
        }
    }
}
