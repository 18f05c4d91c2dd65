package io.ivs.server.kafka;

import io.ivs.server.feed.FeedConsumers;
import io.ivs.server.feed.FeedCursor;

import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka publisher's cursor of each environment as a consumer of the change feed; none while
 * publishing is off, so that cursors left from an earlier configuration do not read as lag.
 */
@Component
class KafkaFeedConsumers implements FeedConsumers {
    static final String CONSUMER = "kafka";

    private final KafkaCursorStore store;
    private final KafkaSettings settings;

    KafkaFeedConsumers(KafkaCursorStore store, KafkaSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    @Override
    public List<FeedCursor> cursors(int max) {
        if (!settings.enabled()) {
            return List.of();
        }
        List<FeedCursor> cursors = new ArrayList<>();
        store.cursors(max)
                .forEach((environment, position) ->
                        cursors.add(new FeedCursor(CONSUMER, environment, "", position)));
        return cursors;
    }
}
