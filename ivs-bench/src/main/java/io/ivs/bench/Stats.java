package io.ivs.bench;

import java.util.Locale;

/** Small number helpers for the report. */
final class Stats {
    private Stats() {}

    /** {@code value / ceiling}, or NaN when the ceiling measured nothing. */
    static double ratio(double value, double ceiling) {
        if (!(ceiling > 0) || Double.isNaN(value)) {
            return Double.NaN;
        }
        return value / ceiling;
    }

    /** A rate or count for a table: no decimals from 100 up, one below, thousands separated. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String fixed(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
