package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;

import io.ivs.server.IvsApplication;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.Race;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

/**
 * Checked reservations racing for the last units through two IVS instances on one database
 * (spec A10): the check-and-reserve is atomic across instances, so exactly the stock is reserved,
 * available-to-reserve never goes negative, and bulk requests over several products in different
 * orders neither deadlock nor fail spuriously.
 */
class ReservationConcurrencyIntegrationTest extends ReservationTestSupport {
    private static final long TIMEOUT_SECONDS = 180;
    private static final long SEED = 20_261_123L;
    private static final Map<String, Object> RED = level("Red", null);

    private static ConfigurableApplicationContext second;
    private static int secondPort;

    @Autowired
    private DataSource dataSource;

    /** The second instance: same database as the test's own instance, external mode. */
    @BeforeEach
    void startSecondInstance() {
        if (second != null) {
            return;
        }
        HikariDataSource hikari = (HikariDataSource) dataSource;
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--ivs.database.url=" + hikari.getJdbcUrl(),
                "--ivs.database.user=" + hikari.getUsername(),
                "--ivs.data-dir=" + System.getProperty("java.io.tmpdir") + "/ivs-second"));
        if (hikari.getPassword() != null) {
            args.add("--ivs.database.password=" + hikari.getPassword());
        }
        second =
                new SpringApplicationBuilder(IvsApplication.class).run(args.toArray(String[]::new));
        secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
        assertThat(secondPort).isNotEqualTo(port);
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    @Test
    void reserve_200ConcurrentForTenUnitsThroughTwoInstances_exactlyTenSucceed() throws Exception {
        configureAfr();
        stock("s-1", "LAST", RED, "erp", "unrestricted", 10);
        IvsClient first = client;
        IvsClient other = new IvsClient(secondPort);
        // The configuration and stock written through the first are seen by the second.
        assertThat(at(other, "LAST", RED).get("iv.availabletoreserve")).isEqualTo("10");

        List<Callable<IvsClient.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            IvsClient via = i % 2 == 0 ? first : other;
            Map<String, Object> body = reserveBody("c-" + i, "LAST", RED, 1, true);
            tasks.add(() -> reserve(via, body));
        }
        // A watcher reads AFR through the second instance while the race runs.
        AtomicBoolean racing = new AtomicBoolean(true);
        Queue<BigDecimal> seen = new ConcurrentLinkedQueue<>();
        Thread watcher = Thread.ofPlatform().start(() -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (racing.get() && System.nanoTime() < until) {
                seen.add(new BigDecimal(at(other, "LAST", RED).get("iv.availabletoreserve")));
            }
        });
        List<IvsClient.Response> responses;
        try {
            responses = Race.run(tasks);
        } finally {
            racing.set(false);
            watcher.join(TimeUnit.SECONDS.toMillis(60));
        }

        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> reservationIds = new ArrayList<>();
        for (IvsClient.Response response : responses) {
            JsonNode body = response.json();
            int statusCode = body.path("statusCode").asInt();
            String outcome = response.status() + "/" + statusCode + "/"
                    + body.path("processingStatus").asString();
            if (statusCode == 500) {
                assertThat(body.path("message").asString())
                        .as(response.body())
                        .contains(INSUFFICIENT);
            }
            outcomes.merge(outcome, 1, Integer::sum);
            reservationIds.add(body.path("reservationId").asString());
        }
        assertThat(outcomes).isEqualTo(Map.of("200/200/success", 10, "500/500/failure", 190));
        assertThat(reservationIds).containsOnly(reservationIds.get(0));
        assertThat(seen)
                .as("AFR readings during the race")
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v).isBetween(BigDecimal.ZERO, BigDecimal.TEN));
        for (IvsClient via : List.of(first, other)) {
            assertThat(at(via, "LAST", RED))
                    .containsEntry("iv.availabletoreserve", "0")
                    .containsEntry("iv.softreservphysical", "10")
                    .containsEntry("erp.unrestricted", "10");
        }
        assertThat(held("?productId=LAST")).isEqualTo(Map.of(reservationIds.get(0), "10"));
    }

    @Test
    void reserve_sameEventRetriedConcurrentlyThroughTwoInstances_appliedOnce() throws Exception {
        configureAfr();
        stock("s-1", "ONCE", RED, "erp", "unrestricted", 10);
        IvsClient other = new IvsClient(secondPort);
        Map<String, Object> body = reserveBody("same-event", "ONCE", RED, 3, true);
        List<Callable<IvsClient.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            IvsClient via = i % 2 == 0 ? client : other;
            tasks.add(() -> reserve(via, body));
        }

        List<IvsClient.Response> responses = Race.run(tasks);

        JsonNode first = responses.get(0).json();
        assertThat(first.path("statusCode").asInt()).as(first.toString()).isEqualTo(200);
        for (IvsClient.Response response : responses) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json()).isEqualTo(first);
        }
        assertThat(at("ONCE", RED))
                .containsEntry("iv.softreservphysical", "3")
                .containsEntry("iv.availabletoreserve", "7");
    }

    @Test
    void unreserve_40ConcurrentOfOneOnTenHeldThroughTwoInstances_releasesExactlyTen()
            throws Exception {
        configureAfr();
        stock("s-1", "FREE", RED, "erp", "unrestricted", 10);
        String reservationId = reserveOk(reserveBody("hold", "FREE", RED, 10, true));
        IvsClient other = new IvsClient(secondPort);
        List<Callable<IvsClient.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            IvsClient via = i % 2 == 0 ? client : other;
            String body = IvsClient.json(unreserveBody("u-" + i, "FREE", RED, reservationId, 1));
            tasks.add(() -> via.post(api("/onhand/unreserve"), body));
        }

        List<IvsClient.Response> responses = Race.run(tasks);

        Map<String, Integer> outcomes = new TreeMap<>();
        for (IvsClient.Response response : responses) {
            JsonNode body = response.json();
            outcomes.merge(
                    response.status() + "/" + body.path("processingStatus").asString() + "/"
                            + body.path("totalInvalidOffsetQtyByReservId").asString(),
                    1,
                    Integer::sum);
        }
        assertThat(outcomes).isEqualTo(Map.of("200/success/0", 10, "200/partialSuccess/1", 30));
        assertThat(at(other, "FREE", RED))
                .containsEntry("iv.softreservphysical", "0")
                .containsEntry("iv.availabletoreserve", "10");
        assertThat(held("?reservationId=" + reservationId)).isEqualTo(Map.of(reservationId, "0"));
    }

    @Test
    void reserveBulk_racingOnHandChangesOnTheSameRecords_noDeadlockAndExactSums() throws Exception {
        int products = 3;
        configureAfr();
        List<Map<String, Object>> initial = new ArrayList<>();
        for (int p = 0; p < products; p++) {
            initial.add(event("s-" + p, ORG, "M" + p, RED, "erp", "unrestricted", 10));
        }
        postAll(initial);
        IvsClient other = new IvsClient(secondPort);
        Random random = new Random(SEED + 1);
        List<Callable<List<String>>> tasks = new ArrayList<>();
        Map<String, Integer> restocked = new TreeMap<>();
        Map<String, Integer> directlyReserved = new TreeMap<>();
        Queue<int[]> reservedQuantities = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < 6; t++) {
            IvsClient via = t % 3 == 0 ? client : other;
            boolean writer = t % 2 == 1;
            List<String> bodies = new ArrayList<>();
            List<List<int[]>> sent = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                List<Map<String, Object>> items = new ArrayList<>();
                List<int[]> what = new ArrayList<>();
                List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
                Collections.shuffle(order, random);
                for (int p : order) {
                    String id = "t" + t + "-r" + r + "-p" + p;
                    if (writer) {
                        // +2 stock and +1 held by an on-hand change: the same record and the
                        // same iv.softreservphysical row that reservations write.
                        Map<String, Object> event =
                                event(id, ORG, "M" + p, RED, "erp", "unrestricted", 2);
                        event.put(
                                "quantities",
                                IvsClient.map(
                                        "erp", IvsClient.map("unrestricted", 2),
                                        "iv", IvsClient.map("softreservphysical", 1)));
                        items.add(event);
                        restocked.merge("M" + p, 2, Integer::sum);
                        directlyReserved.merge("M" + p, 1, Integer::sum);
                    } else {
                        int quantity = 1 + random.nextInt(2);
                        items.add(reserveBody(id, "M" + p, RED, quantity, true));
                        what.add(new int[] {p, quantity});
                    }
                }
                bodies.add(IvsClient.json(items));
                sent.add(what);
            }
            String path = api(writer ? "/onhand/bulk" : "/onhand/reserve/bulk");
            tasks.add(() -> {
                List<String> problems = new ArrayList<>();
                for (int r = 0; r < bodies.size(); r++) {
                    IvsClient.Response response = via.post(path, bodies.get(r));
                    if (response.status() != 200) {
                        problems.add("HTTP " + response.status() + " " + response.body());
                        continue;
                    }
                    JsonNode answers = response.json();
                    for (int i = 0; i < answers.size(); i++) {
                        JsonNode answer = answers.get(i);
                        int status = answer.path("statusCode").asInt();
                        if (status == 200) {
                            if (!writer) {
                                reservedQuantities.add(sent.get(r).get(i));
                            }
                        } else if (writer
                                || status != 500
                                || !answer.path("message").asString().contains(INSUFFICIENT)) {
                            problems.add(answer.toString());
                        }
                    }
                }
                return problems;
            });
        }

        List<List<String>> results = Race.run(tasks);

        assertThat(results.stream().flatMap(List::stream).toList())
                .as("seed %d", SEED + 1)
                .isEmpty();
        int[] reserved = new int[products];
        for (int[] item : reservedQuantities) {
            reserved[item[0]] += item[1];
        }
        for (int p = 0; p < products; p++) {
            String product = "M" + p;
            int stock = 10 + restocked.getOrDefault(product, 0);
            int held = reserved[p] + directlyReserved.getOrDefault(product, 0);
            assertThat(reserved[p]).as(product).isPositive();
            assertThat(at(other, product, RED))
                    .as(product)
                    .containsEntry("erp.unrestricted", String.valueOf(stock))
                    .containsEntry("iv.softreservphysical", String.valueOf(held))
                    .containsEntry("iv.availabletoreserve", String.valueOf(stock - held));
            assertThat(stock - held).as(product).isNotNegative();
            assertThat(held("?productId=" + product).values())
                    .as(product)
                    .containsExactly(String.valueOf(reserved[p]));
        }
    }

    /**
     * One bulk item as sent. Each product is reserved at one level only, so that its
     * reservations all see each other (§2.14 e: a coarser reservation is not seen at a finer
     * level): even products at color level (1, 11, Red), odd ones at warehouse level (1, 11).
     */
    private record Item(String id, String product, int quantity) {
        Map<String, Object> body() {
            return reserveBody(id, product, dims(product), quantity, true);
        }

        static Map<String, Object> dims(String product) {
            boolean even = (product.charAt(product.length() - 1) - '0') % 2 == 0;
            return even ? level("Red", null) : level(null, null);
        }

        /** What the level holds: Red S 20 + Red L 20, plus Blue 10 at warehouse level. */
        static int stock(String product) {
            return dims(product).containsKey("colorId") ? 40 : 50;
        }
    }

    /** An item answer, or a description of a wrong one. */
    private record Outcome(Item item, boolean reserved, String problem) {}

    private List<Outcome> postBulk(IvsClient via, List<Item> request) {
        String body = IvsClient.json(request.stream().map(Item::body).toList());
        IvsClient.Response response = via.post(api("/onhand/reserve/bulk"), body);
        List<Outcome> outcomes = new ArrayList<>();
        if (response.status() != 200 || response.json().size() != request.size()) {
            outcomes.add(new Outcome(null, false, "HTTP " + response.status() + " " + body));
            return outcomes;
        }
        for (int i = 0; i < request.size(); i++) {
            Item item = request.get(i);
            JsonNode answer = response.json().get(i);
            int status = answer.path("statusCode").asInt();
            boolean ok = status == 200
                    && answer.path("processingStatus").asString().equals("success")
                    && answer.path("id").asString().equals("ohre~" + item.id());
            boolean insufficient =
                    status == 500 && answer.path("message").asString().contains(INSUFFICIENT);
            outcomes.add(new Outcome(
                    item, ok, ok || insufficient ? null : item.id() + " answered " + answer));
        }
        return outcomes;
    }

    @Test
    void reserveBulk_productsInShuffledOrdersThroughTwoInstances_neverOversellsOrDeadlocks()
            throws Exception {
        int products = 5;
        int threads = 6;
        int requestsPerThread = 8;
        configureAfr();
        List<Map<String, Object>> stock = new ArrayList<>();
        for (int p = 0; p < products; p++) {
            String product = "B" + p;
            stock.add(event(
                    "s-" + p + "-S", ORG, product, level("Red", "S"), "erp", "unrestricted", 20));
            stock.add(event(
                    "s-" + p + "-L", ORG, product, level("Red", "L"), "erp", "unrestricted", 20));
            stock.add(event(
                    "s-" + p + "-B", ORG, product, level("Blue", null), "erp", "unrestricted", 10));
        }
        postAll(stock);
        IvsClient other = new IvsClient(secondPort);
        Random random = new Random(SEED);
        List<Callable<List<Outcome>>> tasks = new ArrayList<>();
        int demanded = 0;
        for (int t = 0; t < threads; t++) {
            IvsClient via = t % 2 == 0 ? client : other;
            List<List<Item>> requests = new ArrayList<>();
            for (int r = 0; r < requestsPerThread; r++) {
                // Two items per product (the second sees the first), in a shuffled order.
                List<Item> request = new ArrayList<>();
                for (int p = 0; p < products; p++) {
                    for (int k = 0; k < 2; k++) {
                        int quantity = 1 + random.nextInt(3);
                        demanded += quantity;
                        request.add(new Item(
                                "t" + t + "-r" + r + "-p" + p + "-" + k, "B" + p, quantity));
                    }
                }
                Collections.shuffle(request, random);
                requests.add(request);
            }
            tasks.add(() -> {
                List<Outcome> all = new ArrayList<>();
                for (List<Item> request : requests) {
                    all.addAll(postBulk(via, request));
                }
                return all;
            });
        }
        assertThat(demanded).as("demand well above the stock of 5 products").isGreaterThan(400);

        List<List<Outcome>> results = Race.run(tasks);

        List<String> problems = new ArrayList<>();
        Map<String, Integer> reservedByProduct = new TreeMap<>();
        List<Item> rejected = new ArrayList<>();
        for (List<Outcome> outcomes : results) {
            for (Outcome outcome : outcomes) {
                if (outcome.problem() != null) {
                    problems.add(outcome.problem());
                } else if (outcome.reserved()) {
                    Item item = outcome.item();
                    reservedByProduct.merge(item.product(), item.quantity(), Integer::sum);
                } else {
                    rejected.add(outcome.item());
                }
            }
        }
        assertThat(problems).as("seed %d", SEED).isEmpty();
        Map<String, BigDecimal> finalAfr = new TreeMap<>();
        for (int p = 0; p < products; p++) {
            String product = "B" + p;
            int total = reservedByProduct.getOrDefault(product, 0);
            int stocked = Item.stock(product);
            for (IvsClient via : List.of(client, other)) {
                Map<String, String> row = at(via, product, Item.dims(product));
                assertThat(row.get("iv.softreservphysical"))
                        .as(product)
                        .isEqualTo(String.valueOf(total));
                assertThat(row.get("iv.availabletoreserve"))
                        .as(product)
                        .isEqualTo(String.valueOf(stocked - total));
                finalAfr.put(product, new BigDecimal(row.get("iv.availabletoreserve")));
            }
            assertThat(total).as(product).isPositive().isLessThanOrEqualTo(stocked);
            assertThat(held("?productId=" + product).values())
                    .as(product)
                    .containsExactly(String.valueOf(total));
        }
        // Demand exceeds stock everywhere, and AFR only fell during the run: an item rejected
        // for want of stock must still not fit at the end (no spurious rejection).
        assertThat(rejected).isNotEmpty();
        for (Item item : rejected) {
            assertThat(finalAfr.get(item.product()))
                    .as("rejected %s", item)
                    .isLessThan(BigDecimal.valueOf(item.quantity()));
        }
    }
}
