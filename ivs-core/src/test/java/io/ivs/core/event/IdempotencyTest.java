package io.ivs.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.event.Idempotency.Event;
import io.ivs.core.event.ProcessedEvents.Stored;
import io.ivs.core.event.WriteOutcome.Status;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

class IdempotencyTest {
    private static final String CONFLICT =
            "event id 'e1' was already used for a different event; use a new id for a new event";

    @Test
    void decide_idNeverStored_isFresh() {
        Verdict<String> verdict = Idempotency.decide(EventId.of("e1"), "fp", null);

        assertThat(verdict).isInstanceOf(Verdict.Fresh.class);
    }

    @Test
    void decide_sameFingerprint_replaysTheStoredAnswer() {
        Verdict<String> verdict =
                Idempotency.decide(EventId.of("e1"), "fp", new Stored<>("fp", "answer"));

        assertThat(verdict).isEqualTo(new Verdict.Replay<>("answer"));
    }

    @Test
    void decide_otherFingerprint_isAConflictNamingTheId() {
        Verdict<String> verdict =
                Idempotency.decide(EventId.of("e1"), "fp", new Stored<>("other", "answer"));

        assertThat(verdict).isEqualTo(new Verdict.Conflict<>(CONFLICT));
    }

    @Test
    void conflict_idTakenMeanwhile_hasTheOneConflictMessage() {
        assertThat(Idempotency.conflict(EventId.of("e1")).message()).isEqualTo(CONFLICT);
        assertThat(Idempotency.conflictMessage(EventId.of("e1"))).isEqualTo(CONFLICT);
    }

    @Test
    void firstFingerprints_repeatedIds_keepTheFirstInFirstOrder() {
        Map<EventId, String> first = Idempotency.firstFingerprints(List.of(
                new Event(EventId.of("b"), "1"),
                new Event(EventId.of("a"), "2"),
                new Event(EventId.of("b"), "3")));

        assertThat(first)
                .containsExactly(Map.entry(EventId.of("b"), "1"), Map.entry(EventId.of("a"), "2"));
    }

    @Test
    void outcomes_claimedIdRepeatedWithSameContent_appliedThenDuplicateWithItsMessage() {
        List<WriteOutcome> outcomes = Idempotency.outcomes(
                List.of(new Event(EventId.of("e1"), "fp"), new Event(EventId.of("e1"), "fp")),
                Set.of(EventId.of("e1")),
                Map.of(),
                Map.of(EventId.of("e1"), "stale: x"));

        assertThat(outcomes)
                .containsExactly(
                        new WriteOutcome(EventId.of("e1"), Status.APPLIED, "stale: x"),
                        new WriteOutcome(EventId.of("e1"), Status.DUPLICATE, "stale: x"));
    }

    @Test
    void outcomes_claimedIdRepeatedWithOtherContent_appliedThenConflict() {
        List<WriteOutcome> outcomes = Idempotency.outcomes(
                List.of(new Event(EventId.of("e1"), "fp"), new Event(EventId.of("e1"), "other")),
                Set.of(EventId.of("e1")),
                Map.of(),
                Map.of());

        assertThat(outcomes)
                .containsExactly(
                        new WriteOutcome(EventId.of("e1"), Status.APPLIED, ""),
                        new WriteOutcome(EventId.of("e1"), Status.CONFLICT, CONFLICT));
    }

    @Test
    void outcomes_idStoredByAnEarlierRequest_duplicateOrConflictByContent() {
        List<WriteOutcome> outcomes = Idempotency.outcomes(
                List.of(
                        new Event(EventId.of("e1"), "fp"),
                        new Event(EventId.of("e2"), "new"),
                        new Event(EventId.of("e1"), "x")),
                Set.of(EventId.of("e2")),
                Map.of(EventId.of("e1"), new Stored<>("fp", "earlier")),
                Map.of());

        assertThat(outcomes)
                .containsExactly(
                        new WriteOutcome(EventId.of("e1"), Status.DUPLICATE, "earlier"),
                        new WriteOutcome(EventId.of("e2"), Status.APPLIED, ""),
                        new WriteOutcome(EventId.of("e1"), Status.CONFLICT, CONFLICT));
    }

    /** Retention or a clean-up deleted the row between claim and read: the id was taken. */
    @Test
    void outcomes_unclaimedIdWithoutStoredRow_isAConflict() {
        List<WriteOutcome> outcomes = Idempotency.outcomes(
                List.of(new Event(EventId.of("e1"), "fp")), Set.of(), Map.of(), Map.of());

        assertThat(outcomes)
                .containsExactly(new WriteOutcome(EventId.of("e1"), Status.CONFLICT, CONFLICT));
    }
}
