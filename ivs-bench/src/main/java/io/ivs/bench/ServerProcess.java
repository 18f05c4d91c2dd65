package io.ivs.bench;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * IVS as a child process, started from the built server jar on a fresh data directory with its
 * embedded PostgreSQL on a port we choose, so the ceilings can reach the same database. With
 * {@code IVS_BENCH_DATABASE_URL} (and {@code IVS_BENCH_DATABASE_USER}, {@code
 * IVS_BENCH_DATABASE_PASSWORD}) set, IVS and the ceilings use that database instead, for example
 * a Citus cluster (docs/scale-out.md); it should be a fresh one.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int httpPort;
    private final int postgresPort;
    private final Path dataDir;
    private final Path log;
    private final @Nullable String externalUrl = externalUrl();

    private ServerProcess(Process process, int httpPort, int postgresPort, Path dataDir, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.postgresPort = postgresPort;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * @param jfrFile where to write a flight recording of the whole run, or null for none
     */
    static ServerProcess start(
            Path serverJar,
            Path dataDir,
            String defaultEnvironment,
            String clientSecret,
            @Nullable Path jfrFile,
            List<String> jvmOptions)
            throws IOException, InterruptedException {
        int httpPort = freePort();
        int postgresPort = freePort();
        Path log = dataDir.resolve("server.log");
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        if (jfrFile != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfrFile
                    + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of(
                "-jar",
                serverJar.toString(),
                "--server.port=" + httpPort,
                "--ivs.data-dir=" + dataDir,
                "--ivs.embedded.port=" + postgresPort));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        for (String name : List.of(
                "IVS_DATABASE_URL", "IVS_DATABASE_USER", "IVS_DATABASE_PASSWORD", "IVS_PORT")) {
            env.remove(name);
        }
        String external = externalUrl();
        if (external != null) {
            env.put("IVS_DATABASE_URL", external);
            env.put("IVS_DATABASE_USER", externalUser());
            env.put("IVS_DATABASE_PASSWORD", externalPassword());
        }
        env.put("IVS_DEFAULT_ENVIRONMENT", defaultEnvironment);
        // Ignored by a server without security; an admin client for the bench otherwise.
        env.put("IVS_BOOTSTRAP_CLIENT_ID", BearerTokens.CLIENT_ID);
        env.put("IVS_BOOTSTRAP_CLIENT_SECRET", clientSecret);
        ServerProcess server =
                new ServerProcess(builder.start(), httpPort, postgresPort, dataDir, log);
        server.awaitReady();
        return server;
    }

    int httpPort() {
        return httpPort;
    }

    /**
     * The embedded PostgreSQL's superuser password, which IVS keeps in its data directory, or the
     * external database's.
     */
    String postgresPassword() throws IOException {
        if (external()) {
            return externalPassword();
        }
        return Files.readString(dataDir.resolve("pg-password")).strip();
    }

    String postgresUser() {
        return external() ? externalUser() : "postgres";
    }

    String jdbcUrl(@Nullable String schema) {
        String url = externalUrl != null
                ? externalUrl
                : "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
        return url
                + (schema == null
                        ? ""
                        : (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    }

    private boolean external() {
        return externalUrl != null;
    }

    /** {@code IVS_BENCH_DATABASE_URL}, or null when it is not set. */
    private static @Nullable String externalUrl() {
        String url = System.getenv("IVS_BENCH_DATABASE_URL");
        return url == null || url.isBlank() ? null : url;
    }

    private static String externalUser() {
        String user = System.getenv("IVS_BENCH_DATABASE_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    private static String externalPassword() {
        String password = System.getenv("IVS_BENCH_DATABASE_PASSWORD");
        return password == null ? "" : password;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest ping = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/health/ping"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("IVS exited with " + process.exitValue()
                            + " while starting; see " + log);
                }
                try {
                    if (client.send(ping, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(250);
            }
        }
        close();
        throw new IllegalStateException(
                "IVS did not answer /health/ping within " + START_TIMEOUT + "; see " + log);
    }

    /** The last lines of the server log, for error messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops IVS gracefully (it stops its PostgreSQL), forcibly after {@link #STOP_TIMEOUT}. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
