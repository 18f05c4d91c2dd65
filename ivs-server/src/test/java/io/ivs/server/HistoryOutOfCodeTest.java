package io.ivs.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Comments, user-facing strings and documentation cite reasons, dates and commits, never the
 * numbered rounds of work that produced them: a numbered work session, review round, sprint,
 * iteration, milestone, phase or issue means nothing to a reader who was not there and goes stale
 * as soon as the next one starts. This scans the Java sources of every module (main and test),
 * the text resources next to them, {@code docs/*.md} and {@code README.md}, and lists every line
 * that cites such a round as {@code file:line}.
 *
 * <p>Allowed, because they are no rounds of work: the phases of the CI script when written as "CI
 * phase N", web-console sessions, round trips and background-loop rounds, "issue" as an English
 * word, numbered spec steps, and links to other projects' issue trackers (a URL path such as
 * {@code issues/123} is a reason, not our history). The Flyway migrations are not scanned: a
 * landed migration is never edited, because Flyway checks its checksum, comments included.
 */
class HistoryOutOfCodeTest {
    private static final String NUMBER = "(?:#\\s*)?\\d+\\b";
    private static final String SPELLED = "(?:one|two|three|four|five|six|seven|eight|nine|ten)\\b";
    private static final String SEPARATOR = "[\\s_-]*";
    private static final String ROUNDS = "(?:sessions?|sprints?|iterations?|milestones?)";

    /** Each pattern is one way of citing a round of work; matched case-insensitively. */
    private static final List<Pattern> HISTORY = Stream.of(
                    // A numbered round in any spelling, including Markdown anchors built from it.
                    "\\b(?:sessions?|rounds?|sprints?|iterations?|milestones?|issues?|tickets?)"
                            + SEPARATOR + NUMBER,
                    "\\b" + ROUNDS + SEPARATOR + SPELLED,
                    // A numbered phase, unless it is a phase of the CI script.
                    "(?<!\\bci\\s)(?<!\\bci's\\s)\\bphases?" + SEPARATOR + "(?:" + NUMBER + "|"
                            + SPELLED + ")",
                    // A round named by its place in the sequence rather than by a number.
                    "\\b(?:previous|earlier|later|future|prior|follow-up)\\s+(?:" + ROUNDS
                            + "|issues?)\\b",
                    "\\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
                            + "|\\d+(?:st|nd|rd|th))\\s+" + ROUNDS + "\\b",
                    // The plural possessive of a session, and what one session produced.
                    "\\bsessions'",
                    "\\bsession's\\s+(?:final|jars?|work|changes|code|runs?"
                            + "|measurements?|profile)\\b")
            .map(regex -> Pattern.compile(regex, Pattern.CASE_INSENSITIVE))
            .toList();

    private static final Set<String> TEXT_RESOURCES =
            Set.of(".yml", ".yaml", ".properties", ".html");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules");

    @Test
    void sourcesAndDocs_citeNoRoundsOfWork() throws IOException {
        Path root = repositoryRoot();
        List<Path> files = scannedFiles(root);
        List<String> findings = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (citesHistory(lines.get(i))) {
                    findings.add(root.relativize(file) + ":" + (i + 1) + ": "
                            + lines.get(i).strip());
                }
            }
        }

        // The scan must have read the real tree, or it would pass by reading nothing.
        assertThat(files)
                .as("files scanned")
                .hasSizeGreaterThan(200)
                .contains(root.resolve("README.md"), root.resolve("docs/performance.md"));
        assertThat(findings)
                .as("lines that cite numbered rounds of work; cite the reason and a date or"
                        + " commit instead")
                .isEmpty();
    }

    @Test
    void citesHistory_numberedOrPlacedRounds_areFound() {
        // Written as templates so that this file does not cite what it looks for.
        List<String> cited = List.of(
                "see docs/performance.md, %s 5".formatted("session"),
                "%s5 measured it".formatted("Session"),
                "(docs/performance.md, %s 4 and 5)".formatted("sessions"),
                "found in %s 3 of the review".formatted("round"),
                "Crash safety (%s 6): a client".formatted("issue"),
                "Webhooks (%s #9, item 3)".formatted("issue"),
                "%s-22 asked for it".formatted("Issue"),
                "%s 2's shared database found it".formatted("phase"),
                "[newest](#%s-5-queries-from-one-table)".formatted("session"),
                "planned for %s 2".formatted("sprint"),
                "since %s 3".formatted("iteration"),
                "%s 1 scope".formatted("milestone"),
                "measured in %s five".formatted("session"),
                "earlier %s' work".formatted("sessions"),
                "this %s's final jars".formatted("session"),
                "the previous %s changes".formatted("session's"),
                "Soft reservations (a later %s)".formatted("issue"),
                "as in the third %s".formatted("session"));

        assertThat(cited)
                .allSatisfy(line -> assertThat(citesHistory(line)).as(line).isTrue());
    }

    @Test
    void citesHistory_ordinaryWords_areNotFound() {
        List<String> ordinary = List.of(
                "a known issue of the JDK client",
                "to work around this issue, the filter decodes first",
                "The session expires after an hour without use (spring.session.timeout).",
                "the client of this session is unknown or revoked",
                "Sessions are kept in PostgreSQL (Flyway V8), so any number of instances",
                "one round trip instead of four",
                "another instance's is seen next round",
                "At most one round per MIN_GAP however often new positions are handed out.",
                "for (int round = 0; round < 5; round++) {",
                "String context = \"round \" + round + \": OH \" + onHand;",
                "runs again against PostgreSQL 15 in CI phase 2",
                "Runs once per build (not in CI's PostgreSQL 15 phase)",
                "during IVS's single-event and reservation phases",
                "IV's exchange (spec §5.2 step 2): an assertion in, a token out",
                "if (issuer == null || issuer.isBlank()) {",
                "its tokens already issued keep working for their hour",
                "see https://github.com/spring-projects/spring-boot/issues/12345",
                "rounds now run on the 10 ms interval only",
                "results 20261206-155751, 2026-12-06, commit e8c3957");

        assertThat(ordinary)
                .allSatisfy(line -> assertThat(citesHistory(line)).as(line).isFalse());
    }

    static boolean citesHistory(String line) {
        return HISTORY.stream().anyMatch(pattern -> pattern.matcher(line).find());
    }

    /** The checkout's root: the first directory upwards that holds both docs/ and ivs-server/. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("docs"))
                    && Files.isDirectory(dir.resolve("ivs-server"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "no repository root above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> scannedFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName().toString();
                return SKIPPED_DIRECTORIES.contains(name)
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && isScanned(root.relativize(file))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    private static boolean isScanned(Path relative) {
        String path = relative.toString().replace('\\', '/');
        if (path.equals("README.md")) {
            return true;
        }
        if (path.startsWith("docs/") && path.endsWith(".md") && relative.getNameCount() == 2) {
            return true;
        }
        if (path.matches("[^/]+/src/(main|test)/java/.+\\.java")) {
            return true;
        }
        return path.matches("[^/]+/src/(main|test)/resources/.+")
                && !path.contains("/db/migration/")
                && TEXT_RESOURCES.stream().anyMatch(path::endsWith);
    }
}
