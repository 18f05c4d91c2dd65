package io.ivs.bench;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results of one run: Markdown tables for people and a JSON document for tools. */
final class Report {
    /** IVS against a ceiling: how much of what PostgreSQL could do, IVS does. */
    record Ratio(String scenario, String ceiling, double ivs, double ceilingValue, String unit) {
        double value() {
            return Stats.ratio(ivs, ceilingValue);
        }
    }

    /** A performance target of the project and whether this run reached it. */
    record Target(String goal, String measured, String verdict) {}

    private final Machine machine;
    private final String mode;
    private final String command;
    private final List<Row> rows = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Report(Machine machine, String mode, String command) {
        this.machine = machine;
        this.mode = mode;
        this.command = command;
    }

    void add(Row row) {
        rows.add(row);
        System.out.println("bench: " + markdownRow(row));
    }

    /** Adds a ratio and prints it at once: the reference schema's is the headline figure. */
    void ratio(Ratio ratio) {
        ratios.add(ratio);
        System.out.println("bench: ratio: " + ratio.scenario() + ", IVS / " + ratio.ceiling()
                + " = " + Stats.fixed(ratio.value(), 2));
    }

    void target(Target target) {
        targets.add(target);
    }

    /** A fact about how the run was made, printed under the machine. */
    void note(String line) {
        notes.add(line);
        System.out.println("bench: " + line);
    }

    void check(String line) {
        checks.add(line);
        System.out.println("bench: check: " + line);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    List<Ratio> ratiosView() {
        return List.copyOf(ratios);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("### IVS bench — ").append(mode).append(" mode\n\n");
        out.append("Command: `").append(command).append("`  \n");
        out.append("Machine: ").append(machine.describe()).append("  \n");
        notes.forEach(n -> out.append(n).append("  \n"));
        out.append('\n');
        if (!ratios.isEmpty()) {
            out.append("| scenario | ceiling | IVS | ceiling | IVS / ceiling |\n");
            out.append("|---|---|--:|--:|--:|\n");
            for (Ratio r : headlineFirst()) {
                out.append("| ")
                        .append(r.scenario())
                        .append(" | ")
                        .append(r.ceiling())
                        .append(" | ")
                        .append(Stats.number(r.ivs()))
                        .append(' ')
                        .append(r.unit())
                        .append(" | ")
                        .append(Stats.number(r.ceilingValue()))
                        .append(' ')
                        .append(r.unit())
                        .append(" | ")
                        .append(Stats.fixed(r.value(), 2))
                        .append(" |\n");
            }
            out.append('\n');
        }
        out.append("| scenario | system | clients | req/s | items/s | p50 ms | p99 ms | p99.9 ms"
                + " | requests | rejected | errors | note |\n");
        out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (Row row : rows) {
            out.append(markdownRow(row)).append('\n');
        }
        if (!targets.isEmpty()) {
            out.append("\n| target | measured | verdict |\n|---|---|---|\n");
            for (Target t : targets) {
                out.append("| ").append(t.goal()).append(" | ").append(t.measured());
                out.append(" | ").append(t.verdict()).append(" |\n");
            }
        }
        if (!checks.isEmpty()) {
            out.append("\nChecks:\n");
            checks.forEach(c -> out.append("- ").append(c).append('\n'));
        }
        return out.toString();
    }

    /**
     * The ratios with the reference schema's first: what PostgreSQL can do for the least work
     * any service must do is the figure IVS is judged by; the same-work ratio follows.
     */
    List<Ratio> headlineFirst() {
        List<Ratio> sorted = new ArrayList<>(ratios);
        sorted.sort(Comparator.comparing(r -> !r.ceiling().equals(Row.REFERENCE)));
        return sorted;
    }

    static String markdownRow(Row row) {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %d | %s | %s | %s | %s | %s | %d | %d | %d | %s |",
                row.scenario(),
                row.system(),
                row.clients(),
                Stats.number(row.requestsPerSecond()),
                Stats.number(row.itemsPerSecond()),
                Stats.fixed(row.p50Millis(), 2),
                Stats.fixed(row.p99Millis(), 2),
                Stats.fixed(row.p999Millis(), 2),
                row.requests(),
                row.rejected(),
                row.errors(),
                row.note());
    }

    /** Writes the JSON document next to the others, atomically (a temp file, then a move). */
    Path writeJson(Path directory, String fileName) throws IOException {
        Files.createDirectories(directory);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mode", mode);
        doc.put("command", command);
        doc.put("machine", machine);
        doc.put("rows", rows);
        List<Map<String, Object>> ratioDocs = new ArrayList<>();
        for (Ratio r : headlineFirst()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.scenario());
            m.put("ceiling", r.ceiling());
            m.put("ivs", r.ivs());
            m.put("ceilingValue", r.ceilingValue());
            m.put("unit", r.unit());
            m.put("ratio", r.value());
            ratioDocs.add(m);
        }
        doc.put("ratios", ratioDocs);
        doc.put("targets", targets);
        doc.put("checks", checks);
        JsonMapper json =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Path target = directory.resolve(fileName);
        Path temp = directory.resolve(fileName + ".tmp");
        Files.writeString(temp, json.writeValueAsString(doc));
        Files.move(
                temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
