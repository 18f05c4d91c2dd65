package io.ivs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TypeScript client that the build generates (typescript-fetch) type-checks with tsc. The
 * check needs Node.js and a TypeScript compiler that npx can fetch; without npx on the path it
 * is skipped, and says so.
 */
class TypeScriptClientTest {
    private static final Path CLIENT = Path.of("target/generated-sources/typescript");
    private static final String TYPESCRIPT = "typescript@5";

    @Test
    void generatedTypeScriptClient_typeChecks() throws IOException, InterruptedException {
        assertThat(CLIENT.resolve("src/apis/ReservationsApi.ts")).exists();
        assumeTrue(onPath("npx"), "npx is not installed: the TypeScript client is not checked");
        Path log = Files.createTempFile("tsc-", ".log");
        Process tsc = new ProcessBuilder(List.of(
                        "npx",
                        "--yes",
                        "-p",
                        TYPESCRIPT,
                        "tsc",
                        "--noEmit",
                        "-p",
                        CLIENT.resolve("tsconfig.json").toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(tsc.waitFor(5, TimeUnit.MINUTES)).as("tsc finished in time").isTrue();
        assertThat(tsc.exitValue())
                .as("tsc: %s", Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null
                && List.of(path.split(java.io.File.pathSeparator)).stream()
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
