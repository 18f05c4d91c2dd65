package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The resume state of one import, kept beside the input as {@code FILE.ivs-import}: which file
 * (its SHA-256), how (mode, data source, environment), the last line up to which every row has
 * been answered by the server, and the id of the full sync being sent. The same command run
 * again after a crash continues after that line; the rows after it that had been sent already
 * carry the same event ids, so the server answers them as replays.
 */
final class ImportState {
    private final Path file;
    private final String identity;

    /** The input, mode, data source and environment as one string, compared on resume. */
    ImportState(Path input, String identity) {
        this.file = input.resolveSibling(input.getFileName() + ".ivs-import");
        this.identity = identity;
    }

    record Saved(long line, @Nullable String syncId) {}

    Path path() {
        return file;
    }

    /** What a previous run of the same import left, or null (none, or for another import). */
    @Nullable
    Saved load() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (!identity.equals(properties.getProperty("import"))) {
            return null;
        }
        try {
            long line = Long.parseLong(properties.getProperty("line", "0"));
            return new Saved(line, properties.getProperty("syncId"));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Writes the state whole (a temporary file moved into place), so a crash leaves one. */
    synchronized void save(long line, @Nullable String syncId) {
        Properties properties = new Properties();
        properties.setProperty("import", identity);
        properties.setProperty("line", Long.toString(line));
        if (syncId != null) {
            properties.setProperty("syncId", syncId);
        }
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                properties.store(out, "ivs import: resume state; delete it to start over");
            }
            try {
                Files.move(
                        part,
                        file,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliFailure.refused("cannot write " + file + ": " + e.getMessage());
        }
    }

    synchronized void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw CliFailure.refused("cannot delete " + file + ": " + e.getMessage());
        }
    }
}
