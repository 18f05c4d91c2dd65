package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line on standard error, redrawn in place with a carriage return: a bar with rows when the
 * rows can be counted as they come (CSV) and their total is known, else the bytes received. Drawn
 * at most every {@link #REDRAW_INTERVAL_NANOS}, so a fast download spends no time on it.
 */
final class ProgressLine {
    static final long REDRAW_INTERVAL_NANOS = 200_000_000L;
    static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final @Nullable Long rowsTotal;
    private final boolean rowsVisible;
    private long drawnAt = Long.MIN_VALUE;
    private boolean drawn;
    private final long startedAt = System.nanoTime();
    private boolean rate;

    ProgressLine(PrintWriter err, @Nullable Long rowsTotal, boolean rowsVisible) {
        this.err = err;
        this.rowsTotal = rowsTotal;
        this.rowsVisible = rowsVisible;
    }

    /**
     * A line for rows sent rather than bytes received: the bar, the rows, rows per second and
     * the time left at that rate (an import).
     */
    static ProgressLine rows(PrintWriter err, long rowsTotal) {
        ProgressLine line = new ProgressLine(err, rowsTotal, true);
        line.rate = true;
        return line;
    }

    void update(long bytes, long rows) {
        long now = System.nanoTime();
        if (drawn && now - drawnAt < REDRAW_INTERVAL_NANOS) {
            return;
        }
        drawnAt = now;
        draw(bytes, rows);
    }

    /** Draws the final state and ends the line. */
    void finish(long bytes, long rows) {
        draw(bytes, rows);
        err.println();
        err.flush();
    }

    private void draw(long bytes, long rows) {
        drawn = true;
        err.print('\r');
        err.print(text(bytes, rows));
        err.flush();
    }

    String text(long bytes, long rows) {
        Long total = rowsTotal;
        if (rate && total != null) {
            return rateText(rows, total, System.nanoTime() - startedAt);
        }
        if (!rowsVisible || total == null || total <= 0) {
            return humanBytes(bytes) + " received" + (total == null ? "" : " (" + total + " rows)")
                    + " ";
        }
        long done = Math.min(rows, total);
        int filled = (int) (done * BAR_WIDTH / total);
        return String.format(
                Locale.ROOT,
                "[%s%s] %3d%%  %d/%d rows  %s ",
                "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled),
                done * 100 / total,
                done,
                total,
                humanBytes(bytes));
    }

    static String rateText(long rows, long total, long elapsedNanos) {
        long done = Math.min(rows, Math.max(total, 1));
        int filled = total <= 0 ? BAR_WIDTH : (int) (done * BAR_WIDTH / total);
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        long perSecond = (long) (rows / seconds);
        String eta = perSecond <= 0 ? "--:--" : clock((total - done) / perSecond);
        return String.format(
                Locale.ROOT,
                "[%s%s] %3d%%  %d/%d rows  %d rows/s  ETA %s ",
                "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled),
                total <= 0 ? 100 : done * 100 / total,
                rows,
                total,
                perSecond,
                eta);
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(
                        Locale.ROOT,
                        "%d:%02d:%02d",
                        seconds / 3600,
                        seconds / 60 % 60,
                        seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** "812 B", "12.3 MB" and the like (binary multiples, as file managers show them). */
    static String humanBytes(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
