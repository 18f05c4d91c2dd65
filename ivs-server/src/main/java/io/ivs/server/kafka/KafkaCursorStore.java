package io.ivs.server.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The Kafka publisher's cursor and lease per environment (migration V10). */
public interface KafkaCursorStore {
    /** Adds a cursor at {@code cursor} for each environment that has none yet. */
    void ensure(Collection<String> environmentIds, long cursor);

    /** Takes up to {@code max} environments whose lease is free or expired; answers them. */
    List<String> claim(String owner, Duration lease, int max);

    /** Extends every lease of {@code owner}; answers the environments it holds. */
    List<String> renew(String owner, Duration lease);

    void release(String owner, String environmentId);

    OptionalLong cursor(String environmentId);

    /** Every environment's cursor, at most {@code max}, for lag metrics. */
    Map<String, Long> cursors(int max);

    /**
     * Moves the cursor from {@code expected} to {@code cursor} if {@code owner} still holds the
     * lease; answers whether it did.
     */
    boolean advance(String owner, String environmentId, long expected, long cursor);
}
