package io.ivs.server.feed;

import java.util.List;

/**
 * A feature that consumes the change feed tells where it has read to, so that
 * {@link FeedLagMetrics} can say how far behind it is without knowing the feature.
 */
public interface FeedConsumers {
    /** The cursors of this feature's consumers as stored now, at most {@code max}. */
    List<FeedCursor> cursors(int max);
}
