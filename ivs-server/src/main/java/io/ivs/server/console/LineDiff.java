package io.ivs.server.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff (longest common subsequence) of two texts, shown as changed lines with a few
 * lines of context around each change. Configuration documents are a few hundred lines; past
 * {@link #LINES_MAX} lines the diff is not computed and every line shows as changed.
 */
public final class LineDiff {
    public enum Kind {
        SAME,
        REMOVED,
        ADDED,
        /** Unchanged lines left out between two changes. */
        GAP
    }

    /** One line of the diff; {@code before} and {@code after} are 1-based line numbers or 0. */
    public record Line(Kind kind, int before, int after, String text) {
        public String marker() {
            return switch (kind) {
                case SAME -> " ";
                case REMOVED -> "-";
                case ADDED -> "+";
                case GAP -> "…";
            };
        }
    }

    static final int LINES_MAX = 2_000;
    static final int CONTEXT_LINES = 3;

    private LineDiff() {}

    /** The changes from {@code before} to {@code after}; empty when the texts are equal. */
    public static List<Line> of(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        List<Line> all =
                a.size() > LINES_MAX || b.size() > LINES_MAX ? replaceAll(a, b) : lcs(a, b);
        return withContext(all);
    }

    private static List<Line> lcs(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                lines.add(new Line(Kind.SAME, i + 1, j + 1, a.get(i)));
                i++;
                j++;
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                lines.add(new Line(Kind.REMOVED, i + 1, 0, a.get(i)));
                i++;
            } else {
                lines.add(new Line(Kind.ADDED, 0, j + 1, b.get(j)));
                j++;
            }
        }
        return lines;
    }

    private static List<Line> replaceAll(List<String> a, List<String> b) {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            lines.add(new Line(Kind.REMOVED, i + 1, 0, a.get(i)));
        }
        for (int j = 0; j < b.size(); j++) {
            lines.add(new Line(Kind.ADDED, 0, j + 1, b.get(j)));
        }
        return lines;
    }

    private static List<Line> withContext(List<Line> all) {
        boolean[] keep = new boolean[all.size()];
        boolean changed = false;
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).kind() != Kind.SAME) {
                changed = true;
                for (int c = Math.max(0, k - CONTEXT_LINES);
                        c <= Math.min(all.size() - 1, k + CONTEXT_LINES);
                        c++) {
                    keep[c] = true;
                }
            }
        }
        List<Line> shown = new ArrayList<>();
        if (!changed) {
            return shown;
        }
        for (int k = 0; k < all.size(); k++) {
            if (keep[k]) {
                shown.add(all.get(k));
            } else if (shown.isEmpty() || shown.getLast().kind() != Kind.GAP) {
                shown.add(new Line(Kind.GAP, 0, 0, ""));
            }
        }
        return shown;
    }
}
