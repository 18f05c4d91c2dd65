package io.ivs.server.ingest;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.WriteAccess;

import org.jspecify.annotations.Nullable;

import java.util.List;

/** A Kafka message as read: writes to apply, a sync step, or a refusal with its reason. */
sealed interface IngestMessage {
    /**
     * On-hand writes; consecutive messages with the same target are applied together.
     *
     * @param unreadable why items of the message could not be read; the readable ones still
     *     apply, as in a bulk request of the API
     */
    record Writes(Target target, List<OnHandChange> items, List<String> unreadable)
            implements IngestMessage {}

    record Sync(SyncIngestion.SyncStep step) implements IngestMessage {}

    record Refused(String reason) implements IngestMessage {}

    /**
     * Where writes go.
     *
     * @param dataSource the data source of set-on-hand records, null for change events
     * @param access the data sources the message's source may write, from its roles
     */
    record Target(EnvironmentId environmentId, @Nullable String dataSource, WriteAccess access) {}
}
