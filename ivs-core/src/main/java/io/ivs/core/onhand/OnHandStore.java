package io.ivs.core.onhand;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.WriteOutcome;

import java.time.Instant;
import java.util.List;

/** Durable on-hand records: idempotent writes and aggregating reads. */
public interface OnHandStore {
    /** Whether a write adds deltas (change) or overwrites values (set on-hand). */
    enum WriteKind {
        CHANGE,
        SET
    }

    /**
     * Applies the changes in one transaction, each at most once per event id: an id seen before
     * with the same content yields its original outcome; with other content, a conflict.
     * Outcomes are in the order of {@code changes}. Sets follow {@link
     * io.ivs.core.onhand.LatestObservationWins}.
     *
     * @param receivedAt when the server received the changes: the observation time of a set that
     *     carries none
     */
    List<WriteOutcome> apply(
            EnvironmentId environmentId,
            WriteKind kind,
            List<ResolvedChange> changes,
            Instant receivedAt);

    List<AggregatedRow> query(EnvironmentId environmentId, OnHandQuery query);

    List<String> partitionIds(EnvironmentId environmentId);

    /** Deletes every record of the listed partitions; answers how many records went. */
    int deletePartitions(EnvironmentId environmentId, List<String> partitionIds);

    /** Deletes every record and processed event id of the environment; keeps configuration. */
    int deleteAll(EnvironmentId environmentId);

    boolean hasData(EnvironmentId environmentId);
}
