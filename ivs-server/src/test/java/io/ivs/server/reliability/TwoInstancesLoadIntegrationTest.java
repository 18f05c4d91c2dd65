package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;

import io.ivs.server.IvsApplication;
import io.ivs.server.reliability.ReferenceModel.Filter;
import io.ivs.server.reliability.ReferenceModel.Key;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

/**
 * Two IVS instances on one database under concurrent mixed load: workers send changes, checked
 * reservations and unreservations, each write twice (once through each instance, which must give
 * the same answer), while a watcher queries through both. Then: both instances report the same
 * stock; replaying the acknowledged operations one by one through a single instance, and into the
 * reference model, gives that same stock; and available-to-reserve never went below zero (no
 * oversell).
 */
class TwoInstancesLoadIntegrationTest extends HttpTestSupport {
    private static final long SEED = 4_2026L;
    private static final int WORKERS = 6;
    private static final int OPERATIONS_PER_WORKER = 40;
    private static final int PRODUCTS = 4;
    private static final int STOCK = 30;
    private static final long TIMEOUT_SECONDS = 180;
    private static final String AFR = "iv.availabletoreserve";

    private static ConfigurableApplicationContext second;
    private static int secondPort;

    /** Per environment: product → its reservation id at (site 1, location 11, red). */
    private final Map<String, Map<String, String>> reservationIds =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Autowired
    private DataSource dataSource;

    @BeforeEach
    void startSecondInstance() throws Exception {
        if (second != null) {
            return;
        }
        HikariDataSource hikari = (HikariDataSource) dataSource;
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--ivs.database.url=" + hikari.getJdbcUrl(),
                "--ivs.database.user=" + hikari.getUsername(),
                "--ivs.data-dir=" + Files.createTempDirectory("ivs-second-")));
        if (hikari.getPassword() != null) {
            args.add("--ivs.database.password=" + hikari.getPassword());
        }
        second =
                new SpringApplicationBuilder(IvsApplication.class).run(args.toArray(String[]::new));
        secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    /** One write as planned, and what came of it. */
    private record Write(String kind, Key key, String body, BigDecimal quantity) {}

    private record Outcome(Write write, JsonNode answer) {}

    @Test
    void mixedLoadThroughTwoInstances_sameAsOneInstanceAndTheModel_neverOversells()
            throws Exception {
        IvsClient other = new IvsClient(secondPort);
        seed(env, null);

        List<List<Write>> plans = plans();
        AtomicBoolean running = new AtomicBoolean(true);
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Queue<BigDecimal> afrSeen = new ConcurrentLinkedQueue<>();
        Thread watcher = Thread.ofPlatform().start(() -> {
            int turn = 0;
            while (running.get()) {
                IvsClient via = turn++ % 2 == 0 ? client : other;
                afrSeen.addAll(availableToReserve(via, env).values());
                ChildServer.sleep(java.time.Duration.ofMillis(20));
            }
        });
        List<Outcome> outcomes = new ArrayList<>();
        try {
            outcomes = run(plans, other, problems);
        } finally {
            running.set(false);
            watcher.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(problems).as("seed %d", SEED).isEmpty();

        Map<String, Map<String, BigDecimal>> viaOne = stockOf(client, env);
        Map<String, Map<String, BigDecimal>> viaTwo = stockOf(other, env);
        assertThat(viaTwo).as("both instances report the same stock").isEqualTo(viaOne);

        String single = "single-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + single, null).status()).isEqualTo(201);
        ReferenceModel model = new ReferenceModel();
        seed(single, model);
        replay(outcomes, single, model);
        assertThat(stockOf(client, single))
                .as("one instance, the acknowledged operations one by one")
                .isEqualTo(viaOne);
        assertThat(modelStock(model)).as("the reference model").isEqualTo(viaOne);

        long reserved = outcomes.stream()
                .filter(o -> o.write().kind().equals("reserve"))
                .filter(o -> o.answer().path("statusCode").asInt() == 200)
                .count();
        long rejected = outcomes.stream()
                .filter(o -> o.answer().path("statusCode").asInt() == 500)
                .count();
        System.out.printf(
                "two instances: %d writes (each sent twice), %d reservations, %d rejected for"
                        + " want of stock, %d readings of available-to-reserve%n",
                outcomes.size(), reserved, rejected, afrSeen.size());
        assertThat(rejected).as("the load ran out of stock somewhere").isPositive();
        assertThat(reserved).isPositive();
        assertThat(afrSeen).isNotEmpty().allSatisfy(afr -> assertThat(afr).isNotNegative());
        assertThat(availableToReserve(client, env))
                .hasSize(PRODUCTS)
                .allSatisfy((product, afr) -> assertThat(afr).as(product).isNotNegative());
    }

    /** Seeded plans: per worker a list of changes, reservations and unreservations. */
    private static List<List<Write>> plans() {
        Random random = new Random(SEED);
        List<List<Write>> plans = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            List<Write> plan = new ArrayList<>();
            for (int i = 0; i < OPERATIONS_PER_WORKER; i++) {
                String id = "w" + w + "-" + i;
                String product = "P" + random.nextInt(PRODUCTS);
                int dice = random.nextInt(100);
                if (dice < 20) {
                    String size = random.nextBoolean() ? "S" : "L";
                    plan.add(change(id, key(product, size), "pos.inbound", 1));
                } else if (dice < 30) {
                    plan.add(change(
                            id, key(product, "S"), "erp.unrestricted", random.nextInt(7) - 3));
                } else if (dice < 80) {
                    plan.add(reserve(id, key(product, null), 1 + random.nextInt(4)));
                } else {
                    plan.add(unreserve(id, key(product, null), 1 + random.nextInt(2)));
                }
            }
            plans.add(plan);
        }
        return plans;
    }

    private List<Outcome> run(List<List<Write>> plans, IvsClient other, Queue<String> problems)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(plans.size());
        try {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (int w = 0; w < plans.size(); w++) {
                List<Write> plan = plans.get(w);
                IvsClient first = w % 2 == 0 ? client : other;
                IvsClient then = w % 2 == 0 ? other : client;
                Callable<List<Outcome>> worker = () -> {
                    List<Outcome> done = new ArrayList<>();
                    for (Write write : plan) {
                        JsonNode answer = send(first, write);
                        JsonNode again = send(then, write);
                        // A refused reservation is not recorded (docs/api-notes.md): its retry
                        // is a new attempt, which may succeed. Any other retry answers as before.
                        boolean refused = write.kind().equals("reserve")
                                && answer.path("statusCode").asInt() == 500;
                        if (!refused && !answer.equals(again)) {
                            problems.add(write.body() + ": " + answer + " then " + again);
                        }
                        JsonNode last = refused ? again : answer;
                        int status = last.path("statusCode").asInt();
                        if (status != 200 && !(refused && status == 500)) {
                            problems.add(write.body() + ": " + last);
                        }
                        done.add(new Outcome(write, last));
                    }
                    return done;
                };
                futures.add(pool.submit(worker));
            }
            List<Outcome> all = new ArrayList<>();
            for (Future<List<Outcome>> future : futures) {
                all.addAll(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The acknowledged operations, one at a time through one instance and into the model:
     * changes, then the reservations that succeeded (unchecked, they were checked already),
     * then what each unreservation released.
     */
    private void replay(List<Outcome> outcomes, String environment, ReferenceModel model) {
        List<Write> ordered = new ArrayList<>();
        List<Write> reserves = new ArrayList<>();
        List<Write> releases = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Write write = outcome.write();
            JsonNode answer = outcome.answer();
            switch (write.kind()) {
                case "change" -> ordered.add(write);
                case "reserve" -> {
                    if (answer.path("statusCode").asInt() == 200) {
                        reserves.add(unchecked(write));
                    }
                }
                default -> {
                    BigDecimal invalid =
                            answer.path("totalInvalidOffsetQtyByReservId").decimalValue();
                    BigDecimal released = write.quantity().subtract(invalid);
                    if (released.signum() > 0) {
                        releases.add(unreserve(
                                "replay-" + UUID.randomUUID(),
                                write.key(),
                                released.intValueExact()));
                    }
                }
            }
        }
        ordered.addAll(reserves);
        ordered.addAll(releases);
        for (Write write : ordered) {
            apply(environment, write, model);
        }
    }

    /**
     * Stock, reservations switched on, and for each product one reservation made and released
     * again, so that its (deterministic, §2.4.6) reservation id is known to the unreservations.
     */
    private void seed(String environment, ReferenceModel model) {
        enableReservations(environment);
        if (model != null) {
            model.configure(client.get("/api/environment/" + environment + "/configuration")
                    .json());
        }
        Map<String, String> ids = new TreeMap<>();
        reservationIds.put(environment, ids);
        for (int p = 0; p < PRODUCTS; p++) {
            String product = "P" + p;
            apply(
                    environment,
                    change("stock-" + p, key(product, "S"), "pos.inbound", STOCK / 2),
                    model);
            apply(
                    environment,
                    change("stock-" + p + "-L", key(product, "L"), "pos.inbound", STOCK / 2),
                    model);
            JsonNode reserved = apply(
                    environment, unchecked(reserve("seed-r-" + p, key(product, null), 1)), model);
            ids.put(product, reserved.path("reservationId").asString());
            apply(environment, unreserve("seed-u-" + p, key(product, null), 1), model);
        }
    }

    /** One write through the first instance (and into the model, if given); must succeed. */
    private JsonNode apply(String environment, Write write, ReferenceModel model) {
        String path = "/api/environment/" + environment + path(write);
        IvsClient.Response response = client.post(path, withReservationId(write, environment));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("processingStatus").asString())
                .as(response.body())
                .isEqualTo("success");
        if (model != null) {
            String id = IvsClient.parse(write.body()).path("id").asString();
            switch (write.kind()) {
                case "change" ->
                    model.change(
                            id,
                            write.body(),
                            write.key(),
                            Map.of(measureOf(write), write.quantity()));
                case "reserve" ->
                    model.reserve(
                            id,
                            write.body(),
                            write.key(),
                            "iv.softreserved",
                            write.quantity(),
                            false);
                default ->
                    model.unreserve(
                            id, write.body(), write.key(), "iv.softreserved", write.quantity());
            }
        }
        return response.json();
    }

    // ---- requests -------------------------------------------------------------------------

    private static Key key(String product, String size) {
        TreeMap<String, String> dimensions = new TreeMap<>();
        dimensions.put("siteid", "1");
        dimensions.put("locationid", "11");
        dimensions.put("colorid", "red");
        if (size != null) {
            dimensions.put("sizeid", size);
        }
        return new Key(product, dimensions);
    }

    private static ObjectNode base(String id, Key key) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", id).put("organizationId", "usmf").put("productId", key.product());
        ObjectNode dimensions = body.putObject("dimensions");
        dimensions.put("siteId", "1").put("locationId", "11").put("colorId", "red");
        if (key.dimensions().containsKey("sizeid")) {
            dimensions.put("sizeId", key.dimensions().get("sizeid"));
        }
        return body;
    }

    private static Write change(String id, Key key, String measure, int quantity) {
        ObjectNode body = base(id, key);
        String[] parts = measure.split("\\.");
        body.putObject("quantities").putObject(parts[0]).put(parts[1], quantity);
        return new Write("change", key, IvsClient.json(body), BigDecimal.valueOf(quantity));
    }

    private static Write reserve(String id, Key key, int quantity) {
        ObjectNode body = base(id, key);
        body.put("quantityDataSource", "iv").put("modifier", "softreserved");
        body.put("quantity", quantity).put("ifCheckAvailForReserv", true);
        return new Write("reserve", key, IvsClient.json(body), BigDecimal.valueOf(quantity));
    }

    private static Write unchecked(Write reserve) {
        ObjectNode body = (ObjectNode) IvsClient.parse(reserve.body());
        body.put("ifCheckAvailForReserv", false);
        return new Write("reserve", reserve.key(), IvsClient.json(body), reserve.quantity());
    }

    private static Write unreserve(String id, Key key, int quantity) {
        ObjectNode body = base(id, key);
        body.put("OffsetQty", quantity);
        return new Write("unreserve", key, IvsClient.json(body), BigDecimal.valueOf(quantity));
    }

    private static String measureOf(Write change) {
        JsonNode quantities = IvsClient.parse(change.body()).path("quantities");
        String ds = quantities.propertyNames().iterator().next();
        return ds + "." + quantities.path(ds).propertyNames().iterator().next();
    }

    private static String path(Write write) {
        return switch (write.kind()) {
            case "change" -> "/onhand";
            case "reserve" -> "/onhand/reserve";
            default -> "/onhand/unreserve";
        };
    }

    /** Sends a write; an unreservation first learns the reservation id of its dimensions. */
    private JsonNode send(IvsClient via, Write write) {
        String body = withReservationId(write, env);
        IvsClient.Response response = via.post("/api/environment/" + env + path(write), body);
        return response.json();
    }

    /** An unreservation names the reservation id learnt when the environment was seeded. */
    private String withReservationId(Write write, String environment) {
        if (!write.kind().equals("unreserve")) {
            return write.body();
        }
        ObjectNode body = (ObjectNode) IvsClient.parse(write.body());
        body.put(
                "reservationId", reservationIds.get(environment).get(write.key().product()));
        return IvsClient.json(body);
    }

    private void enableReservations(String environment) {
        String path = "/api/environment/" + environment + "/configuration";
        ObjectNode document = (ObjectNode) client.get(path).json();
        ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
        IvsClient.Response response = client.post(path + "/hardupdate", IvsClient.json(document));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    // ---- stock ----------------------------------------------------------------------------

    private static final String STOCK_QUERY = """
            {"filters": {"organizationId": ["usmf"], "productId": [],
                         "siteId": ["1"], "locationId": ["11"]},
             "groupByValues": ["colorid", "sizeid"], "returnNegative": true}""";

    private static Map<String, Map<String, BigDecimal>> stockOf(IvsClient via, String environment) {
        IvsClient.Response response =
                via.post("/api/environment/" + environment + "/onhand/indexquery", STOCK_QUERY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Map<String, BigDecimal>> rows = new TreeMap<>();
        for (JsonNode row : response.json()) {
            Map<String, String> dimensions = new TreeMap<>();
            row.path("dimensions")
                    .properties()
                    .forEach(d -> dimensions.put(
                            ReferenceModel.lower(d.getKey()), d.getValue().asString()));
            Map<String, BigDecimal> quantities = new TreeMap<>();
            row.path("quantities")
                    .properties()
                    .forEach(ds -> ds.getValue()
                            .properties()
                            .forEach(m -> quantities.put(
                                    ReferenceModel.lower(ds.getKey() + "." + m.getKey()),
                                    m.getValue().decimalValue())));
            rows.put(
                    ReferenceModel.rowKey(row.path("productId").asString(), dimensions),
                    ReferenceModel.normalized(quantities));
        }
        return rows;
    }

    /**
     * Available-to-reserve per product at (site 1, location 11, red), where the reservations
     * are checked: the sum over the size-level stock records and the colour-level reservation
     * record.
     */
    private static Map<String, BigDecimal> availableToReserve(IvsClient via, String environment) {
        IvsClient.Response response = via.post(
                "/api/environment/" + environment + "/onhand/indexquery",
                STOCK_QUERY.replace("[\"colorid\", \"sizeid\"]", "[\"colorid\"]"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, BigDecimal> afr = new TreeMap<>();
        for (JsonNode row : response.json()) {
            afr.put(
                    row.path("productId").asString(),
                    row.path("quantities").path("iv").path("availabletoreserve").decimalValue());
        }
        return afr;
    }

    private static Map<String, Map<String, BigDecimal>> modelStock(ReferenceModel model) {
        Map<String, Map<String, BigDecimal>> rows = new TreeMap<>();
        model.query(Set.of(), List.of(new Filter(Map.of())), List.of("colorid", "sizeid"), true)
                .forEach((k, v) -> rows.put(k, ReferenceModel.normalized(v)));
        return rows;
    }
}
