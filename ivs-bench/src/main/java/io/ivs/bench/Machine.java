package io.ivs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the numbers were measured on. */
record Machine(int cores, double memoryGiB, String cpu, String os, String jdk, String postgres) {

    static Machine describeThis(String postgresVersion) {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                memTotalKiB() / 1024.0 / 1024.0,
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
                        + " " + System.getProperty("java.runtime.version"),
                postgresVersion);
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "%d cores (%s), %.1f GiB memory, %s; JDK %s; PostgreSQL %s",
                cores,
                cpu,
                memoryGiB,
                os,
                jdk,
                postgres);
    }

    private static long memTotalKiB() {
        return firstField(Path.of("/proc/meminfo"), "MemTotal:")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")))
                .orElse(Runtime.getRuntime().maxMemory() / 1024);
    }

    private static String cpuModel() {
        return firstField(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    private static java.util.Optional<String> firstField(Path file, String prefix) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream()
                    .filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
