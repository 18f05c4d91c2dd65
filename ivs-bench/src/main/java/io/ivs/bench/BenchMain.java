package io.ivs.bench;

import io.ivs.bench.SignInFloodScenario.Flood;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code java -jar ivs-bench.jar [--quick|--full] [options]}: starts IVS from its jar on a fresh
 * data directory, runs the scenarios beside their ceilings, and prints and saves the results.
 */
public final class BenchMain {
    static final Set<String> PARTS = Set.of(
            "ingest", "reservations", "holds", "mixed", "feed", "signin", "scale", "products");
    static final String LIMITS_OFF = "-Divs.security.sign-in-limits.enabled=false";

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Arguments parsed = Arguments.parse(args);
        if (parsed == null) {
            System.out.println(Arguments.USAGE);
            return;
        }
        Options options = parsed.options();
        String command = "bin/ivs bench " + String.join(" ", args);
        Files.createDirectories(options.dataDir());
        Files.setPosixFilePermissions(
                options.dataDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        System.out.println("bench: " + options.mode() + " mode; data in " + options.dataDir());
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Report report = null;
        try {
            if (parsed.runs(Set.of("ingest", "reservations", "holds", "mixed", "feed", "signin"))) {
                try (Target target = start(options, "main", secret, parsed.serverJavaOptions())) {
                    report = newReport(options, command, target);
                    createCeilingSchemas(options, target);
                    target.enableReservations();
                    long warmed = WarmUp.everything(target, options.jitWarmUp());
                    report.note("Warm-up: " + warmed + " requests of every kind (bulk, single"
                            + " events, checked reservations, queries) in "
                            + options.jitWarmUp().toSeconds()
                            + " s on products of their own, before the first scenario.");
                    if (parsed.runs(Set.of("ingest"))) {
                        new WriteScenarios(options, target, report).run();
                    }
                    if (parsed.runs(Set.of("reservations"))) {
                        new ReservationScenarios(options, target, report).run();
                    }
                    if (parsed.runs(Set.of("holds"))) {
                        new HoldExpiryScenario(target, report).run();
                    }
                    if (parsed.runs(Set.of("mixed"))) {
                        new MixedScenario(options, target, report).run();
                    }
                    if (parsed.runs(Set.of("feed"))) {
                        new FeedScenario(options, target, report).run();
                    }
                    if (parsed.runs(Set.of("signin"))) {
                        new SignInFloodScenario(options, target, report, Row.IVS, true)
                                .run(List.of(Flood.NONE, Flood.ONE_ADDRESS, Flood.MANY_ADDRESSES));
                    }
                }
            }
            if (parsed.runs(Set.of("signin")) && report != null) {
                // The same floods on a server without sign-in limits: what they cost before.
                try (Target target = start(
                        options,
                        "signin-off",
                        secret,
                        with(parsed.serverJavaOptions(), LIMITS_OFF))) {
                    // The warm-up reserves, as on the main server.
                    target.enableReservations();
                    WarmUp.everything(target, options.jitWarmUp());
                    new SignInFloodScenario(options, target, report, Row.IVS_LIMITS_OFF, false)
                            .run(List.of(Flood.NONE, Flood.ONE_ADDRESS));
                }
            }
            if (parsed.runs(Set.of("scale"))) {
                // A fresh server, so each level holds exactly the records it names.
                try (Target target = start(options, "scale", secret, parsed.serverJavaOptions())) {
                    if (report == null) {
                        report = newReport(options, command, target);
                    }
                    new ScaleScenarios(options, target, report).run();
                }
            }
            if (parsed.runs(Set.of("products"))) {
                // A fresh server: the catalogue and its stock are the only data.
                try (Target target =
                        start(options, "products", secret, parsed.serverJavaOptions())) {
                    if (report == null) {
                        report = newReport(options, command, target);
                    }
                    new ProductSearchScenario(options, target, report).run();
                }
            }
        } finally {
            if (!options.keepData()) {
                deleteTree(options.dataDir());
            }
        }
        if (report == null) {
            return;
        }
        addIngestTarget(report);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String markdown = report.markdown();
        System.out.println();
        System.out.println(markdown);
        Path json = report.writeJson(options.resultsDir(), stamp + "-" + options.mode() + ".json");
        Files.writeString(
                options.resultsDir().resolve(stamp + "-" + options.mode() + ".md"), markdown);
        System.out.println("bench: results written to " + json);
    }

    private static List<String> with(List<String> options, String option) {
        List<String> all = new ArrayList<>(options);
        all.add(option);
        return all;
    }

    private static Target start(
            Options options, String part, String secret, List<String> jvmOptions) throws Exception {
        Path dir = options.dataDir().resolve(part);
        Files.createDirectories(dir);
        Path jfr = options.jfr() ? options.resultsDir().resolve("ivs-" + part + ".jfr") : null;
        if (jfr != null) {
            Files.createDirectories(options.resultsDir());
            System.out.println("bench: flight recording to " + jfr.toAbsolutePath());
        }
        System.out.println("bench: starting IVS (" + part + ") from " + options.serverJar());
        ServerProcess server = ServerProcess.start(
                options.serverJar(),
                dir,
                Target.ENVIRONMENT,
                secret,
                jfr == null ? null : jfr.toAbsolutePath(),
                jvmOptions);
        try {
            return new Target(server, secret);
        } catch (Exception | Error e) {
            System.err.println(server.logTail(40));
            server.close();
            throw e;
        }
    }

    private static Report newReport(Options options, String command, Target target)
            throws SQLException {
        return new Report(Machine.describeThis(target.postgresVersion()), options.mode(), command);
    }

    /**
     * The write path's targets: against the reference schema (the least work any service must
     * do), bulk ingest at 1.0 times and single events at 0.6 times; against the same work, bulk
     * ingest at 0.8 times (what IVS adds above its own SQL).
     */
    private static void addIngestTarget(Report report) {
        for (Report.Ratio ratio : report.ratiosView()) {
            double goal = ingestGoal(ratio);
            if (goal > 0) {
                report.target(new Report.Target(
                        ratio.scenario() + " >= " + Stats.fixed(goal, 1) + " x the "
                                + ratio.ceiling().replace("ceiling: ", "") + " ceiling",
                        Stats.fixed(ratio.value(), 2) + " x",
                        ratio.value() >= goal ? "met" : "NOT met"));
            }
        }
    }

    private static double ingestGoal(Report.Ratio ratio) {
        return switch (ratio.scenario() + " / " + ratio.ceiling()) {
            case "bulk ingest / " + Row.REFERENCE -> 1.0;
            case "single-event ingest / " + Row.REFERENCE -> 0.6;
            case "bulk ingest / " + Row.SAME_WORK -> 0.8;
            default -> 0;
        };
    }

    /**
     * The same-work ceiling gets IVS's own tables, made by IVS's own migrations (read from the
     * server jar), in a schema of its own; the reference ceiling gets its minimal tables.
     */
    private static void createCeilingSchemas(Options options, Target target) throws Exception {
        List<String> scripts = migrations(options.serverJar());
        try (Connection con = target.connect(null);
                Statement st = con.createStatement()) {
            st.execute("create schema " + SameWorkCeiling.SCHEMA);
            // public stays on the path for the extensions the migrations use (pg_trgm's
            // operator classes), which live where IVS's own migration created them.
            st.execute("set search_path = " + SameWorkCeiling.SCHEMA + ", public");
            // The ceilings measure one PostgreSQL, also when IVS runs on Citus: their tables
            // stay local (the placeholder Flyway fills from ivs.database.citus).
            for (String script : scripts) {
                st.execute(script.replace("${citus}", "false"));
            }
            st.execute("set search_path = public");
            ReferenceCeiling.createSchema(con);
        }
    }

    static List<String> migrations(Path serverJar) throws IOException {
        List<String> scripts = new ArrayList<>();
        try (JarFile jar = new JarFile(serverJar.toFile())) {
            List<JarEntry> entries = jar.stream()
                    .filter(e -> e.getName().matches(".*db/migration/V[0-9]+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(BenchMain::migrationVersion))
                    .toList();
            for (JarEntry entry : entries) {
                try (InputStream in = jar.getInputStream(entry)) {
                    scripts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        if (scripts.isEmpty()) {
            throw new IllegalStateException("no migrations found in " + serverJar);
        }
        return scripts;
    }

    static int migrationVersion(JarEntry entry) {
        String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 2);
        return Integer.parseInt(name.substring(0, name.indexOf("__")));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
