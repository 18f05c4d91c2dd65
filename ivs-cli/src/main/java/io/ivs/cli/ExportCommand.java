package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code ivs export}: downloads {@code GET /api/environment/{env}/summary/export} into a file.
 * The bytes go to {@code FILE.part}, which becomes {@code FILE} only once the download is known
 * to be whole: a server that fails in the middle may still end the HTTP answer normally, so the
 * CSV records are counted against {@code X-Row-Count} and a Parquet file must end with the magic
 * bytes of its footer.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Download the inventory summary (or the preloaded on-hand) of an environment into a"
                    + " file, with a progress line on a terminal. FILE appears only when complete.",
            "Signs in as IVS_CLIENT_ID / IVS_CLIENT_SECRET (a client with inventory.read), else as"
                    + " the administrator (IVS_ADMIN_... or IVS_BOOTSTRAP_...)."
        })
final class ExportCommand implements Callable<Integer> {
    static final String ROW_COUNT_HEADER = "X-Row-Count";
    static final int BUFFER_BYTES = 64 * 1024;
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

    enum Table {
        SUMMARY,
        PRELOAD
    }

    @Spec
    @Nullable
    CommandSpec spec;

    @Mixin
    FileOptions options = new FileOptions();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file.")
    @Nullable
    Path out;

    @Option(
            names = "--table",
            paramLabel = "summary|preload",
            description = "The table (default: summary).")
    Table table = Table.SUMMARY;

    /** The bytes and rows written so far, and the last bytes (for Parquet's magic). */
    private record Written(long bytes, long rows, byte[] tail) {}

    @Override
    public Integer call() {
        CommandSpec command = Objects.requireNonNull(spec);
        IvsCli root = Session.root(command);
        String environmentId = options.environmentId(root.environment(), "export");
        Path file = Objects.requireNonNull(out).toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw CliFailure.usage("--out: " + out + " is a directory; name a file");
        }
        Session session =
                Session.signIn(command, Credentials.reader(root.environment()), environmentId);
        String path = "/api/environment/" + IvsApi.segment(environmentId)
                + "/summary/export?format=" + name(options.format) + "&table=" + name(table);
        HttpResponse<InputStream> response = session.api().download(path, session.token());
        OptionalLong announced = response.headers().firstValueAsLong(ROW_COUNT_HEADER);
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            Written written = receive(response.body(), part, announced, command);
            checkComplete(written, announced);
            moveIntoPlace(part, file);
            session.note("wrote " + ProgressLine.humanBytes(written.bytes()) + " to " + out
                    + " (" + (announced.isPresent() ? announced.getAsLong() : written.rows())
                    + " rows)");
            return 0;
        } finally {
            deleteQuietly(part);
        }
    }

    private Written receive(
            InputStream body, Path part, OptionalLong announced, CommandSpec command) {
        boolean csv = options.csv();
        ProgressLine line = options.showProgress()
                ? new ProgressLine(
                        command.commandLine().getErr(),
                        announced.isPresent() ? announced.getAsLong() : null,
                        csv)
                : null;
        CsvRecords records = new CsvRecords();
        byte[] buffer = new byte[BUFFER_BYTES];
        byte[] tail = new byte[0];
        long bytes = 0;
        try (InputStream in = body;
                OutputStream file = Files.newOutputStream(part)) {
            int n;
            while ((n = read(in, buffer)) >= 0) {
                file.write(buffer, 0, n);
                bytes += n;
                tail = tail(tail, buffer, n);
                if (csv) {
                    records.accept(buffer, n);
                }
                if (line != null) {
                    line.update(bytes, records.rows());
                }
            }
        } catch (IOException e) {
            throw CliFailure.refused("cannot write " + part + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw CliFailure.unavailable(
                    "the download broke off: " + e.getMessage() + "; no file written");
        }
        if (line != null) {
            line.finish(bytes, records.rows());
        }
        return new Written(bytes, csv ? records.rows() : -1, tail);
    }

    /** Reads from the server; a failure here is the network's or the server's, not the disk's. */
    private static int read(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkComplete(Written written, OptionalLong announced) {
        if (options.csv()) {
            if (announced.isPresent() && written.rows() != announced.getAsLong()) {
                throw CliFailure.unavailable("the download is incomplete: " + written.rows()
                        + " of " + announced.getAsLong() + " rows arrived; no file written");
            }
        } else if (!Arrays.equals(written.tail(), PARQUET_MAGIC)) {
            throw CliFailure.unavailable("the download is incomplete: the Parquet file has no"
                    + " footer; no file written");
        }
    }

    /** The last (up to) four bytes seen, after {@code n} more bytes of {@code buffer}. */
    private static byte[] tail(byte[] previous, byte[] buffer, int n) {
        int keep = PARQUET_MAGIC.length;
        byte[] joined = new byte[Math.min(keep, previous.length + n)];
        int fromBuffer = Math.min(n, joined.length);
        int fromPrevious = joined.length - fromBuffer;
        System.arraycopy(previous, previous.length - fromPrevious, joined, 0, fromPrevious);
        System.arraycopy(buffer, n - fromBuffer, joined, fromPrevious, fromBuffer);
        return joined;
    }

    private static void moveIntoPlace(Path part, Path file) {
        try {
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

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // The failure that brought us here is the one to report; a stale .part is harmless.
        }
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
