package io.ivs.core.dimension;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A resolved set of base-dimension values, sorted by name. Its {@link #key()} is a canonical
 * encoding that two equal sets always share, so it can identify a stored record.
 */
public record DimensionSet(SortedMap<String, String> values) {
    public DimensionSet {
        // Copy into natural order: a caller's comparator must not change the canonical key.
        TreeMap<String, String> natural = new TreeMap<>();
        natural.putAll(values);
        values = java.util.Collections.unmodifiableSortedMap(natural);
    }

    public static DimensionSet of(Map<String, String> values) {
        return new DimensionSet(new TreeMap<>(values));
    }

    public String get(String baseName) {
        return values.get(baseName);
    }

    /**
     * Canonical encoding {@code name=value} joined by a separator that cannot occur unescaped.
     * Backslash and the separators are escaped, so distinct sets never share a key.
     */
    public String key() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!out.isEmpty()) {
                out.append('\u001f');
            }
            out.append(entry.getKey()).append('=').append(escape(entry.getValue()));
        }
        return out.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\u001f", "\\u");
    }
}
