package io.ivs.core.onhand;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.LatestObservationWins.Cell;
import io.ivs.core.onhand.LatestObservationWins.Winner;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

class LatestObservationWinsTest {
    private static final Instant RECEIVED = Instant.parse("2022-02-01T10:00:00Z");
    private static final MeasureRef COUNTED = new MeasureRef("pos", "counted");
    private static final MeasureRef DAMAGED = new MeasureRef("pos", "damaged");
    private static final RecordKey SHIRT = new RecordKey(
            EnvironmentId.of("env"), "usmf", "T-shirt", DimensionSet.of(Map.of("siteid", "1")));

    private static ResolvedChange set(
            String eventId, @Nullable String at, MeasureRef measure, String quantity) {
        TreeMap<MeasureRef, BigDecimal> quantities = new TreeMap<>();
        quantities.put(measure, new BigDecimal(quantity));
        return new ResolvedChange(
                EventId.of(eventId),
                SHIRT,
                "usmf~1~",
                quantities,
                at == null ? null : Instant.parse(at));
    }

    private static Set<Cell> cellsOf(List<Winner> winners) {
        return Set.copyOf(winners.stream().map(Winner::cell).toList());
    }

    @Test
    void of_laterObservationFirstInBatch_keepsItAndTellsTheEarlierOneItIsStale() {
        LatestObservationWins rule = LatestObservationWins.of(
                List.of(
                        set("late", "2022-02-01T09:00:00Z", COUNTED, "7"),
                        set("early", "2022-02-01T08:00:00Z", COUNTED, "5")),
                RECEIVED);

        assertThat(rule.winners()).singleElement().satisfies(w -> {
            assertThat(w.quantity()).isEqualByComparingTo("7");
            assertThat(w.observedAt()).isEqualTo(Instant.parse("2022-02-01T09:00:00Z"));
        });
        assertThat(rule.staleMessages(cellsOf(rule.winners())))
                .containsExactly(Map.entry(
                        EventId.of("early"),
                        "stale: pos.counted was set from a later observation and is unchanged"));
    }

    @Test
    void of_equalTimes_laterInTheBatchWinsAndNobodyIsStale() {
        LatestObservationWins rule = LatestObservationWins.of(
                List.of(set("a", null, COUNTED, "1"), set("b", null, COUNTED, "2")), RECEIVED);

        assertThat(rule.winners()).singleElement().satisfies(w -> {
            assertThat(w.quantity()).isEqualByComparingTo("2");
            assertThat(w.observedAt()).isEqualTo(RECEIVED);
        });
        assertThat(rule.staleMessages(cellsOf(rule.winners()))).isEmpty();
    }

    @Test
    void staleMessages_cellNotWritten_tellsEveryObservationOfItOnePerMeasure() {
        TreeMap<MeasureRef, BigDecimal> both = new TreeMap<>();
        both.put(COUNTED, BigDecimal.ONE);
        both.put(DAMAGED, BigDecimal.TEN);
        LatestObservationWins rule = LatestObservationWins.of(
                List.of(new ResolvedChange(
                        EventId.of("e1"),
                        SHIRT,
                        "usmf~1~",
                        both,
                        Instant.parse("2022-01-01T00:00:00Z"))),
                RECEIVED);

        Map<EventId, String> messages = rule.staleMessages(Set.of());

        assertThat(messages)
                .containsExactly(Map.entry(
                        EventId.of("e1"),
                        "stale: pos.counted was set from a later observation and is unchanged;"
                                + " stale: pos.damaged was set from a later observation and is"
                                + " unchanged"));
    }

    @Test
    void staleMessages_cellWritten_noMessageForTheWinner() {
        LatestObservationWins rule = LatestObservationWins.of(
                List.of(set("e1", "2022-01-01T00:00:00Z", COUNTED, "3")), RECEIVED);

        assertThat(rule.staleMessages(cellsOf(rule.winners()))).isEmpty();
    }
}
