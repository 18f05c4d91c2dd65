package io.ivs.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mixed workload on the data the ingest scenarios left: 70% index queries of 10 products,
 * 20% single change events, 10% checked reservations spread over many products.
 */
final class MixedScenario {
    static final String SCENARIO = "mixed 70/20/10";
    static final int RESERVABLE_PRODUCTS = 100;
    static final int QUERY_PRODUCTS = 10;

    private final Options options;
    private final Target target;
    private final Report report;

    MixedScenario(Options options, Target target, Report report) {
        this.options = options;
        this.target = target;
        this.report = report;
    }

    private enum Kind {
        QUERY,
        CHANGE,
        RESERVE
    }

    void run() throws Exception {
        List<String> reservable = ReservationScenarios.names("M", RESERVABLE_PRODUCTS);
        List<Events.Event> stock = new ArrayList<>();
        reservable.forEach(p ->
                stock.add(ReservationScenarios.stock(p, ReservationScenarios.STOCK_UNLIMITED)));
        target.postAll(stock);
        Events.Space space = options.space();
        Histogram[] byKind = new Histogram[Kind.values().length];
        long[][] counts = new long[Kind.values().length][3];
        for (int k = 0; k < byKind.length; k++) {
            byKind[k] = new ConcurrentHistogram(Load.LATENCY_MICROS_MAX, 3);
        }
        AtomicLong changes = new AtomicLong();
        int clients = options.mixedClients();
        long measureStart = System.nanoTime() + options.warmUp().toNanos();
        Load.Measured all = Load.run(options.plan(clients), (worker, sequence) -> {
            SplittableRandom random = new SplittableRandom(worker * 7_000_003L + sequence);
            int draw = random.nextInt(100);
            Kind kind = draw < 70 ? Kind.QUERY : draw < 90 ? Kind.CHANGE : Kind.RESERVE;
            long begin = System.nanoTime();
            Outcome outcome = switch (kind) {
                case QUERY -> query(random, space);
                case CHANGE -> change(changes.getAndIncrement(), space);
                case RESERVE ->
                    ReservationScenarios.reserveOutcome(target.http.post(
                            Target.ENVIRONMENT,
                            Target.api("/onhand/reserve"),
                            ReservationScenarios.reserveBody(
                                    "mix-" + worker + "-" + sequence,
                                    reservable.get(random.nextInt(RESERVABLE_PRODUCTS)))));
            };
            if (begin >= measureStart) {
                byKind[kind.ordinal()].recordValue(
                        Math.min((System.nanoTime() - begin) / 1_000, Load.LATENCY_MICROS_MAX));
                synchronized (counts) {
                    counts[kind.ordinal()][outcome.ordinal()]++;
                }
            }
            return outcome;
        });
        report.add(Row.of(SCENARIO, Row.IVS, clients, 1, all, "all operations"));
        for (Kind kind : Kind.values()) {
            long[] c = counts[kind.ordinal()];
            Load.Measured part =
                    new Load.Measured(c[0], c[1], c[2], all.seconds(), byKind[kind.ordinal()]);
            report.add(Row.of(
                    SCENARIO + ": " + kind.name().toLowerCase(java.util.Locale.ROOT),
                    Row.IVS,
                    clients,
                    1,
                    part,
                    kind == Kind.QUERY ? QUERY_PRODUCTS + " products per query" : ""));
        }
    }

    private Outcome query(SplittableRandom random, Events.Space space) throws Exception {
        List<String> products = new ArrayList<>(QUERY_PRODUCTS);
        for (int i = 0; i < QUERY_PRODUCTS; i++) {
            products.add(Events.product(random.nextInt(space.products())));
        }
        Http.Response response = target.http.post(
                Target.ENVIRONMENT,
                Target.api("/onhand/indexquery"),
                Target.queryBody(products, List.of()));
        return response.statusCode() == 200 ? Outcome.OK : Outcome.ERROR;
    }

    private Outcome change(long n, Events.Space space) throws Exception {
        Events.Event event = Events.randomBatch("mixed", n, 1, space).get(0);
        Http.Response response =
                target.http.post(Target.ENVIRONMENT, Target.api("/onhand"), Events.json(event));
        return response.statusCode() == 200 ? Outcome.OK : Outcome.ERROR;
    }
}
