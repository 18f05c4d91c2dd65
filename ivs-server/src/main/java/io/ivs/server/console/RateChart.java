package io.ivs.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart of counts per time bucket, drawn on the server as SVG (no script): the page gets
 * each bar's geometry and a text alternative, and the same numbers as a table for screen readers.
 *
 * @param id the element id (for the chart's title reference)
 * @param title what is counted
 * @param bars one per bucket, oldest first
 * @param total the sum of all buckets
 * @param max the highest bucket, the chart's scale
 */
public record RateChart(String id, String title, List<Bar> bars, long total, long max) {
    static final int WIDTH = 360;
    static final int HEIGHT = 120;
    static final int AXIS = 16;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** One bucket: its start (UTC), its count, and its rectangle in the chart's coordinates. */
    public record Bar(String label, long count, int x, int y, int width, int height) {}

    static RateChart of(String id, String title, Instant from, long bucketSeconds, long[] counts) {
        long max = 0;
        long total = 0;
        for (long count : counts) {
            max = Math.max(max, count);
            total += count;
        }
        int slot = WIDTH / counts.length;
        int plot = HEIGHT - AXIS;
        List<Bar> bars = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            int height =
                    max == 0 ? 0 : (int) Math.max(1, Math.round(plot * counts[i] / (double) max));
            if (counts[i] == 0) {
                height = 0;
            }
            bars.add(new Bar(
                    TIME.format(from.plusSeconds(bucketSeconds * i)),
                    counts[i],
                    i * slot + 2,
                    plot - height,
                    slot - 4,
                    height));
        }
        return new RateChart(id, title, bars, total, max);
    }

    /** The chart's text alternative. */
    public String summary() {
        return title + ": " + total + " in the last hour, at most " + max + " in 5 minutes";
    }

    public String firstLabel() {
        return bars.get(0).label();
    }

    public String lastLabel() {
        return bars.get(bars.size() - 1).label();
    }
}
