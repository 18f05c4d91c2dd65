package io.ivs.core.imports;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One record of a CSV file: its fields, the line it starts on (1 is the header), its original
 * text (for a rejects file) and, when its quoting is broken, why.
 */
public record CsvRecord(
        long line,
        List<String> fields,
        String text,
        @Nullable String malformed) {
    public CsvRecord {
        fields = List.copyOf(fields);
    }
}
