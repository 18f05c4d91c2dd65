package io.ivs.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sizes and limits of a run. Quick mode checks that everything works in a couple of minutes;
 * full mode is what the numbers in docs/performance.md come from.
 */
record Options(
        String mode,
        Duration warmUp,
        Duration measure,
        Duration queryWarmUp,
        Duration queryMeasure,
        Duration jitWarmUp,
        int bulkClients,
        int singleClients,
        int reservationClients,
        int mixedClients,
        int queryClients,
        int hotProducts,
        int oversellStockPerProduct,
        Events.Space space,
        List<Integer> scaleRecords,
        Path serverJar,
        Path resultsDir,
        Path dataDir,
        boolean keepData,
        boolean jfr) {

    /** Events per bulk request: the API's maximum. */
    static final int BULK_SIZE = 512;

    /** IVS's default connection pool; the ceilings get as many connections, never more. */
    static final int POOL_SIZE = 20;

    /** Records per product in the scale scenario: 2 sites x 5 locations. */
    static final int RECORDS_PER_PRODUCT = 10;

    /**
     * Requests of every kind sent to a freshly started IVS before the first scenario (see {@link
     * WarmUp}); quick mode sends a few seconds' worth, only to check that it works.
     */
    static final Duration JIT_WARM_UP_FULL = Duration.ofSeconds(60);

    /** Bound on loading the scale scenario's records. */
    static final Duration SCALE_LOAD_MAX = Duration.ofMinutes(30);

    static Options quick(Path serverJar, Path resultsDir, Path dataDir, boolean keep, boolean jfr) {
        return new Options(
                "quick",
                Duration.ofSeconds(1),
                Duration.ofSeconds(3),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                4,
                16,
                32,
                16,
                8,
                4,
                100,
                new Events.Space(2_000, 4, 5, 4),
                List.of(10_000),
                serverJar,
                resultsDir,
                dataDir,
                keep,
                jfr);
    }

    static Options full(Path serverJar, Path resultsDir, Path dataDir, boolean keep, boolean jfr) {
        return new Options(
                "full",
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                JIT_WARM_UP_FULL,
                8,
                16,
                64,
                16,
                8,
                4,
                500,
                new Events.Space(20_000, 5, 10, 4),
                List.of(10_000, 100_000, 1_000_000),
                serverJar,
                resultsDir,
                dataDir,
                keep,
                jfr);
    }

    Load.Plan plan(int clients) {
        return new Load.Plan(clients, warmUp, measure, Long.MAX_VALUE);
    }

    Load.Plan queryPlan() {
        return new Load.Plan(queryClients, queryWarmUp, queryMeasure, Long.MAX_VALUE);
    }
}
