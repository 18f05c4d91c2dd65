package io.ivs.bench;

import org.HdrHistogram.Histogram;

/**
 * One measured line of the report: a scenario run on IVS or on a ceiling.
 *
 * @param itemsPerRequest events, products or reservations per request, for items per second
 */
record Row(
        String scenario,
        String system,
        int clients,
        int itemsPerRequest,
        double requestsPerSecond,
        double itemsPerSecond,
        double p50Millis,
        double p99Millis,
        double p999Millis,
        long requests,
        long rejected,
        long errors,
        String note) {

    static final String IVS = "IVS";
    static final String IVS_LIMITS_OFF = "IVS, sign-in limits off";
    static final String SAME_WORK = "ceiling: same work";
    static final String REFERENCE = "ceiling: reference schema";
    static final String THREE_STATEMENTS = "ceiling: 3-statement transaction (IVS before)";

    static Row of(
            String scenario,
            String system,
            int clients,
            int itemsPerRequest,
            Load.Measured measured,
            String note) {
        Histogram h = measured.latencyMicros();
        double rps = measured.operationsPerSecond();
        return new Row(
                scenario,
                system,
                clients,
                itemsPerRequest,
                rps,
                rps * itemsPerRequest,
                millis(h, 50),
                millis(h, 99),
                millis(h, 99.9),
                measured.operations(),
                measured.rejected(),
                measured.errors(),
                note);
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    Row withNote(String text) {
        return new Row(
                scenario,
                system,
                clients,
                itemsPerRequest,
                requestsPerSecond,
                itemsPerSecond,
                p50Millis,
                p99Millis,
                p999Millis,
                requests,
                rejected,
                errors,
                text);
    }
}
