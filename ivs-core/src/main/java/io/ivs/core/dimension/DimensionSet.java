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

    /** The value of one base dimension, or null when the set does not name it. */
    public @Nullable String get(String baseName) {
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

    /**
     * The set a {@link #key()} encodes, for readers that have only the stored key. Throws when
     * the text is not a canonical key, which a stored record key always is.
     */
    public static DimensionSet fromKey(String key) {
        TreeMap<String, String> values = new TreeMap<>();
        int start = 0;
        while (start < key.length()) {
            int end = key.indexOf('\u001f', start);
            if (end < 0) {
                end = key.length();
            }
            int equals = key.indexOf('=', start);
            if (equals < 0 || equals > end) {
                throw new IllegalArgumentException("not a dimension key: " + key);
            }
            values.put(key.substring(start, equals), unescape(key, equals + 1, end));
            start = end + 1;
        }
        DimensionSet set = new DimensionSet(values);
        if (!set.key.equals(key)) {
            throw new IllegalArgumentException("not a canonical dimension key: " + key);
        }
        return set;
    }

    private static String unescape(String key, int from, int to) {
        int slash = key.indexOf('\\', from);
        if (slash < 0 || slash >= to) {
            return key.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = key.charAt(i);
            if (c == '\\' && i + 1 < to) {
                i++;
                out.append(key.charAt(i) == 'u' ? '\u001f' : key.charAt(i));
            } else {
                out.append(c);
            }
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
