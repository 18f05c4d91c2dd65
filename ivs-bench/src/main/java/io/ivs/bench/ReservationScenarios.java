package io.ivs.bench;

import io.ivs.core.onhand.ResolvedChange;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Checked soft reservations contended on a few hot products: throughput on IVS and on the
 * same-work ceiling, then an exhaustion run that counts oversells (successful reservations
 * beyond the stock), which must be zero.
 */
final class ReservationScenarios {
    static final String SCENARIO = "checked reservations, contended";
    static final BigDecimal STOCK_UNLIMITED = new BigDecimal("1000000000");
    /** Bound on the exhaustion run; it normally ends much earlier, when demand is spent. */
    static final Duration EXHAUSTION_MAX = Duration.ofMinutes(5);

    private final Options options;
    private final Target target;
    private final Report report;
    private final SameWorkCeiling sameWork = new SameWorkCeiling();
    private final ReservationCeiling ceiling = new ReservationCeiling(sameWork);

    ReservationScenarios(Options options, Target target, Report report) {
        this.options = options;
        this.target = target;
        this.report = report;
    }

    static Events.Event stock(String product, BigDecimal quantity) {
        return new Events.Event(
                "stock-" + product, product, "S0", "L0", "C0", quantity.intValueExact());
    }

    static byte[] reserveBody(String eventId, String product) {
        return ("{\"id\":\"" + eventId + "\",\"organizationId\":\"" + Events.ORGANIZATION
                        + "\",\"productId\":\"" + product
                        + "\",\"dimensions\":{\"siteId\":\"S0\",\"locationId\":\"L0\","
                        + "\"colorId\":\"C0\"},\"quantityDataSource\":\"iv\","
                        + "\"modifier\":\"softreserved\",\"quantity\":1,"
                        + "\"ifCheckAvailForReserv\":true}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** 200 is a reservation; a refusal names the shortage; anything else is an error. */
    static Outcome reserveOutcome(Http.Response response) {
        if (response.statusCode() == 200) {
            return Outcome.OK;
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        return body.contains("insufficient") ? Outcome.REJECTED : Outcome.ERROR;
    }

    void run() throws Exception {
        int hot = options.hotProducts();
        List<String> products = names("H", hot);
        List<Events.Event> stock = new ArrayList<>();
        products.forEach(p -> stock.add(stock(p, STOCK_UNLIMITED)));
        target.postAll(stock);
        Connection setup = target.connect(SameWorkCeiling.SCHEMA);
        sameWork.apply(setup, Target.ENVIRONMENT, WriteScenarios.resolve(stock));

        int clients = options.reservationClients();
        AtomicLongArray reserved = new AtomicLongArray(hot);
        Load.Measured ivs = Load.run(options.plan(clients), (worker, sequence) -> {
            int p = new SplittableRandom(worker * 1_000_003L + sequence).nextInt(hot);
            Http.Response response = target.http.post(
                    Target.ENVIRONMENT,
                    Target.api("/onhand/reserve"),
                    reserveBody("res-" + worker + "-" + sequence, products.get(p)));
            Outcome outcome = reserveOutcome(response);
            if (outcome == Outcome.OK) {
                reserved.incrementAndGet(p);
            }
            return outcome;
        });
        Row ivsRow = Row.of(SCENARIO, Row.IVS, clients, 1, ivs, hot + " hot products");
        report.add(ivsRow);
        verifyHeld(products, reserved, STOCK_UNLIMITED, "throughput run");

        int connections = Math.min(clients, Options.POOL_SIZE);
        List<Connection> cons = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            cons.add(target.connect(SameWorkCeiling.SCHEMA));
        }
        List<ResolvedChange> at = WriteScenarios.resolve(stock);
        Load.Measured same = Load.run(options.plan(connections), (worker, sequence) -> {
            int p = new SplittableRandom(worker * 1_000_003L + sequence).nextInt(hot);
            return ceiling.reserve(
                    cons.get(worker),
                    Target.ENVIRONMENT,
                    "res-" + worker + "-" + sequence,
                    at.get(p),
                    BigDecimal.ONE);
        });
        Row sameRow = Row.of(SCENARIO, Row.SAME_WORK, connections, 1, same, hot + " hot products");
        report.add(sameRow);
        report.ratio(new Report.Ratio(
                SCENARIO,
                Row.SAME_WORK,
                ivsRow.itemsPerSecond(),
                sameRow.itemsPerSecond(),
                "reservations/s"));
        long oversold = exhaust();
        report.target(new Report.Target(
                "contended checked reservations >= 4,000/s with zero oversell",
                Stats.number(ivsRow.requestsPerSecond()) + " reservations/s, " + oversold
                        + " oversold",
                ivsRow.requestsPerSecond() >= 4_000 && oversold == 0 ? "met" : "NOT met"));
    }

    /**
     * Asks for twice the stock of each product and checks what was granted against what IVS
     * holds: grants never exceed stock, and the reserved measure equals the grants.
     */
    private long exhaust() throws Exception {
        int hot = options.hotProducts();
        int stockEach = options.oversellStockPerProduct();
        List<String> products = names("X", hot);
        List<Events.Event> stock = new ArrayList<>();
        products.forEach(p -> stock.add(stock(p, BigDecimal.valueOf(stockEach))));
        target.postAll(stock);
        int clients = options.reservationClients();
        long demand = 2L * stockEach * hot;
        long perWorker = (demand + clients - 1) / clients;
        AtomicLongArray granted = new AtomicLongArray(hot);
        Load.Measured run = Load.run(
                new Load.Plan(clients, Duration.ZERO, EXHAUSTION_MAX, perWorker),
                (worker, sequence) -> {
                    int p = (int) ((worker + sequence) % hot);
                    Http.Response response = target.http.post(
                            Target.ENVIRONMENT,
                            Target.api("/onhand/reserve"),
                            reserveBody("x-" + worker + "-" + sequence, products.get(p)));
                    Outcome outcome = reserveOutcome(response);
                    if (outcome == Outcome.OK) {
                        granted.incrementAndGet(p);
                    }
                    return outcome;
                });
        report.add(Row.of(
                SCENARIO + ", exhaustion",
                Row.IVS,
                clients,
                1,
                run,
                hot + " products x " + stockEach + " in stock, demand " + demand));
        long oversold = 0;
        long total = 0;
        for (int p = 0; p < hot; p++) {
            oversold += Math.max(0, granted.get(p) - stockEach);
            total += granted.get(p);
        }
        oversold += verifyHeld(products, granted, BigDecimal.valueOf(stockEach), "exhaustion run");
        report.check("exhaustion run: " + total + " reservations granted for a stock of "
                + (long) stockEach * hot + " (demand " + demand + "); oversold: " + oversold);
        return oversold;
    }

    /**
     * Compares IVS's own numbers with what the clients were told: reserved equals the grants and
     * available-to-reserve equals stock minus grants, never below zero. Answers the units by
     * which IVS holds more than it has.
     */
    private long verifyHeld(
            List<String> products, AtomicLongArray granted, BigDecimal stock, String run)
            throws Exception {
        JsonNode rows = target.indexQuery(products, List.of());
        long oversold = 0;
        int matching = 0;
        for (JsonNode row : rows) {
            int p = products.indexOf(row.get("productId").asString());
            JsonNode iv = row.get("quantities").get("iv");
            BigDecimal held = decimal(iv, "softreserved");
            BigDecimal available = decimal(iv, "availabletoreserve");
            BigDecimal expected = stock.subtract(BigDecimal.valueOf(granted.get(p)));
            if (held.compareTo(BigDecimal.valueOf(granted.get(p))) == 0
                    && available.compareTo(expected) == 0) {
                matching++;
            } else {
                report.check(run + ": MISMATCH for " + products.get(p) + ": granted "
                        + granted.get(p) + ", IVS holds " + held + ", available " + available);
            }
            if (available.signum() < 0) {
                oversold += available.negate().longValue();
            }
        }
        report.check(run + ": " + matching + " of " + products.size()
                + " products hold exactly what was granted");
        return oversold;
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null ? BigDecimal.ZERO : value.decimalValue();
    }

    static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }
}
