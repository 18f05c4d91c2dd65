package io.ivs.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends IVS every kind of request the scenarios will send, before any is measured, so that what
 * is measured is the server after its JIT compiler has compiled the request paths. On the 2-core
 * machines this project runs on, compiling IVS's paths keeps a core busy for about a minute after
 * start: measured with {@code wrk}, single change events went from 760 to 1,740 per second
 * between the first and the second minute of load, with the C2 compiler thread's CPU falling
 * from 45 % to 5 % of a core (docs/performance.md). Every scenario still has its own warm-up.
 *
 * <p>The writes go to products of their own ({@code W…}), never read by a scenario; queries
 * read those products. For the scale part, which must hold exactly the records it names, the
 * warm-up only queries.
 */
final class WarmUp {
    static final String PRODUCT_PREFIX = "W";
    static final int PRODUCTS = 200;
    private static final int BULK_EVENTS = 64;
    private static final int CLIENTS = 8;
    private static final AtomicInteger FAILURES_SHOWN = new AtomicInteger();

    private WarmUp() {}

    /** Writes, reservations and queries for {@code duration}; answers how many requests ran. */
    static long everything(Target target, Duration duration) throws Exception {
        if (duration.isZero()) {
            return 0;
        }
        List<Events.Event> stock = new ArrayList<>();
        for (int p = 0; p < PRODUCTS; p++) {
            stock.add(ReservationScenarios.stock(
                    PRODUCT_PREFIX + p, ReservationScenarios.STOCK_UNLIMITED));
        }
        target.postAll(stock);
        return run(duration, (worker, sequence) -> {
            SplittableRandom random = new SplittableRandom(worker * 1_000_003L + sequence);
            return switch ((int) (sequence % 10)) {
                case 0, 1 -> bulk(target, worker, sequence, random);
                case 2, 3, 4 -> single(target, worker, sequence, random);
                case 5, 6 -> reserve(target, worker, sequence, random);
                default -> query(target, random);
            };
        });
    }

    /** Queries only, of the products {@code P0 .. P(products-1)}, for {@code duration}. */
    static long queries(Target target, Duration duration, int products) throws Exception {
        if (duration.isZero()) {
            return 0;
        }
        return run(duration, (worker, sequence) -> {
            SplittableRandom random = new SplittableRandom(worker * 1_000_003L + sequence);
            int count = random.nextInt(3) == 0 ? 100 : 1 + random.nextInt(10);
            List<String> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(Events.product(random.nextInt(products)));
            }
            return query(target, ids, random);
        });
    }

    private static long run(Duration duration, Load.Operation operation) {
        System.out.println("bench: warming IVS up for " + duration.toSeconds() + " s");
        Load.Measured measured = Load.run(
                new Load.Plan(CLIENTS, Duration.ZERO, duration, Long.MAX_VALUE), operation);
        if (measured.errors() > 0) {
            throw new IllegalStateException(measured.errors() + " of " + measured.operations()
                    + " warm-up requests failed");
        }
        return measured.operations();
    }

    private static Events.Event event(String id, SplittableRandom random) {
        return new Events.Event(
                id,
                PRODUCT_PREFIX + random.nextInt(PRODUCTS),
                "S" + random.nextInt(5),
                "L" + random.nextInt(10),
                "C" + random.nextInt(4),
                1 + random.nextInt(10));
    }

    private static Outcome bulk(Target target, int worker, long sequence, SplittableRandom random)
            throws Exception {
        List<Events.Event> events = new ArrayList<>(BULK_EVENTS);
        for (int i = 0; i < BULK_EVENTS; i++) {
            events.add(event("warm-" + worker + "-" + sequence + "-" + i, random));
        }
        Http.Response response = target.http.post(
                Target.ENVIRONMENT, Target.api("/onhand/bulk"), Events.json(events));
        return shown("bulk", response, Target.allAccepted(response, BULK_EVENTS));
    }

    private static Outcome single(Target target, int worker, long sequence, SplittableRandom random)
            throws Exception {
        Http.Response response = target.http.post(
                Target.ENVIRONMENT,
                Target.api("/onhand"),
                Events.json(event("warm-" + worker + "-" + sequence, random)));
        return shown("single event", response, response.statusCode() == 200);
    }

    private static Outcome reserve(
            Target target, int worker, long sequence, SplittableRandom random) throws Exception {
        Http.Response response = target.http.post(
                Target.ENVIRONMENT,
                Target.api("/onhand/reserve"),
                ReservationScenarios.reserveBody(
                        "warm-res-" + worker + "-" + sequence,
                        PRODUCT_PREFIX + random.nextInt(PRODUCTS)));
        Outcome outcome = ReservationScenarios.reserveOutcome(response);
        return outcome == Outcome.ERROR ? shown("reservation", response, false) : outcome;
    }

    private static Outcome query(Target target, SplittableRandom random) throws Exception {
        int count = random.nextBoolean() ? 1 : 10;
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(PRODUCT_PREFIX + random.nextInt(PRODUCTS));
        }
        return query(target, ids, random);
    }

    /** An index query of {@code ids}, grouped by colour or not. */
    private static Outcome query(Target target, List<String> ids, SplittableRandom random)
            throws Exception {
        List<String> groupBy = random.nextBoolean() ? ScaleScenarios.GROUP_BY : List.of();
        Http.Response response = target.http.post(
                Target.ENVIRONMENT,
                Target.api("/onhand/indexquery"),
                Target.queryBody(ids, groupBy));
        return shown("query", response, response.statusCode() == 200);
    }

    /** OK or ERROR; the first few failures are printed, so that a failed warm-up says why. */
    private static Outcome shown(String kind, Http.Response response, boolean ok) {
        if (ok) {
            return Outcome.OK;
        }
        if (FAILURES_SHOWN.getAndIncrement() < 5) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            System.err.println("bench: warm-up " + kind + " failed: HTTP " + response.statusCode()
                    + " " + body.substring(0, Math.min(body.length(), 600)));
        }
        return Outcome.ERROR;
    }
}
