package io.ivs.server.webhook;

import io.ivs.server.feed.FeedConsumers;
import io.ivs.server.feed.FeedCursor;

import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Every webhook subscription as a consumer of the change feed, paused ones included: a paused
 * subscription falls behind, and that is what its lag shows.
 */
@Component
class WebhookFeedConsumers implements FeedConsumers {
    static final String CONSUMER = "webhook";

    private final WebhookStore store;

    WebhookFeedConsumers(WebhookStore store) {
        this.store = store;
    }

    @Override
    public List<FeedCursor> cursors(int max) {
        return store.cursors(max);
    }
}
