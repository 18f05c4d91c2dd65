package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.imports.CsvReader;
import io.ivs.core.imports.CsvRecord;
import io.ivs.core.imports.ImportIds;
import io.ivs.core.imports.ImportMode;
import io.ivs.core.imports.OnHandColumns;
import io.ivs.core.imports.OnHandRow;
import io.ivs.core.imports.RowOutcome;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.ItemResult;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.OnHandService;

import jakarta.annotation.PreDestroy;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CSV imports started from the console, run in the background through {@link OnHandService}
 * (the service behind {@code .../onhand/bulk} and {@code .../setonhand/{ds}/bulk}: the same
 * validation and the same idempotency by event id), in batches of the API's bulk size. Rows are
 * converted by the core's import package, as the command line's {@code ivs import} converts them,
 * so both accept and refuse the same rows; refused rows go to a rejects CSV the page offers for
 * download.
 *
 * <p>Jobs live in this instance's memory (at most {@link #JOBS_KEPT_MAX}; the oldest finished
 * ones and their files are dropped first): the page that started one follows it on the same
 * instance. Uploads and rejects are temporary files, deleted with their job.
 */
@Component
public class ImportJobs {
    static final long UPLOAD_BYTES_MAX = 256L * 1024 * 1024;
    static final int JOBS_KEPT_MAX = 50;
    static final int JOBS_RUNNING_MAX = 2;

    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);

    private final OnHandService onHand;
    private final Clock clock;
    private final ExecutorService runner = Executors.newFixedThreadPool(
            JOBS_RUNNING_MAX,
            Thread.ofPlatform().name("ivs-console-import-", 0).daemon(true).factory());
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public ImportJobs(OnHandService onHand, Clock clock) {
        this.onHand = onHand;
        this.clock = clock;
    }

    /** One import: who started it, what it does, and how far it got. */
    public static final class Job {
        private final String id;
        private final String clientId;
        private final String environmentId;
        private final ImportMode mode;
        private final String dataSource;
        private final String fileName;
        private final Instant startedAt;
        private final Path upload;
        private final Path rejects;
        private volatile String state = "queued";
        private final AtomicLong rowsRead = new AtomicLong();
        private final AtomicLong rowsTotal = new AtomicLong();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();
        private volatile @Nullable String message;

        Job(
                String clientId,
                String environmentId,
                ImportMode mode,
                String dataSource,
                String fileName,
                Instant startedAt,
                Path upload,
                Path rejects) {
            this.id = UUID.randomUUID().toString();
            this.clientId = clientId;
            this.environmentId = environmentId;
            this.mode = mode;
            this.dataSource = dataSource;
            this.fileName = fileName;
            this.startedAt = startedAt;
            this.upload = upload;
            this.rejects = rejects;
        }

        public String id() {
            return id;
        }

        public String mode() {
            return mode.wireName() + (dataSource.isEmpty() ? "" : " " + dataSource);
        }

        public String fileName() {
            return fileName;
        }

        public Instant startedAt() {
            return startedAt;
        }

        /** queued, running, done or failed. */
        public String state() {
            return state;
        }

        public long rowsRead() {
            return rowsRead.get();
        }

        public long rowsTotal() {
            return rowsTotal.get();
        }

        public long accepted() {
            return accepted.get();
        }

        public long rejected() {
            return rejected.get();
        }

        public @Nullable String message() {
            return message;
        }

        public boolean finished() {
            return state.equals("done") || state.equals("failed");
        }

        Path rejectsFile() {
            return rejects;
        }

        /** The state as the page's script reads it. */
        public Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id);
            view.put("state", state);
            view.put("rowsRead", rowsRead.get());
            view.put("rowsTotal", rowsTotal.get());
            view.put("accepted", accepted.get());
            view.put("rejected", rejected.get());
            view.put("message", message == null ? "" : message);
            return view;
        }
    }

    /**
     * Stores the upload (at most {@link #UPLOAD_BYTES_MAX} bytes), checks its header, and starts
     * the job. A file whose header cannot work is refused here, before any row is written.
     */
    public Job start(
            String clientId,
            String environmentId,
            ImportMode mode,
            String dataSource,
            String fileName,
            InputStream body)
            throws IOException {
        Path upload = Files.createTempFile("ivs-import-", ".csv");
        Path rejects = Files.createTempFile("ivs-import-", ".rejects.csv");
        Job job = new Job(
                clientId,
                environmentId,
                mode,
                dataSource,
                fileName,
                clock.instant(),
                upload,
                rejects);
        try {
            byte[] sha256 = store(body, upload);
            OnHandColumns columns = columns(job, sha256);
            synchronized (jobs) {
                evictFinished();
                jobs.put(job.id, job);
            }
            runner.execute(() -> run(job, columns));
            return job;
        } catch (IOException | RuntimeException e) {
            deleteFiles(job);
            throw e;
        }
    }

    public Optional<Job> find(String clientId, String environmentId, String jobId) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(jobId))
                    .filter(j -> j.clientId.equals(clientId))
                    .filter(j -> j.environmentId.equals(environmentId));
        }
    }

    /** The client's jobs in the environment, newest first. */
    public List<Job> list(String clientId, String environmentId) {
        synchronized (jobs) {
            return jobs.values().stream()
                    .filter(j -> j.clientId.equals(clientId))
                    .filter(j -> j.environmentId.equals(environmentId))
                    .sorted(Comparator.comparing(Job::startedAt).reversed())
                    .toList();
        }
    }

    private static byte[] store(InputStream body, Path upload) throws IOException {
        MessageDigest digest = ImportIds.sha256();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (InputStream in = body;
                OutputStream out = Files.newOutputStream(upload)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > UPLOAD_BYTES_MAX) {
                    throw new InvalidInputException(
                            "file", "is larger than " + UPLOAD_BYTES_MAX / (1024 * 1024) + " MB");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static OnHandColumns columns(Job job, byte[] sha256) throws IOException {
        try (CsvReader reader = new CsvReader(Files.newBufferedReader(job.upload))) {
            CsvRecord header = reader.next();
            if (header == null) {
                throw new InvalidInputException("file", "is empty; it needs a header line");
            }
            ImportIds ids = ImportIds.of(sha256, job.mode, job.dataSource);
            return OnHandColumns.parse(withoutBom(header.fields()), job.mode, job.dataSource, ids);
        }
    }

    private static List<String> withoutBom(List<String> header) {
        return header.stream()
                .map(name -> name.startsWith("\uFEFF") ? name.substring(1) : name)
                .toList();
    }

    private void run(Job job, OnHandColumns columns) {
        job.state = "running";
        try (CsvReader reader = new CsvReader(Files.newBufferedReader(job.upload));
                BufferedWriter rejects =
                        Files.newBufferedWriter(job.rejects, StandardCharsets.UTF_8)) {
            job.rowsTotal.set(Math.max(0, countLines(job.upload) - 1));
            CsvRecord header = java.util.Objects.requireNonNull(reader.next());
            rejects.write(CsvReader.join(withoutBom(header.fields())) + ",line,reason\n");
            List<OnHandRow> batch = new ArrayList<>(Limits.BULK_ITEMS_MAX);
            Map<Long, String> texts = new LinkedHashMap<>();
            CsvRecord record;
            while ((record = reader.next()) != null) {
                job.rowsRead.incrementAndGet();
                switch (columns.convert(record)) {
                    case RowOutcome.Accepted<OnHandRow> accepted -> {
                        batch.add(accepted.item());
                        texts.put(record.line(), record.text());
                    }
                    case RowOutcome.Rejected<OnHandRow> refused ->
                        reject(job, rejects, record.line(), record.text(), refused.reason());
                }
                if (batch.size() == Limits.BULK_ITEMS_MAX) {
                    write(job, batch, texts, rejects);
                }
            }
            write(job, batch, texts, rejects);
            job.state = "done";
        } catch (IOException | RuntimeException e) {
            log.warn("console import {} failed", job.id, e);
            job.message = e.getMessage();
            job.state = "failed";
        } finally {
            deleteQuietly(job.upload);
        }
    }

    private void write(
            Job job, List<OnHandRow> batch, Map<Long, String> texts, BufferedWriter rejects)
            throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        List<OnHandChange> events = batch.stream().map(ImportJobs::change).toList();
        List<ItemResult> results = onHand.write(
                EnvironmentId.of(job.environmentId),
                events,
                job.mode.setsValues() ? job.dataSource : null);
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof ItemResult.Rejected refused) {
                long line = batch.get(i).line();
                reject(job, rejects, line, texts.getOrDefault(line, ""), refused.message());
            } else {
                job.accepted.incrementAndGet();
            }
        }
        batch.clear();
        texts.clear();
        rejects.flush();
    }

    static OnHandChange change(OnHandRow row) {
        return new OnHandChange(
                row.id(),
                row.organizationId(),
                row.productId(),
                null,
                row.dimensions(),
                Quantities.fromNested(row.quantities()),
                null);
    }

    private static void reject(
            Job job, BufferedWriter rejects, long line, String text, String reason)
            throws IOException {
        job.rejected.incrementAndGet();
        rejects.write(text + "," + line + "," + CsvReader.quote(reason.replace('\n', ' ')) + "\n");
    }

    private static long countLines(Path file) throws IOException {
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    /** Drops the oldest finished jobs (and their files) beyond the bound. */
    private void evictFinished() {
        while (jobs.size() >= JOBS_KEPT_MAX) {
            Job oldest = jobs.values().stream()
                    .filter(Job::finished)
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException(
                            "file",
                            "too many imports are running; try again when one has finished"));
            jobs.remove(oldest.id);
            deleteFiles(oldest);
        }
    }

    private static void deleteFiles(Job job) {
        deleteQuietly(job.upload);
        deleteQuietly(job.rejects);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}", file, e);
        }
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
