package io.ivs.cli;

import io.ivs.core.imports.CsvReader;
import io.ivs.core.imports.CsvRecord;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rows of an input file, one at a time, after its header: CSV records, or Parquet rows with
 * their values as text (so that both go through the same conversion).
 */
interface RowSource extends AutoCloseable {
    List<String> header();

    /** How many rows the file holds, when its format tells (Parquet), else -1. */
    default long rowsExpected() {
        return -1;
    }

    /** The next row, or null at the end. */
    @Nullable
    CsvRecord next() throws IOException;

    @Override
    void close() throws IOException;

    static RowSource csv(Path file) throws IOException {
        CsvReader reader = new CsvReader(new InputStreamReader(
                Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()));
        CsvRecord header = reader.next();
        if (header == null) {
            reader.close();
            throw CliFailure.refused(file + " is empty; it needs a header line");
        }
        List<String> names = header.fields().stream()
                .map(name -> name.startsWith("\uFEFF") ? name.substring(1) : name)
                .toList();
        return new RowSource() {
            @Override
            public List<String> header() {
                return names;
            }

            @Override
            public @Nullable CsvRecord next() throws IOException {
                return reader.next();
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
