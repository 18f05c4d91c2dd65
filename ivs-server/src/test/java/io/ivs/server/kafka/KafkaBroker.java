package io.ivs.server.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), run
 * from the official server artifacts ({@code org.apache.kafka:kafka_2.13}) in a child JVM: the
 * storage directory is formatted with {@code kafka.tools.StorageTool}, then {@code kafka.Kafka}
 * starts with a generated configuration. Its output goes to {@code broker.log} in its folder.
 * It can be stopped and started again on the same ports and data ({@link #restart}), for tests
 * of clients that must ride out a broker restart.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration START_MAX = Duration.ofSeconds(90);

    private final Path directory;
    private volatile Process process;
    private final String bootstrapServers;

    private KafkaBroker(Path directory, Process process, String bootstrapServers) {
        this.directory = directory;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaBroker start() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("ivs-kafka-");
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path config = directory.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
                                + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + directory.resolve("data"),
                        "num.partitions=4",
                        "auto.create.topics.enable=true",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        ""),
                StandardCharsets.UTF_8);
        Path log = directory.resolve("broker.log");
        // The child runs with the test class path, so Logback logs for it: warnings only.
        Files.writeString(
                directory.resolve("logback.xml"),
                "<configuration><appender name=\"out\""
                        + " class=\"ch.qos.logback.core.ConsoleAppender\"><encoder>"
                        + "<pattern>%d %-5level %logger{36} - %msg%n</pattern></encoder>"
                        + "</appender><root level=\"WARN\"><appender-ref ref=\"out\"/></root>"
                        + "</configuration>",
                StandardCharsets.UTF_8);
        Process format = java(
                        directory,
                        List.of(
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString()),
                        log)
                .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException(
                    "formatting the Kafka storage failed: " + Files.readString(log));
        }
        Process broker =
                java(directory, List.of("kafka.Kafka", config.toString()), log).start();
        KafkaBroker started = new KafkaBroker(directory, broker, "127.0.0.1:" + brokerPort);
        started.awaitReady(log);
        return started;
    }

    private static ProcessBuilder java(Path directory, List<String> arguments, Path log) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xms64m",
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + directory.resolve("logback.xml"),
                "-cp",
                System.getProperty("java.class.path")));
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_MAX.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the Kafka broker exited: " + Files.readString(log));
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException
                        | java.util.concurrent.TimeoutException e) {
                    // Not up yet.
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("the Kafka broker did not start within "
                            + START_MAX + ": " + Files.readString(log));
                }
                Thread.sleep(200);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker (SIGTERM, as an operator would); its data and ports stay for a restart. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the stopped broker again on the same ports and data, and waits until it serves. */
    public void startAgain() throws IOException, InterruptedException {
        Path log = directory.resolve("broker.log");
        process = java(
                        directory,
                        List.of(
                                "kafka.Kafka",
                                directory.resolve("server.properties").toString()),
                        log)
                .start();
        awaitReady(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        Process process = this.process;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
