package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Option;

import java.util.Map;

/**
 * The options the commands that move a file share ({@code import}, {@code export}): its format,
 * the environment and the progress line, read the same way by both.
 */
final class FileOptions {
    enum Format {
        CSV,
        PARQUET
    }

    @Option(
            names = "--format",
            required = true,
            paramLabel = "csv|parquet",
            description = "The file format.")
    Format format = Format.CSV;

    @Option(
            names = "--environment",
            paramLabel = "ENV",
            description = "The environment (default: $IVS_ENVIRONMENT, else"
                    + " $IVS_DEFAULT_ENVIRONMENT).")
    @Nullable
    String environment;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show the progress line (default: when the console is a terminal).")
    @Nullable
    Boolean progress;

    boolean csv() {
        return format == Format.CSV;
    }

    /** --environment, else IVS_ENVIRONMENT, else IVS_DEFAULT_ENVIRONMENT; a usage error if none. */
    String environmentId(Map<String, String> variables, String command) {
        for (String candidate : new String[] {
            environment, variables.get("IVS_ENVIRONMENT"), variables.get("IVS_DEFAULT_ENVIRONMENT")
        }) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        throw CliFailure.usage(command + " needs --environment ENV (or IVS_ENVIRONMENT)");
    }

    /** --[no-]progress, else whether the console is a terminal. */
    boolean showProgress() {
        if (progress != null) {
            return progress;
        }
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }
}
