package io.ivs.cli;

import io.ivs.core.imports.CsvReader;
import io.ivs.core.imports.CsvRecord;

import org.jspecify.annotations.Nullable;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rows an import refused: each row's original text followed by two columns, its line and
 * the reason, under the input's header with {@code line,reason} added. Created at the first
 * refusal. A resumed import appends, and leaves out the lines the file already holds, so that
 * the rows a crash made it read again are not listed twice.
 */
final class RejectsFile implements AutoCloseable {
    private final Path file;
    private final String header;
    private final Set<Long> written = new HashSet<>();
    private @Nullable BufferedWriter out;

    RejectsFile(Path file, List<String> header, boolean resume) {
        this.file = file;
        this.header = CsvReader.join(header) + ",line,reason";
        if (resume) {
            readWritten();
        } else {
            delete();
        }
    }

    Path path() {
        return file;
    }

    /** How many distinct rows have been refused, in this run and the ones it resumes. */
    synchronized long count() {
        return written.size();
    }

    synchronized void reject(long line, String text, String reason) {
        if (!written.add(line)) {
            return;
        }
        try {
            BufferedWriter writer = writer();
            writer.write(text);
            writer.write("," + line + "," + CsvReader.quote(reason.replace('\n', ' ')));
            writer.newLine();
        } catch (IOException e) {
            throw CliFailure.refused("cannot write " + file + ": " + e.getMessage());
        }
    }

    private BufferedWriter writer() throws IOException {
        BufferedWriter writer = out;
        if (writer == null) {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            writer = Files.newBufferedWriter(
                    file,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                writer.write(header);
                writer.newLine();
            }
            out = writer;
        }
        return writer;
    }

    /** Flushes what was written, so that a crash after an acknowledgement keeps its rejects. */
    synchronized void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            throw CliFailure.refused("cannot write " + file + ": " + e.getMessage());
        }
    }

    private void readWritten() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (CsvReader reader = new CsvReader(Files.newBufferedReader(file))) {
            reader.next();
            CsvRecord record;
            while ((record = reader.next()) != null) {
                List<String> fields = record.fields();
                if (fields.size() >= 2) {
                    try {
                        written.add(Long.parseLong(fields.get(fields.size() - 2)));
                    } catch (NumberFormatException e) {
                        // A line this command did not write; it counts for nothing.
                    }
                }
            }
        } catch (IOException e) {
            throw CliFailure.refused("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw CliFailure.refused("cannot delete " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw CliFailure.refused("cannot write " + file + ": " + e.getMessage());
        }
    }
}
