package io.ivs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/ivs clients|keys|export} as an operator types them: the script finds the JDK and
 * hands the command to the CLI, whose output and exit code come back unchanged, and a relative
 * {@code --out} is the caller's. The jar does not exist yet when tests run, so the script runs
 * the CLI from its compiled classes ({@code IVS_CLI_CLASSPATH}). Needs bash.
 */
class LauncherIntegrationTest {
    private Path script;
    private TestIvs server;

    @BeforeEach
    void find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("bin/ivs"))) {
            dir = dir.getParent();
        }
        assumeTrue(dir != null, "bin/ivs not found above the working directory");
        assumeTrue(onPath("bash"), "bash is needed");
        script = dir.resolve("bin/ivs");
        server = TestIvs.get();
    }

    private record Run(int exit, String out, String err) {}

    private Run ivs(Path directory, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("IVS_"));
        builder.environment().put("IVS_CLI_CLASSPATH", cliClasspath());
        builder.environment().putAll(environment);
        builder.redirectErrorStream(false);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    @Test
    void keysAndClients_passOutputAndExitCodesThrough() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Map<String, String> wrong =
                Map.of("IVS_ADMIN_CLIENT_ID", TestIvs.ADMIN_ID, "IVS_ADMIN_CLIENT_SECRET", "no");

        Run keys = ivs(here, TestIvs.ADMIN, "keys", "list", "--url", server.url());
        Run refused = ivs(here, wrong, "clients", "list", "--url", server.url());
        Run usage = ivs(here, TestIvs.ADMIN, "clients", "create", "--roles", "inventory.read");
        Run unreachable =
                ivs(here, TestIvs.ADMIN, "keys", "list", "--url", TestIvs.unreachableUrl());

        assertThat(keys.exit()).as(keys.err()).isZero();
        assertThat(keys.out()).contains("\"status\":\"signing\"");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("(401)", "client authentication failed");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("--environments");
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach");
    }

    @Test
    void export_relativeOut_isWrittenInTheCallersDirectory() throws Exception {
        String env = server.newEnvironment();
        Path dir = TestIvs.tempDir("ivs-launcher-");
        Map<String, String> reader = Map.of(
                "IVS_CLIENT_ID", TestIvs.ADMIN_ID,
                "IVS_CLIENT_SECRET", TestIvs.ADMIN_SECRET,
                "IVS_URL", server.url());
        try {
            Run export = ivs(
                    dir,
                    reader,
                    "export",
                    "--environment",
                    env,
                    "--format",
                    "csv",
                    "--out",
                    "summary.csv");

            assertThat(export.exit()).as(export.err()).isZero();
            assertThat(export.err()).contains("(0 rows)");
            assertThat(Files.readAllBytes(dir.resolve("summary.csv")))
                    .isEqualTo(server.served(env, "csv"));
        } finally {
            Files.deleteIfExists(dir.resolve("summary.csv"));
            Files.delete(dir);
        }
    }

    /** The CLI's classes and the libraries it needs, as the shaded jar would hold them. */
    private static String cliClasspath() {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(
                IvsCli.class,
                io.ivs.core.InvalidInputException.class,
                picocli.CommandLine.class,
                tools.jackson.databind.json.JsonMapper.class,
                tools.jackson.core.JsonParser.class,
                com.fasterxml.jackson.annotation.JsonProperty.class,
                org.jspecify.annotations.NullMarked.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
