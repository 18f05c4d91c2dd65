package io.ivs.server.feed;

import java.time.Instant;
import java.util.List;

/** Storage of the change feed (migration V33). */
public interface ChangeFeedStore {
    /** Changes a {@link #backlog} counts at most; a longer backlog is counted to there. */
    int BACKLOG_CHANGES_MAX = 100_000;

    /**
     * What a consumer has still to read: {@code changes} after its cursor, the oldest of which
     * got its position {@code oldestAgeSeconds} ago (by the database clock; 0 when none).
     */
    record Backlog(long changes, double oldestAgeSeconds) {}

    /** Up to {@code limit} changes of an environment with a position above {@code after}. */
    List<StoredChange> read(String environmentId, long after, int limit);

    /** The last {@code limit} changes of an environment, oldest first. */
    List<StoredChange> latest(String environmentId, int limit);

    /**
     * The changes of an environment with a position above {@code after}, counted up to
     * {@link #BACKLOG_CHANGES_MAX}.
     */
    Backlog backlog(String environmentId, long after);

    /**
     * The highest position readers may see, over all environments: every change at or below it
     * is committed with its position on every node.
     */
    long head();

    /** The highest position removed by retention, over all environments. */
    long prunedThrough();

    /**
     * The highest position of this environment removed by retention: a cursor of the environment
     * below it has missed changes; 0 when nothing was removed.
     */
    long prunedThrough(String environmentId);

    /**
     * The {@code feed_cursor} rows of one consumer kind (one per environment), at most
     * {@code max}, for the lag metrics.
     */
    List<FeedCursor> cursors(String consumer, int max);

    /**
     * Gives about {@code max} committed changes without positions the next positions (more when
     * a node's earlier changes must come along), then publishes them to readers; answers how
     * many changes. When another sequencer (of this or another instance) is at work, answers 0
     * at once unless {@code waitForTurn}, in which case it waits for it to finish.
     */
    int sequence(int max, boolean waitForTurn);

    /**
     * Removes up to {@code max} changes given their positions before {@code cutoff}, oldest
     * first, and records the highest removed position; answers how many changes were removed.
     */
    int prune(Instant cutoff, int max);
}
