package io.ivs.server.reliability;

import io.ivs.server.support.IvsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * IVS as a child JVM, started from the test's own class path (so it runs the code under test,
 * with the test administrator of {@code config/application.yml}) on a data directory and HTTP
 * port that stay the same across restarts, so that a client keeps talking to "the same" server.
 * It always runs its embedded PostgreSQL, whatever {@code IVS_DATABASE_URL} says.
 */
final class ChildServer implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String MAIN_CLASS = "io.ivs.server.IvsApplication";

    private final Path dataDir;
    private final int port;
    private final List<String> arguments;
    private final Path log;
    private Process process;
    private int starts;

    ChildServer(List<String> arguments) {
        try {
            this.dataDir = Files.createTempDirectory("ivs-child-");
            // As root the embedded PostgreSQL runs as user nobody, which must enter this folder.
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            this.port = freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.arguments = List.copyOf(arguments);
        this.log = dataDir.resolve("server.log");
    }

    int port() {
        return port;
    }

    Path postgresData() {
        return dataDir.resolve("pg");
    }

    long pid() {
        return process.pid();
    }

    int starts() {
        return starts;
    }

    /** Starts the server and waits until {@code /health/ping} answers 200. */
    void start() {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classPath(),
                MAIN_CLASS,
                "--server.port=" + port,
                "--ivs.data-dir=" + dataDir,
                "--ivs.database.url=",
                "--logging.level.root=WARN",
                "--logging.level.io.ivs=INFO"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        for (String name : List.of(
                "IVS_DATABASE_URL", "IVS_DATABASE_USER", "IVS_DATABASE_PASSWORD", "IVS_PORT")) {
            env.remove(name);
        }
        env.put("IVS_BOOTSTRAP_CLIENT_ID", IvsClient.ADMIN_ID);
        env.put("IVS_BOOTSTRAP_CLIENT_SECRET", IvsClient.ADMIN_SECRET);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        starts++;
        awaitReady();
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed server did not exit");
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The embedded PostgreSQL's postmaster, from the first line of its {@code postmaster.pid}. */
    OptionalLong postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(postgresData().resolve("postmaster.pid"));
            return lines.isEmpty()
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The last lines of the server's log, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited while starting:\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/health/ping"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(
                "the server did not get ready within " + START_TIMEOUT + ":\n" + logTail());
    }

    /** Stops the server cleanly (SIGTERM), then anything left behind, and deletes its data. */
    @Override
    public void close() {
        try {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            OptionalLong postmaster = postmasterPid();
            if (postmaster.isPresent()) {
                ProcessHandle.of(postmaster.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(dataDir);
        }
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank()
                ? surefire
                : System.getProperty("java.class.path");
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
