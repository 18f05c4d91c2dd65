package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

class LineDiffTest {
    @Test
    void of_equalTexts_isEmpty() {
        assertThat(LineDiff.of("a\nb\n", "a\nb\n")).isEmpty();
    }

    @Test
    void of_oneLineChanged_showsRemovedAndAddedWithLineNumbers() {
        List<LineDiff.Line> diff = LineDiff.of("a\nb\nc", "a\nB\nc");

        assertThat(diff)
                .containsExactly(
                        new LineDiff.Line(LineDiff.Kind.SAME, 1, 1, "a"),
                        new LineDiff.Line(LineDiff.Kind.REMOVED, 2, 0, "b"),
                        new LineDiff.Line(LineDiff.Kind.ADDED, 0, 2, "B"),
                        new LineDiff.Line(LineDiff.Kind.SAME, 3, 3, "c"));
    }

    @Test
    void of_changeFarFromOthers_keepsThreeLinesOfContextAndMarksGaps() {
        String before = IntStream.rangeClosed(1, 20)
                .mapToObj(i -> "l" + i)
                .collect(Collectors.joining("\n"));
        String after = before.replace("l10", "ten");

        List<LineDiff.Line> diff = LineDiff.of(before, after);

        assertThat(diff.getFirst().kind()).isEqualTo(LineDiff.Kind.GAP);
        assertThat(diff.getLast().kind()).isEqualTo(LineDiff.Kind.GAP);
        assertThat(diff.stream()
                        .filter(l -> l.kind() == LineDiff.Kind.SAME)
                        .map(LineDiff.Line::text))
                .containsExactly("l7", "l8", "l9", "l11", "l12", "l13");
    }

    @Test
    void of_linesInserted_areOnlyAdditions() {
        List<LineDiff.Line> diff = LineDiff.of("a\nc", "a\nb\nc");

        assertThat(diff.stream().filter(l -> l.kind() != LineDiff.Kind.SAME))
                .containsExactly(new LineDiff.Line(LineDiff.Kind.ADDED, 0, 2, "b"));
    }
}
