package io.ivs.cli;

import io.ivs.core.InvalidInputException;
import io.ivs.core.imports.CsvRecord;
import io.ivs.core.imports.ImportIds;
import io.ivs.core.imports.ImportMode;
import io.ivs.core.imports.OnHandColumns;
import io.ivs.core.imports.OnHandRow;
import io.ivs.core.imports.ProductColumns;
import io.ivs.core.imports.ProductRow;
import io.ivs.core.imports.RowOutcome;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code ivs import}: a CSV or Parquet file into IVS, as on-hand change events, set-on-hand
 * records, one full sync of a data source, or product catalogue items. Refused rows go to a
 * rejects file with their line and reason, the rest goes in; a crash or Ctrl-C followed by the
 * same command resumes, and event ids derived from the file make anything sent twice a replay.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import a CSV or Parquet file: on-hand changes (--mode change), set-on-hand records"
                    + " of one data source (set), a full sync of it (sync), or products.",
            "Signs in as IVS_CLIENT_ID / IVS_CLIENT_SECRET (a client with inventory.write).",
            "Run the same command again after a crash or Ctrl-C: it resumes, changing nothing"
                    + " twice. Exit code 1 when any row was refused (see the rejects file)."
        })
final class ImportCommand implements Callable<Integer> {
    /** How often the resume state is written while the import runs. */
    static final long STATE_SAVE_INTERVAL_MILLIS = 500;
    /** Tries per batch when the server is unreachable or answers 5xx. */
    static final int SEND_TRIES_MAX = 5;

    static final long RETRY_PAUSE_MILLIS_FIRST = 500;

    @Spec
    @Nullable
    CommandSpec spec;

    @Mixin
    FileOptions options = new FileOptions();

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The input.")
    @Nullable
    Path file;

    @Option(
            names = "--mode",
            paramLabel = "change|set|sync|products",
            description = "What the rows are (default: change).")
    ImportMode mode = ImportMode.CHANGE;

    @Option(
            names = "--data-source",
            paramLabel = "DS",
            description = "The data source a set or sync writes.")
    @Nullable
    String dataSource;

    @Option(
            names = "--rejects",
            paramLabel = "FILE",
            description = "Where refused rows go (default: FILE.rejects.csv beside the input).")
    @Nullable
    Path rejects;

    @Option(
            names = "--batch",
            paramLabel = "N",
            description = "Items per request (default and maximum: 512; 1000 for sync).")
    @Nullable
    Integer batch;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "Requests in flight at once (default: 4).")
    int parallel = 4;

    /** The input's SHA-256 and its line count (for the progress bar), read before anything. */
    private record Scan(byte[] sha256, long lines) {}

    @Override
    public Integer call() {
        CommandSpec command = Objects.requireNonNull(spec);
        IvsCli root = Session.root(command);
        String environmentId = options.environmentId(root.environment(), "import");
        Path input = input();
        String source = checkOptions();
        int batchSize = batchSize();
        Scan scan = scan(input);
        ImportState state = new ImportState(
                input,
                String.join(
                        "|",
                        HexFormat.of().formatHex(scan.sha256()),
                        mode.wireName(),
                        source,
                        environmentId));
        ImportState.Saved saved = state.load();
        Session session =
                Session.signIn(command, Credentials.writer(root.environment()), environmentId);
        ImportTarget target = new ImportTarget(mode, environmentId, source);
        long started = System.nanoTime();
        try (RowSource rows = open(input)) {
            Reading<?> reading = reading(rows.header(), scan, source);
            Path rejectsPath = rejects != null ? rejects : sibling(input, ".rejects.csv");
            try (RejectsFile refused = new RejectsFile(rejectsPath, rows.header(), saved != null)) {
                if (saved != null) {
                    session.note("resuming after line " + saved.line() + " (" + state.path() + ")");
                }
                beginSync(session, target, state, saved);
                long accepted =
                        run(session, target, state, saved, rows, reading, refused, scan, batchSize);
                finishSync(session, target, state, refused);
                state.delete();
                return summary(session, accepted, refused, started);
            }
        } catch (IOException e) {
            throw CliFailure.refused("cannot read " + input + ": " + e.getMessage());
        }
    }

    /** The conversion of the file's rows, checked against its header before anything is sent. */
    private record Reading<T>(
            Function<CsvRecord, RowOutcome<T>> convert, Function<T, String> key) {}

    private Reading<?> reading(List<String> header, Scan scan, String source) {
        try {
            if (mode == ImportMode.PRODUCTS) {
                ProductColumns columns = ProductColumns.parse(header);
                return new Reading<>(columns::convert, ProductRow::partitionKey);
            }
            ImportIds ids = ImportIds.of(scan.sha256(), mode, source);
            OnHandColumns columns = OnHandColumns.parse(header, mode, source, ids);
            return new Reading<>(columns::convert, OnHandRow::partitionKey);
        } catch (InvalidInputException e) {
            throw CliFailure.refused(Objects.requireNonNull(file) + ": " + e.getMessage());
        }
    }

    private <T> long run(
            Session session,
            ImportTarget target,
            ImportState state,
            ImportState.@Nullable Saved saved,
            RowSource rows,
            Reading<T> reading,
            RejectsFile refused,
            Scan scan,
            int batchSize)
            throws IOException {
        long resumeAfter = saved == null ? 0 : saved.line();
        ProgressLine line = options.showProgress()
                ? ProgressLine.rows(
                        Objects.requireNonNull(spec).commandLine().getErr(),
                        rows.rowsExpected() >= 0 ? rows.rowsExpected() : scan.lines() - 1)
                : null;
        ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon(true).name("ivs-import-state").unstarted(r));
        try (ImportPipeline<T> pipeline = new ImportPipeline<>(
                Math.max(1, Math.min(parallel, ImportPipeline.WORKERS_MAX)),
                batchSize,
                reading.key(),
                items -> send(session, target, items),
                refused::reject,
                resumeAfter)) {
            Runnable save = () -> {
                refused.flush();
                state.save(pipeline.watermark(), target.syncId());
            };
            saver.scheduleWithFixedDelay(
                    save,
                    STATE_SAVE_INTERVAL_MILLIS,
                    STATE_SAVE_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
            long read = 0;
            try {
                CsvRecord record;
                while ((record = rows.next()) != null) {
                    read++;
                    if (record.line() > resumeAfter) {
                        handle(record, reading, pipeline, refused);
                    }
                    if (line != null) {
                        line.update(0, read);
                    }
                }
                pipeline.finish();
            } finally {
                saver.shutdownNow();
                awaitQuietly(saver);
                save.run();
            }
            if (line != null) {
                line.finish(0, read);
            }
            return pipeline.accepted();
        } catch (CliFailure failure) {
            abortSyncIfRefused(session, target, state, failure);
            throw failure;
        }
    }

    private <T> void handle(
            CsvRecord record, Reading<T> reading, ImportPipeline<T> pipeline, RejectsFile refused) {
        RowOutcome<T> outcome = reading.convert().apply(record);
        switch (outcome) {
            case RowOutcome.Accepted<T> accepted ->
                pipeline.accept(record.line(), accepted.item(), record.text());
            case RowOutcome.Rejected<T> rejected -> {
                refused.reject(record.line(), record.text(), rejected.reason());
                pipeline.skip(record.line());
            }
        }
    }

    /** Sends one batch; tries again a few times while the server is unreachable or fails. */
    private List<ImportTarget.Outcome> send(Session session, ImportTarget target, List<?> items) {
        String body = target.body(items);
        long pause = RETRY_PAUSE_MILLIS_FIRST;
        for (int attempt = 1; ; attempt++) {
            try {
                String answer = session.call("POST", target.batchPath(), body);
                return ImportTarget.outcomes(answer, items.size());
            } catch (CliFailure failure) {
                if (failure.exitCode() != CliFailure.UNAVAILABLE || attempt >= SEND_TRIES_MAX) {
                    throw failure;
                }
                sleep(pause);
                pause *= 2;
            }
        }
    }

    /** A sync resumed continues under its id; a new one begins (and its id is saved at once). */
    private void beginSync(
            Session session,
            ImportTarget target,
            ImportState state,
            ImportState.@Nullable Saved saved) {
        if (mode != ImportMode.SYNC) {
            return;
        }
        String resumed = saved == null ? null : saved.syncId();
        if (resumed != null) {
            target.syncId(resumed);
            session.note("continuing full sync " + resumed);
            return;
        }
        String id = ImportTarget.syncIdOf(session.call("POST", target.syncPath(), null));
        target.syncId(id);
        state.save(saved == null ? 0 : saved.line(), id);
        session.note("began full sync " + id + " of data source '" + dataSource + "'");
    }

    /**
     * Completes the sync. A sync with refused rows is aborted instead: completing it would zero
     * the records of the refused rows, which the file meant to set.
     */
    private void finishSync(
            Session session, ImportTarget target, ImportState state, RejectsFile refused) {
        String id = target.syncId();
        if (mode != ImportMode.SYNC || id == null) {
            return;
        }
        if (refused.count() > 0) {
            session.call("DELETE", target.syncPath(id), null);
            state.delete();
            throw CliFailure.refused(refused.count() + " rows were refused (see "
                    + refused.path() + "); full sync " + id + " was aborted and changed"
                    + " nothing, since completing it would zero what those rows set."
                    + " Fix them and import again.");
        }
        session.call("POST", target.syncPath(id) + "/complete", null);
        session.note("completed full sync " + id);
    }

    /** A sync the server refused (4xx) cannot go on: it is aborted, and resuming starts over. */
    private void abortSyncIfRefused(
            Session session, ImportTarget target, ImportState state, CliFailure failure) {
        String id = target.syncId();
        if (mode != ImportMode.SYNC || id == null || failure.exitCode() != CliFailure.REFUSED) {
            return;
        }
        try {
            session.call("DELETE", target.syncPath(id), null);
            session.note("aborted full sync " + id);
        } catch (CliFailure abortFailed) {
            session.note("could not abort full sync " + id + ": " + abortFailed.getMessage()
                    + "; the server abandons it after its timeout");
        }
        state.delete();
    }

    private int summary(Session session, long accepted, RejectsFile refused, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        long rejected = refused.count();
        session.note(String.format(
                Locale.ROOT,
                "imported %d rows, %d refused%s, in %.1f s (%d rows/s)",
                accepted,
                rejected,
                rejected == 0 ? "" : " (see " + refused.path() + ")",
                seconds,
                (long) ((accepted + rejected) / Math.max(seconds, 1e-3))));
        return rejected == 0 ? 0 : CliFailure.REFUSED;
    }

    private Path input() {
        Path input = Objects.requireNonNull(file).toAbsolutePath();
        if (!Files.isRegularFile(input)) {
            throw CliFailure.usage("--file: " + file + " is not a file");
        }
        return input;
    }

    /** The data source of a set or sync; empty for the other modes. */
    private String checkOptions() {
        if (mode.setsValues()) {
            if (dataSource == null || dataSource.isBlank()) {
                throw CliFailure.usage("--mode " + mode.wireName() + " needs --data-source DS");
            }
            return dataSource.strip();
        }
        if (dataSource != null) {
            throw CliFailure.usage("--data-source is for --mode set or sync; the columns of a"
                    + " change name their data sources (pos.inbound)");
        }
        return "";
    }

    private int batchSize() {
        int size = batch == null ? mode.batchMax() : batch;
        if (size < 1 || size > mode.batchMax()) {
            throw CliFailure.usage("--batch: between 1 and " + mode.batchMax() + " for --mode "
                    + mode.wireName() + ", was " + size);
        }
        return size;
    }

    /** Reads the file once for its digest (the event ids) and its lines (the progress bar). */
    private static Scan scan(Path input) {
        MessageDigest digest = ImportIds.sha256();
        byte[] buffer = new byte[1 << 16];
        long lines = 0;
        try (InputStream in = Files.newInputStream(input)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        } catch (IOException e) {
            throw CliFailure.refused("cannot read " + input + ": " + e.getMessage());
        }
        return new Scan(digest.digest(), lines);
    }

    private RowSource open(Path input) throws IOException {
        return options.csv() ? RowSource.csv(input) : ParquetSource.open(input);
    }

    private static Path sibling(Path input, String suffix) {
        return input.resolveSibling(input.getFileName() + suffix);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.unavailable("interrupted");
        }
    }

    private static void awaitQuietly(ScheduledExecutorService saver) {
        try {
            saver.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
