package io.ivs.bench;

import org.jspecify.annotations.Nullable;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The command line of the bench. */
record Arguments(Options options, Set<String> parts, List<String> serverJavaOptions) {
    static final String USAGE = """
            Usage: bin/ivs bench [--quick | --full] [options]
              --quick            small sizes and short windows, a couple of minutes (default)
              --full             the sizes docs/performance.md reports (about 15 minutes)
              --only PARTS       comma-separated subset of:
                                 ingest,reservations,holds,mixed,feed,signin,scale,products
              --jfr              record the servers with Java Flight Recorder (into the results)
              --server-jar FILE  default: ivs-server/target/ivs-server.jar
              --server-java-option OPT
                                 a JVM option for the servers the bench starts (repeatable;
                                 e.g. -XX:+UseZGC to compare collectors)
              --results DIR      default: ivs-bench/results
              --data-dir DIR     default: a new folder under the temp directory
              --keep-data        keep the data directory afterwards
            """;

    boolean runs(Set<String> any) {
        return any.stream().anyMatch(parts::contains);
    }

    /** The parsed arguments, or null when help was asked for. */
    static @Nullable Arguments parse(String[] args) throws Exception {
        boolean full = false;
        boolean keep = false;
        boolean jfr = false;
        Path serverJar = null;
        Path results = Path.of("ivs-bench", "results");
        Path dataDir = null;
        Set<String> parts = new LinkedHashSet<>(BenchMain.PARTS);
        List<String> serverJavaOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> full = false;
                case "--full" -> full = true;
                case "--jfr" -> jfr = true;
                case "--keep-data" -> keep = true;
                case "--server-jar" -> serverJar = Path.of(value(args, ++i));
                case "--server-java-option" -> serverJavaOptions.add(value(args, ++i));
                case "--results" -> results = Path.of(value(args, ++i));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--only" -> parts = parts(value(args, ++i));
                case "-h", "--help", "help" -> {
                    return null;
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown option '" + args[i] + "'\n" + USAGE);
            }
        }
        Path jar = serverJar != null ? serverJar : defaultServerJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    "no server jar at " + jar + "; build it with ./mvnw -B -q -DskipTests package");
        }
        Path data = dataDir != null ? dataDir : Files.createTempDirectory("ivs-bench-");
        Options options = full
                ? Options.full(jar, results, data.toAbsolutePath(), keep, jfr)
                : Options.quick(jar, results, data.toAbsolutePath(), keep, jfr);
        return new Arguments(options, parts, List.copyOf(serverJavaOptions));
    }

    static Set<String> parts(String list) {
        Set<String> parts = new LinkedHashSet<>(Arrays.asList(list.split(",")));
        for (String part : parts) {
            if (!BenchMain.PARTS.contains(part)) {
                throw new IllegalArgumentException(
                        "unknown part '" + part + "'; choose from " + BenchMain.PARTS);
            }
        }
        return parts;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Next to this jar's module when run from a checkout, else relative to here. */
    private static Path defaultServerJar() throws URISyntaxException {
        Path relative = Path.of("ivs-server", "target", "ivs-server.jar");
        if (Files.isRegularFile(relative)) {
            return relative.toAbsolutePath();
        }
        Path self = Path.of(BenchMain.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        for (Path dir = self.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return relative.toAbsolutePath();
    }
}
