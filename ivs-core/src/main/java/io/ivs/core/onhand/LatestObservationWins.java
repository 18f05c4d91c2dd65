package io.ivs.core.onhand;

import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Set on-hand's rule (spec A5): per record and measure the latest observation wins, within a
 * batch and against what is stored, and every set that lost to a later observation is told so.
 * The store writes the batch's winners only where no later observation is stored (a conditional
 * upsert, which keeps concurrent sets safe) and reports which cells it overwrote.
 */
public final class LatestObservationWins {
    /** One stored value: a measure of a record. */
    public record Cell(UUID productKey, String recordKey, String measure) {}

    /** The value the batch sets on one cell: the quantity of its latest observation. */
    public record Winner(
            RecordKey record, MeasureRef measure, BigDecimal quantity, Instant observedAt) {
        public Cell cell() {
            return new Cell(record.productKey(), record.dimensions().key(), measure.qualified());
        }
    }

    private record Observation(EventId eventId, Instant observedAt) {}

    /** Keyed by product, record and measure as text: the order writers lock rows in. */
    private final TreeMap<String, Winner> winners = new TreeMap<>();

    private final Map<String, List<Observation>> observations = new HashMap<>();

    private LatestObservationWins() {}

    /**
     * The winners of a batch of sets; of equally timed observations the later in the batch wins.
     *
     * @param receivedAt the observation time of sets that carry none: when the server got them
     */
    public static LatestObservationWins of(List<ResolvedChange> sets, Instant receivedAt) {
        LatestObservationWins rule = new LatestObservationWins();
        for (ResolvedChange set : sets) {
            Instant at = set.modifiedAt() == null ? receivedAt : set.modifiedAt();
            set.quantities()
                    .forEach((measure, quantity) -> rule.observe(set, measure, quantity, at));
        }
        return rule;
    }

    private void observe(ResolvedChange set, MeasureRef measure, BigDecimal quantity, Instant at) {
        String key = set.record().productKey() + "\u0000"
                + set.record().dimensions().key() + '\u0000' + measure.qualified();
        Winner winner = winners.get(key);
        if (winner == null || !winner.observedAt().isAfter(at)) {
            winners.put(key, new Winner(set.record(), measure, quantity, at));
        }
        observations
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Observation(set.eventId(), at));
    }

    /** The values to write, one per cell, sorted by product, record and measure. */
    public List<Winner> winners() {
        return List.copyOf(winners.values());
    }

    /**
     * A message per event id that lost somewhere: to a later observation of the batch, or to a
     * later one already stored (its cell is not among {@code written}). In cell order, one
     * clause per lost measure.
     */
    public Map<EventId, String> staleMessages(Set<Cell> written) {
        Map<EventId, String> messages = new LinkedHashMap<>();
        winners.forEach((key, winner) -> {
            boolean stored = written.contains(winner.cell());
            for (Observation observation : observations.getOrDefault(key, List.of())) {
                if (!stored || observation.observedAt().isBefore(winner.observedAt())) {
                    messages.merge(
                            observation.eventId(),
                            "stale: " + winner.measure().qualified() + " was set from a"
                                    + " later observation and is unchanged",
                            (a, b) -> a + "; " + b);
                }
            }
        });
        return messages;
    }
}
