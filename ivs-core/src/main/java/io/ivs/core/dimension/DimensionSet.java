package io.ivs.core.dimension;

import org.jspecify.annotations.Nullable;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A resolved set of base-dimension values, sorted by name. Its {@link #key()} is a canonical
 * encoding that two equal sets always share, so it can identify a stored record. The key is
 * computed once, when the set is made: writes need it several times per event.
 */
public final class DimensionSet {
    private final SortedMap<String, String> values;
    private final String key;

    public DimensionSet(SortedMap<String, String> values) {
        // Copy into natural order: a caller's comparator must not change the canonical key.
        TreeMap<String, String> natural = new TreeMap<>();
        natural.putAll(values);
        this.values = Collections.unmodifiableSortedMap(natural);
        this.key = encode(this.values);
    }

    public static DimensionSet of(Map<String, String> values) {
        return new DimensionSet(new TreeMap<>(values));
    }

    public SortedMap<String, String> values() {
        return values;
    }

    public String get(String baseName) {
        return values.get(baseName);
    }

    /**
     * Canonical encoding {@code name=value} joined by a separator that cannot occur unescaped.
     * Backslash and the separators are escaped, so distinct sets never share a key.
     */
    public String key() {
        return key;
    }

    private static String encode(SortedMap<String, String> values) {
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

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof DimensionSet set && key.equals(set.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return "DimensionSet" + values;
    }
}
