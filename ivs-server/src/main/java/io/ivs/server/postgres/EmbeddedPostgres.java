package io.ivs.server.postgres;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL server (DESIGN D3) run from the PostgreSQL 17 binaries that zonky ships
 * as a Maven artifact. Its data lives in {@code <dataDir>/pg} and survives restarts.
 *
 * <p>We start the binaries ourselves rather than through zonky's {@code EmbeddedPostgres} because
 * PostgreSQL refuses to run as root, and this service is often started as root (containers, CI);
 * zonky offers no way to run the server as another user. When running as root the server runs as
 * user {@code nobody} via {@code setpriv}, and the data directory is owned by that user.
 *
 * <p>A server left running by an instance that was killed is detected through a lock file that
 * only a live IVS process holds, and is stopped before a fresh start.
 *
 * <p>The superuser needs a password (SCRAM-SHA-256) on every connection, and the server listens
 * on 127.0.0.1 only, so other local users cannot read the data (signing keys included). The
 * password is random and kept in {@code <dataDir>/pg-password}, mode 0600. A data directory made
 * by an older IVS, which trusted every local connection, is converted at start: the password is
 * set in single-user mode (no server listening meanwhile) and {@code pg_hba.conf} rewritten.
 *
 * <p>While IVS runs, {@link #supervise} watches the server and starts it again when it has died
 * (killed, crashed): PostgreSQL recovers from its write-ahead log, and IVS serves again without a
 * restart of its own. Meanwhile requests answer 503.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String UNPRIVILEGED_UID = "65534";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path binDir;
    private final Path dataDir;
    private final Path passwordFile;
    private final int port;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile String password = "";
    private volatile boolean closing;
    private volatile @Nullable Thread supervisor;

    private EmbeddedPostgres(
            Path binDir, Path dataDir, int port, FileChannel channel, FileLock lock) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.passwordFile = dataDir.resolveSibling(EmbeddedPassword.FILE_NAME);
        this.port = port;
        this.lockChannel = channel;
        this.lock = lock;
    }

    /** Starts (initializing on first use) the server whose data is under {@code root/pg}. */
    public static EmbeddedPostgres start(Path root, int port) {
        try {
            Files.createDirectories(root);
            Path dataDir = root.toAbsolutePath().resolve("pg");
            FileChannel channel = FileChannel.open(
                    root.resolve("ivs-embedded-pg.lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the data directory " + root
                        + " is in use by another IVS process; stop it or choose"
                        + " another --data-dir");
            }
            Path binDir = unpackBinaries();
            int chosenPort = port > 0 ? port : freePort();
            EmbeddedPostgres server =
                    new EmbeddedPostgres(binDir, dataDir, chosenPort, channel, lock);
            server.initIfNeeded();
            server.stopOrphan();
            server.requirePassword();
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /**
     * Watches the server every {@code interval} and starts it again once it has been found dead
     * for {@code restartDelay} (zero: at once). Attempts repeat every interval until one works:
     * the first may fail while the killed server's backends are still exiting.
     */
    public synchronized void supervise(Duration interval, Duration restartDelay) {
        if (supervisor != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        supervisor = Thread.ofPlatform()
                .daemon()
                .name("ivs-embedded-postgres-supervisor")
                .start(() -> superviseWhileOpen(interval, restartDelay));
    }

    private void superviseWhileOpen(Duration interval, Duration restartDelay) {
        long deadSinceNanos = -1;
        while (!closing) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (closing || isRunning()) {
                deadSinceNanos = -1;
                continue;
            }
            long now = System.nanoTime();
            if (deadSinceNanos < 0) {
                deadSinceNanos = now;
                log.error(
                        "the embedded PostgreSQL on port {} is not running; starting it again"
                                + " in {}",
                        port,
                        restartDelay);
            }
            if (now - deadSinceNanos >= restartDelay.toNanos()) {
                restartIfStillDead();
            }
        }
    }

    private synchronized void restartIfStillDead() {
        if (closing || isRunning()) {
            return;
        }
        try {
            startServer();
            log.info("the embedded PostgreSQL is running again");
        } catch (RuntimeException e) {
            log.warn("could not start the embedded PostgreSQL yet: {}", e.getMessage());
        }
    }

    /** True when the postmaster recorded in {@code postmaster.pid} is alive (not a zombie). */
    public boolean isRunning() {
        OptionalLong pid = postmasterPid();
        return pid.isPresent()
                && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)
                && !isZombie(pid.getAsLong());
    }

    /** A killed process that its parent has not reaped yet still "exists"; on Linux, ask. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The postmaster's process id: the first line of {@code postmaster.pid}, if any. */
    public OptionalLong postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty()
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** The superuser's password, also in {@code <dataDir>/pg-password}. */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    private static Path unpackBinaries() throws IOException {
        PostgresBinaries binaries = PostgresBinaries.forThisMachine();
        Path target = Path.of(System.getProperty("java.io.tmpdir"), binaries.folder());
        Path ready = target.resolve(".ready");
        if (Files.exists(ready)) {
            return target;
        }
        Files.createDirectories(target);
        try (FileChannel channel = FileChannel.open(
                        target.resolve(".unpack.lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (!Files.exists(ready)) {
                extract(binaries.archive(), target);
                Files.createFile(ready);
            }
        }
        return target;
    }

    private static void extract(String name, Path target) throws IOException {
        InputStream archive = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(name);
        if (archive == null) {
            throw new IllegalStateException("the PostgreSQL binaries (" + name
                    + ") are not on the class path; set IVS_DATABASE_URL to use an external"
                    + " PostgreSQL");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new java.io.BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry escapes the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.deleteIfExists(path);
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0100) != 0
                            || entry.getName().replace("./", "").startsWith("bin/");
                    Files.setPosixFilePermissions(
                            path,
                            PosixFilePermissions.fromString(
                                    executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        makeTraversable(target);
    }

    private static void makeTraversable(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(
                            path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    private void initIfNeeded() throws IOException {
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        if (isRoot()) {
            // The data directory is made as root/pg with an absolute root, so it has a parent.
            requireTraversable(Objects.requireNonNull(dataDir.getParent()));
            run(
                    List.of("chown", UNPRIVILEGED_UID + ":" + UNPRIVILEGED_UID, dataDir.toString()),
                    false);
        }
        log.info("initializing the embedded PostgreSQL data directory {}", dataDir);
        run(
                List.of(
                        bin("initdb"),
                        "-A",
                        "trust",
                        "-U",
                        "postgres",
                        "-E",
                        "UTF-8",
                        "--locale=C",
                        "-D",
                        dataDir.toString()),
                true);
    }

    /**
     * The unprivileged server user must reach its data directory. The IVS data directory itself
     * is ours, so we open it for traversal; for the folders above it we only explain the fix.
     */
    private static void requireTraversable(Path ivsDataDir) throws IOException {
        var permissions = Files.getPosixFilePermissions(ivsDataDir);
        permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(ivsDataDir, permissions);
        for (Path dir = ivsDataDir.getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir)
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("IVS runs as root, so its PostgreSQL runs as user"
                        + " nobody, which cannot enter " + dir + "; run 'chmod o+x " + dir
                        + "' or choose a --data-dir under a folder others can enter");
            }
        }
    }

    /**
     * Reads the password, or, for a new data directory or one made by an older IVS (trust, no
     * password file), sets one. The server must be stopped: the password is set in single-user
     * mode, which opens no port, and only then does {@code pg_hba.conf} demand it. Each step can
     * be repeated, so a start interrupted half-way completes at the next start.
     */
    private void requirePassword() throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        Optional<String> existing = EmbeddedPassword.read(passwordFile);
        if (existing.isPresent() && !EmbeddedPassword.trusts(hba)) {
            password = existing.get();
            return;
        }
        log.info("setting a password for the embedded PostgreSQL; it is kept in {}", passwordFile);
        String chosen =
                existing.isPresent() ? existing.get() : EmbeddedPassword.create(passwordFile);
        String statement =
                "ALTER ROLE postgres PASSWORD '" + EmbeddedPassword.scramVerifier(chosen) + "';\n";
        run(
                List.of(
                        bin("postgres"),
                        "--single",
                        "-D",
                        dataDir.toString(),
                        "-c",
                        "exit_on_error=on",
                        "postgres"),
                true,
                statement);
        EmbeddedPassword.writeHba(hba);
        password = chosen;
    }

    /** A server still running on our data directory belongs to a killed IVS: we hold the lock. */
    private void stopOrphan() {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            List<String> stop =
                    List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
            try {
                run(stop, true);
                log.info("stopped a PostgreSQL server left running by an earlier IVS process");
            } catch (IllegalStateException notRunning) {
                log.debug("no orphaned PostgreSQL server: {}", notRunning.getMessage());
            }
        }
    }

    private void startServer() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1"
                + " -c unix_socket_directories= -c max_connections=200"
                + " -c shared_buffers=256MB -c fsync=on";
        run(
                List.of(
                        bin("pg_ctl"),
                        "-D",
                        dataDir.toString(),
                        "-o",
                        options,
                        "-l",
                        dataDir.resolve("postgres.log").toString(),
                        "-w",
                        "-t",
                        String.valueOf(START_TIMEOUT.toSeconds()),
                        "start"),
                true);
        log.info(
                "embedded PostgreSQL 17 is running on 127.0.0.1:{} with data in {}", port, dataDir);
    }

    @Override
    public void close() {
        closing = true;
        Thread watcher = supervisor;
        if (watcher != null) {
            watcher.interrupt();
        }
        synchronized (this) {
            stopServer();
        }
    }

    private void stopServer() {
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), true);
        } catch (RuntimeException e) {
            log.warn("could not stop the embedded PostgreSQL cleanly: {}", e.getMessage());
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                log.debug("could not release the data directory lock", e);
            }
        }
    }

    private String bin(String name) {
        return binDir.resolve("bin").resolve(name).toString();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a command, as the unprivileged user when asked and running as root. */
    private static void run(List<String> command, boolean unprivileged) {
        run(command, unprivileged, null);
    }

    /** Runs a command with {@code input} (if any) as its standard input. */
    private static void run(List<String> command, boolean unprivileged, @Nullable String input) {
        List<String> full = new ArrayList<>();
        if (unprivileged && isRoot()) {
            full.addAll(List.of(
                    "setpriv",
                    "--reuid=" + UNPRIVILEGED_UID,
                    "--regid=" + UNPRIVILEGED_UID,
                    "--clear-groups"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", full));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("command failed (" + process.exitValue() + "): "
                        + String.join(" ", full) + System.lineSeparator() + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full.get(0), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
