package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.reliability.ReferenceModel.Answer;
import io.ivs.server.reliability.ReferenceModel.Filter;
import io.ivs.server.reliability.ReferenceModel.Key;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded simulation against a reference model: a generator of operation sequences (change, bulk
 * change, set on-hand, reserve, unreserve, index and exact queries, duplicate retries, conflicting
 * retries, configuration changes) is applied over HTTP to IVS and to {@link ReferenceModel},
 * written from the spec; every answer is compared, and the whole stock is compared every few
 * operations.
 *
 * <p>A fixed list of seeds runs in the build. A failing seed prints one command that replays it:
 * {@code -Divs.sim.seed=N} runs only that seed, {@code -Divs.sim.operations=N} changes the
 * length of each run.
 */
class ReferenceModelReliabilityTest extends HttpTestSupport {
    private static final long[] SEEDS = {1, 2, 3, 4};
    private static final int OPERATIONS_DEFAULT = 200;
    private static final int FULL_CHECK_EVERY = 25;
    private static final int HISTORY_SHOWN = 12;

    private static final List<String> PRODUCTS = List.of("A", "B", "C");
    private static final List<String[]> WAREHOUSES =
            List.of(new String[] {"1", "11"}, new String[] {"1", "12"}, new String[] {"2", "21"});
    private static final List<String> COLORS = List.of("red", "blue");
    private static final List<String> SIZES = List.of("S", "L", "");
    private static final List<String> WRITABLE =
            List.of("pos.inbound", "pos.outbound", "iv.ordered", "erp.unrestricted");
    private static final String RESERVE_MEASURE = "iv.softreserved";
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    static Stream<Long> seeds() {
        String only = System.getProperty("ivs.sim.seed");
        return only == null || only.isBlank()
                ? LongStream.of(SEEDS).boxed()
                : Stream.of(Long.parseLong(only.strip()));
    }

    private static int operations() {
        return Integer.getInteger("ivs.sim.operations", OPERATIONS_DEFAULT);
    }

    /** A write as sent, and what IVS answered, for duplicate retries. */
    private record Sent(String path, String body, String answer, String description) {}

    private Random random;
    private ReferenceModel model;
    private final Deque<String> history = new ArrayDeque<>();
    private final List<Sent> successes = new ArrayList<>();
    private final Map<Key, String> reservationIds = new HashMap<>();
    /** What the run exercised, printed per seed so that a weak generator shows. */
    private final Map<String, Integer> tally = new TreeMap<>();

    private long seed;
    private int step;
    private int ids;
    private int minutes;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperations_ivsAnswersAsTheReferenceModel(long seed) {
        this.seed = seed;
        random = new Random(seed);
        model = new ReferenceModel();
        configure(document ->
                ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true));
        model.configure(configuration());
        int total = operations();
        long started = System.nanoTime();
        for (step = 1; step <= total; step++) {
            nextOperation();
            if (step % FULL_CHECK_EVERY == 0) {
                compareEverything();
            }
        }
        compareEverything();
        System.out.printf(
                "simulation seed %d: %d operations in %d ms: %s%n",
                seed, total, Duration.ofNanos(System.nanoTime() - started).toMillis(), tally);
        assertThat(tally)
                .as("the generator reached every kind of outcome")
                .containsKeys(
                        "reserve 200",
                        "reserve 500",
                        "unreserve success",
                        "unreserve partialSuccess",
                        "change 409",
                        "bulk item 400",
                        "retry",
                        "query rows");
    }

    private void nextOperation() {
        int dice = random.nextInt(100);
        if (dice < 24) {
            change();
        } else if (dice < 38) {
            bulkChange();
        } else if (dice < 47) {
            setOnHand();
        } else if (dice < 62) {
            reserve();
        } else if (dice < 70) {
            unreserve();
        } else if (dice < 81) {
            indexQuery();
        } else if (dice < 87) {
            exactQuery();
        } else if (dice < 94) {
            retry();
        } else if (dice < 97) {
            conflictingRetry();
        } else {
            changeConfiguration();
        }
    }

    // ---- operations -----------------------------------------------------------------------

    private void change() {
        String id = nextId("c");
        Key key = randomKey(true);
        Map<String, BigDecimal> deltas = randomDeltas();
        ObjectNode event = event(id, key, deltas);
        String body = IvsClient.json(event);
        String description = "change " + body;
        Answer expected = model.change(id, IvsClient.json(event), key, deltas);
        IvsClient.Response response = client.post(api("/onhand"), body);
        record(description);
        check(response.status() == expected.statusCode(), description, expected, response.body());
        checkEnvelope(response.json(), expected, description);
        count("change " + expected.statusCode(), 1);
        remember("/onhand", body, response, expected, description);
    }

    private void bulkChange() {
        int size = 1 + random.nextInt(5);
        ArrayNode items = json().arrayNode();
        List<Answer> expected = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = nextId("b");
            Key key = randomKey(true);
            Map<String, BigDecimal> deltas = randomDeltas();
            int bad = random.nextInt(12);
            if (bad == 0) {
                deltas.put("pos.returned", BigDecimal.ONE);
            } else if (bad == 1) {
                deltas = new TreeMap<>(Map.of("fno.physicalinvent", BigDecimal.TEN));
            }
            ObjectNode event = event(id, key, deltas);
            items.add(event);
            expected.add(model.change(id, IvsClient.json(event), key, deltas));
        }
        String body = IvsClient.json(items);
        String description = "bulk " + body;
        IvsClient.Response response = client.post(api("/onhand/bulk"), body);
        record(description);
        checkItems(response, expected, description);
        expected.forEach(a -> count("bulk item " + a.statusCode(), 1));
        remember("/onhand/bulk", body, response, expected, description);
    }

    private void setOnHand() {
        int size = 1 + random.nextInt(3);
        ArrayNode items = json().arrayNode();
        List<Answer> expected = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = nextId("s");
            Key key = randomKey(true);
            String measure = random.nextBoolean() ? "pos.inbound" : "pos.outbound";
            Map<String, BigDecimal> values = new TreeMap<>(Map.of(measure, quantity(0, 40)));
            Instant at = nextSetTime();
            ObjectNode event = event(id, key, values);
            event.put("modifiedDateTimeUTC", at.toString());
            items.add(event);
            expected.add(model.set(id, IvsClient.json(event), key, values, at));
        }
        String body = IvsClient.json(items);
        String description = "set " + body;
        IvsClient.Response response = client.post(api("/setonhand/pos/bulk"), body);
        record(description);
        checkItems(response, expected, description);
        count("set item", expected.size());
        remember("/setonhand/pos/bulk", body, response, expected, description);
    }

    private void reserve() {
        String id = nextId("r");
        Key key = reservationKey();
        boolean checked = random.nextInt(5) != 0;
        BigDecimal quantity = quantity(1, 8);
        BigDecimal held = model.reservedThrough(key, RESERVE_MEASURE);
        if (!checked && held.signum() > 0 && random.nextBoolean()) {
            // A reversal (§2.4 step 8): never more than this reservation holds.
            quantity = held.min(quantity).negate();
        } else if (checked && random.nextInt(10) == 0) {
            quantity = quantity.negate();
        }
        ObjectNode body = json().objectNode();
        body.put("id", id).put("organizationId", "usmf").put("productId", key.product());
        body.set("dimensions", dimensions(key));
        body.put("quantityDataSource", "iv").put("modifier", "softreserved");
        body.put("quantity", quantity).put("ifCheckAvailForReserv", checked);
        String text = IvsClient.json(body);
        String description = "reserve " + text;
        Answer expected = model.reserve(id, text, key, RESERVE_MEASURE, quantity, checked);
        IvsClient.Response response = client.post(api("/onhand/reserve"), text);
        record(description);
        check(response.status() == expected.statusCode(), description, expected, response.body());
        checkEnvelope(response.json(), expected, description);
        count("reserve " + expected.statusCode(), 1);
        if (expected.statusCode() == 200) {
            String reservationId = response.json().path("reservationId").asString();
            String known = reservationIds.putIfAbsent(key, reservationId);
            check(
                    known == null || known.equals(reservationId),
                    description + " (one reservation id per product and dimensions, §2.4.6)",
                    known,
                    reservationId);
            check(
                    known != null
                            || reservationIds.entrySet().stream()
                                    .noneMatch(e -> !e.getKey().equals(key)
                                            && e.getValue().equals(reservationId)),
                    description + " (another combination has this reservation id)",
                    "a new id",
                    reservationId);
        }
        remember("/onhand/reserve", text, response, expected, description);
    }

    private void unreserve() {
        if (reservationIds.isEmpty()) {
            return;
        }
        List<Key> keys = new ArrayList<>(reservationIds.keySet());
        keys.sort((a, b) -> (a.product() + a.dimensions()).compareTo(b.product() + b.dimensions()));
        Key key = keys.get(random.nextInt(keys.size()));
        String id = nextId("u");
        BigDecimal offset = quantity(1, 5);
        ObjectNode body = json().objectNode();
        body.put("id", id).put("organizationId", "usmf").put("productId", key.product());
        body.put("reservationId", reservationIds.get(key));
        body.set("dimensions", dimensions(key));
        body.put("OffsetQty", offset);
        String text = IvsClient.json(body);
        String description = "unreserve " + text;
        Answer expected = model.unreserve(id, text, key, RESERVE_MEASURE, offset);
        IvsClient.Response response = client.post(api("/onhand/unreserve"), text);
        record(description);
        check(response.status() == 200, description, expected, response.body());
        JsonNode answer = response.json();
        checkEnvelope(answer, expected, description);
        BigDecimal invalid = answer.path("totalInvalidOffsetQtyByReservId").decimalValue();
        check(
                invalid.compareTo(expected.invalidOffset()) == 0,
                description + " (totalInvalidOffsetQtyByReservId)",
                expected.invalidOffset(),
                invalid);
        count("unreserve " + expected.processingStatus(), 1);
        remember("/onhand/unreserve", text, response, expected, description);
    }

    private void indexQuery() {
        Set<String> products = randomSubset(PRODUCTS, true);
        Set<String> sites = new TreeSet<>();
        Set<String> locations = new TreeSet<>();
        if (products.isEmpty() || random.nextInt(3) != 0) {
            sites = randomSubset(List.of("1", "2"), false);
            locations = randomSubset(List.of("11", "12", "21"), false);
        }
        Map<String, Set<String>> allowed = new TreeMap<>();
        allowed.put("siteid", sites);
        allowed.put("locationid", locations);
        ObjectNode filters = json().objectNode();
        filters.set("organizationId", json().arrayNode().add("usmf"));
        filters.set("productId", array(products));
        filters.set("siteId", array(sites));
        filters.set("locationId", array(locations));
        if (random.nextInt(3) == 0) {
            Set<String> colors = randomSubset(COLORS, false);
            allowed.put("colorid", colors);
            filters.set("colorId", array(colors));
        }
        List<String> groupBy = randomGroupBy();
        boolean returnNegative = random.nextBoolean();
        ObjectNode body = json().objectNode();
        body.set("filters", filters);
        body.set("groupByValues", array(groupBy));
        body.put("returnNegative", returnNegative);
        compareQuery(
                "/onhand/indexquery",
                IvsClient.json(body),
                model.query(products, List.of(new Filter(allowed)), groupBy, returnNegative));
    }

    private void exactQuery() {
        boolean withColor = random.nextBoolean();
        List<String> dimensionNames = new ArrayList<>(List.of("siteId", "locationId"));
        if (withColor) {
            dimensionNames.add("colorId");
        }
        Set<String> tuples = new TreeSet<>();
        int count = 1 + random.nextInt(3);
        ArrayNode values = json().arrayNode();
        List<Filter> filters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] warehouse = WAREHOUSES.get(random.nextInt(WAREHOUSES.size()));
            String color = COLORS.get(random.nextInt(COLORS.size()));
            String tuple = warehouse[0] + "/" + warehouse[1] + (withColor ? "/" + color : "");
            if (!tuples.add(tuple)) {
                continue;
            }
            ArrayNode value = values.addArray().add(warehouse[0]).add(warehouse[1]);
            Map<String, Set<String>> allowed = new TreeMap<>();
            allowed.put("siteid", Set.of(warehouse[0]));
            allowed.put("locationid", Set.of(warehouse[1]));
            if (withColor) {
                value.add(color);
                allowed.put("colorid", Set.of(color));
            }
            filters.add(new Filter(allowed));
        }
        Set<String> products = randomSubset(PRODUCTS, true);
        List<String> groupBy = random.nextBoolean() ? List.of("sizeid") : List.of();
        boolean returnNegative = random.nextBoolean();
        ObjectNode body = json().objectNode();
        ObjectNode filterNode = body.putObject("filters");
        filterNode.set("organizationId", json().arrayNode().add("usmf"));
        filterNode.set("productId", array(products));
        filterNode.set("dimensions", array(dimensionNames));
        filterNode.set("values", values);
        body.set("groupByValues", array(groupBy));
        body.put("returnNegative", returnNegative);
        List<String> grouping = new ArrayList<>(groupBy);
        if (withColor) {
            grouping.add(0, "colorid");
        }
        compareQuery(
                "/onhand/exactquery",
                IvsClient.json(body),
                model.query(products, filters, grouping, returnNegative));
    }

    /** Sends an earlier successful write again: the same answer, and nothing changes. */
    private void retry() {
        if (successes.isEmpty()) {
            return;
        }
        Sent sent = successes.get(random.nextInt(successes.size()));
        String description = "retry of " + sent.description();
        IvsClient.Response response = client.post(api(sent.path()), sent.body());
        record(description);
        check(
                IvsClient.parse(sent.answer()).equals(response.json()),
                description,
                sent.answer(),
                response.body());
        count("retry", 1);
    }

    /** Reuses the id of an earlier change with another quantity: 409 (spec A1), no change. */
    private void conflictingRetry() {
        List<Sent> singles =
                successes.stream().filter(s -> s.path().equals("/onhand")).toList();
        if (singles.isEmpty()) {
            return;
        }
        ObjectNode event = (ObjectNode)
                IvsClient.parse(singles.get(random.nextInt(singles.size())).body());
        ObjectNode quantities = (ObjectNode) event.get("quantities");
        String ds = quantities.propertyNames().iterator().next();
        ObjectNode measures = (ObjectNode) quantities.get(ds);
        String measure = measures.propertyNames().iterator().next();
        measures.put(measure, measures.get(measure).decimalValue().add(BigDecimal.ONE));
        String body = IvsClient.json(event);
        String description = "conflicting retry " + body;
        Answer expected = model.change(
                event.get("id").asString(),
                body,
                keyOf(event),
                Map.of(ds + "." + measure, BigDecimal.ONE));
        IvsClient.Response response = client.post(api("/onhand"), body);
        record(description);
        check(response.status() == expected.statusCode(), description, expected, response.body());
        count("change " + expected.statusCode(), 1);
    }

    /** Changes the formula of available-to-reserve, and adds or drops a calculated measure. */
    private void changeConfiguration() {
        ObjectNode document = configuration();
        ObjectNode systems = (ObjectNode) document.get("inventorySystemConfigurations");
        ArrayNode additions = (ArrayNode)
                systems.at("/iv/calculatedMeasures/availabletoreserve").get("additionModifiers");
        boolean hasErp = false;
        for (int i = 0; i < additions.size(); i++) {
            if (additions.get(i).asString().equalsIgnoreCase("erp.unrestricted")) {
                additions.remove(i);
                hasErp = true;
                break;
            }
        }
        if (!hasErp) {
            additions.add("erp.unrestricted");
        }
        ObjectNode posCalculated = (ObjectNode) systems.at("/pos/calculatedMeasures");
        if (posCalculated.has("simnet")) {
            posCalculated.remove("simnet");
        } else {
            ObjectNode simnet = posCalculated.putObject("simnet");
            simnet.putArray("additionModifiers").add("pos.inbound").add("erp.unrestricted");
            simnet.putArray("subtractionModifiers").add("pos.outbound").add("iv.softreserved");
        }
        String description = "configuration: erp.unrestricted " + (hasErp ? "out of" : "into")
                + " iv.availabletoreserve, pos.simnet "
                + (posCalculated.has("simnet") ? "added" : "dropped");
        IvsClient.Response response =
                client.post(api("/configuration/hardupdate"), IvsClient.json(document));
        record(description);
        check(response.status() == 200, description, 200, response.body());
        model.configure(document);
        count("configuration", 1);
    }

    // ---- comparisons ----------------------------------------------------------------------

    private void compareEverything() {
        ObjectNode body = json().objectNode();
        ObjectNode filters = body.putObject("filters");
        filters.set("organizationId", json().arrayNode().add("usmf"));
        filters.set("productId", json().arrayNode());
        filters.set("siteId", array(List.of("1", "2")));
        filters.set("locationId", array(List.of("11", "12", "21")));
        body.set("groupByValues", array(List.of("colorid", "sizeid")));
        body.put("returnNegative", true);
        Map<String, Map<String, BigDecimal>> expected = model.query(
                Set.of(), List.of(new Filter(Map.of())), List.of("colorid", "sizeid"), true);
        compareQuery("/onhand/indexquery", IvsClient.json(body), expected);
    }

    private void compareQuery(
            String path, String body, Map<String, Map<String, BigDecimal>> expected) {
        String description = "query " + path + " " + body;
        IvsClient.Response response = client.post(api(path), body);
        record(description);
        check(response.status() == 200, description, 200, response.body());
        Map<String, Map<String, BigDecimal>> actual = new TreeMap<>();
        for (JsonNode row : response.json()) {
            Map<String, String> dimensions = new TreeMap<>();
            for (Map.Entry<String, JsonNode> d : row.path("dimensions").properties()) {
                dimensions.put(ReferenceModel.lower(d.getKey()), d.getValue().asString());
            }
            Map<String, BigDecimal> quantities = new TreeMap<>();
            for (Map.Entry<String, JsonNode> ds : row.path("quantities").properties()) {
                for (Map.Entry<String, JsonNode> m : ds.getValue().properties()) {
                    quantities.put(
                            ReferenceModel.lower(ds.getKey() + "." + m.getKey()),
                            m.getValue().decimalValue());
                }
            }
            String key = ReferenceModel.rowKey(row.path("productId").asString(), dimensions);
            check(
                    actual.put(key, ReferenceModel.normalized(quantities)) == null,
                    description + " (one row per group)",
                    "distinct rows",
                    key);
        }
        Map<String, Map<String, BigDecimal>> wanted = new TreeMap<>();
        expected.forEach((k, v) -> wanted.put(k, ReferenceModel.normalized(v)));
        check(wanted.equals(actual), description, wanted, actual);
        count("query", 1);
        count("query rows", actual.size());
    }

    private void checkItems(IvsClient.Response response, List<Answer> expected, String what) {
        check(response.status() == 200, what, 200, response.body());
        JsonNode items = response.json();
        check(items.size() == expected.size(), what, expected, response.body());
        for (int i = 0; i < expected.size(); i++) {
            checkEnvelope(items.get(i), expected.get(i), what + " item " + i);
        }
    }

    private void count(String what, int n) {
        tally.merge(what, n, Integer::sum);
    }

    private void checkEnvelope(JsonNode envelope, Answer expected, String what) {
        boolean same = envelope.path("statusCode").asInt() == expected.statusCode()
                && envelope.path("processingStatus").asString().equals(expected.processingStatus());
        check(same, what, expected, envelope);
    }

    private void check(boolean ok, String what, Object expected, Object actual) {
        if (ok) {
            return;
        }
        throw new AssertionError(String.format(
                "simulation seed %d, operation %d: IVS and the reference model disagree%n"
                        + "  operation: %s%n  model: %s%n  IVS:   %s%n"
                        + "  last operations:%n    %s%n"
                        + "  replay: ./mvnw -B -pl ivs-server -am verify"
                        + " -Dtest=ReferenceModelReliabilityTest"
                        + " -Dsurefire.failIfNoSpecifiedTests=false -Divs.sim.seed=%d%n",
                seed,
                step,
                what,
                expected,
                actual,
                String.join(System.lineSeparator() + "    ", history),
                seed));
    }

    // ---- generators -----------------------------------------------------------------------

    private void record(String description) {
        history.addLast(step + ": "
                + (description.length() > 400 ? description.substring(0, 400) + "…" : description));
        while (history.size() > HISTORY_SHOWN) {
            history.removeFirst();
        }
    }

    private void remember(
            String path, String body, IvsClient.Response response, Answer expected, String what) {
        remember(path, body, response, List.of(expected), what);
    }

    private void remember(
            String path,
            String body,
            IvsClient.Response response,
            List<Answer> expected,
            String what) {
        if (expected.stream().allMatch(a -> a.statusCode() == 200)) {
            successes.add(new Sent(path, body, response.body(), what));
        }
    }

    private String nextId(String prefix) {
        return prefix + "-" + seed + "-" + ++ids;
    }

    /** Strictly increasing set times, and now and then a stale one (spec A5). */
    private Instant nextSetTime() {
        minutes += 1;
        if (random.nextInt(5) == 0 && minutes > 10) {
            return EPOCH.plus(Duration.ofMinutes(random.nextInt(minutes - 1)))
                    .plusSeconds(1 + step % 59);
        }
        return EPOCH.plus(Duration.ofMinutes(minutes));
    }

    private Key randomKey(boolean withSize) {
        String[] warehouse = WAREHOUSES.get(random.nextInt(WAREHOUSES.size()));
        TreeMap<String, String> dimensions = new TreeMap<>();
        dimensions.put("siteid", warehouse[0]);
        dimensions.put("locationid", warehouse[1]);
        dimensions.put("colorid", COLORS.get(random.nextInt(COLORS.size())));
        String size = withSize ? SIZES.get(random.nextInt(SIZES.size())) : "";
        if (!size.isEmpty()) {
            dimensions.put("sizeid", size);
        }
        return new Key(PRODUCTS.get(random.nextInt(PRODUCTS.size())), dimensions);
    }

    /** Reservations at colour or size level (the configured reservation dimensions). */
    private Key reservationKey() {
        Key key = randomKey(random.nextBoolean());
        if (random.nextInt(6) == 0) {
            key.dimensions().remove("colorid");
            key.dimensions().remove("sizeid");
        }
        return key;
    }

    private Map<String, BigDecimal> randomDeltas() {
        Map<String, BigDecimal> deltas = new TreeMap<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            deltas.put(WRITABLE.get(random.nextInt(WRITABLE.size())), quantity(-3, 20));
        }
        return deltas;
    }

    private BigDecimal quantity(int low, int high) {
        BigDecimal whole = BigDecimal.valueOf(low + random.nextInt(high - low + 1));
        return random.nextInt(4) == 0
                ? whole.add(BigDecimal.valueOf(random.nextInt(100), 2))
                : whole;
    }

    private Set<String> randomSubset(List<String> values, boolean mayBeEmpty) {
        Set<String> subset = new TreeSet<>();
        for (String value : values) {
            if (random.nextBoolean()) {
                subset.add(value);
            }
        }
        if (subset.isEmpty() && !mayBeEmpty) {
            subset.add(values.get(random.nextInt(values.size())));
        }
        return subset;
    }

    private List<String> randomGroupBy() {
        return switch (random.nextInt(4)) {
            case 0 -> List.of();
            case 1 -> List.of("colorid");
            case 2 -> List.of("sizeid");
            default -> List.of("colorid", "sizeid");
        };
    }

    private static ObjectNode event(String id, Key key, Map<String, BigDecimal> values) {
        ObjectNode event = json().objectNode();
        event.put("id", id).put("organizationId", "usmf").put("productId", key.product());
        event.set("dimensions", dimensions(key));
        ObjectNode quantities = event.putObject("quantities");
        values.forEach((qualified, quantity) -> {
            String[] parts = qualified.split("\\.", 2);
            ObjectNode ds = quantities.has(parts[0])
                    ? (ObjectNode) quantities.get(parts[0])
                    : quantities.putObject(parts[0]);
            ds.put(parts[1], quantity);
        });
        return event;
    }

    private static Key keyOf(JsonNode event) {
        TreeMap<String, String> dimensions = new TreeMap<>();
        event.path("dimensions")
                .properties()
                .forEach(e -> dimensions.put(
                        ReferenceModel.lower(e.getKey()), e.getValue().asString()));
        return new Key(event.path("productId").asString(), dimensions);
    }

    private static ObjectNode dimensions(Key key) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("siteid", "siteId");
        names.put("locationid", "locationId");
        names.put("colorid", "colorId");
        names.put("sizeid", "sizeId");
        ObjectNode node = json().objectNode();
        key.dimensions().forEach((k, v) -> node.put(names.getOrDefault(k, k), v));
        return node;
    }

    private static ArrayNode array(java.util.Collection<String> values) {
        ArrayNode array = json().arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static tools.jackson.databind.node.JsonNodeFactory json() {
        return tools.jackson.databind.node.JsonNodeFactory.instance;
    }
}
