package io.ivs.cli;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code ivs}: the root command. The process environment is given to it rather than read by the
 * commands, so tests run them in-process with the environment they choose.
 */
@Command(
        name = "ivs",
        mixinStandardHelpOptions = true,
        versionProvider = IvsCli.Version.class,
        subcommands = {
            ClientsCommand.class,
            KeysCommand.class,
            ExportCommand.class,
            ImportCommand.class
        },
        description = "Calls a running IVS: API clients, signing keys, exports, imports.",
        footer = {
            "",
            "The server is --url URL, else $IVS_URL, else http://localhost:PORT with PORT",
            "from $IVS_PORT (default 8080).",
            "",
            "Exit codes:",
            "  0  done",
            "  1  refused: the server answered 4xx (its message is printed),",
            "     the output file cannot be written, or an import refused rows",
            "  2  usage error: bad options or missing credentials",
            "  3  the server cannot be reached, answered 5xx, or a download broke off;",
            "     a retry may succeed"
        })
public final class IvsCli {
    private final Map<String, String> environment;

    @Option(
            names = "--url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description =
                    "The IVS server (default: $IVS_URL, else localhost at $IVS_PORT or" + " 8080).")
    @Nullable
    String url;

    IvsCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line as {@code main} runs it, with this process environment. */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new IvsCli(environment));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(IvsCli::failed);
        return commandLine;
    }

    private static int failed(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed)
            throws Exception {
        if (e instanceof CliFailure failure) {
            PrintWriter err = commandLine.getErr();
            err.println("ivs: " + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        throw e;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** The API of the server named by {@code --url}, {@code IVS_URL} or {@code IVS_PORT}. */
    IvsApi api() {
        String chosen = url;
        if (chosen == null || chosen.isBlank()) {
            chosen = environment.get("IVS_URL");
        }
        if (chosen == null || chosen.isBlank()) {
            String port = environment.getOrDefault("IVS_PORT", "");
            chosen = "http://localhost:" + (port.isBlank() ? "8080" : port);
        }
        return new IvsApi(chosen);
    }

    /** The version of the jar (its manifest), or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = IvsCli.class.getPackage().getImplementationVersion();
            return new String[] {"ivs " + (version == null ? "development" : version)};
        }
    }
}
