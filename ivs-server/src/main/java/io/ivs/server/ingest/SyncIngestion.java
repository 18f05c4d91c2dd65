package io.ivs.server.ingest;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.WriteAccess;

import org.jspecify.annotations.Nullable;

import java.util.Locale;
import java.util.Optional;

/**
 * Full syncs fed from Kafka: the sync service (begin, records, complete, abort under
 * {@code .../sync/{dataSource}}) implements this port as a bean; without one, sync messages go
 * to the dead-letter topic with {@link #UNAVAILABLE}.
 *
 * <p>The producer names the sync ({@code ivs-sync-id}), since a Kafka producer never sees an
 * answer: an implementation maps that name to its own sync. Every step may arrive twice (a
 * message is delivered again when IVS stopped after applying it and before committing its
 * offset), so each must be idempotent: a second {@code begin} of a running sync, a batch of
 * records sent again, and a second {@code complete} or {@code abort} change nothing.
 */
public interface SyncIngestion {
    String UNAVAILABLE = "sync ingestion not available";

    /**
     * Applies one step; answers null when it was applied (or had been), otherwise why it was
     * refused, which goes to the dead-letter topic. Throws only when it could not tell (the
     * database is down, say), so that the message is read again later.
     */
    @Nullable
    String apply(SyncStep step);

    /** The step a message asks for. */
    enum Action {
        BEGIN,
        RECORDS,
        COMPLETE,
        ABORT;

        static Optional<Action> parse(String name) {
            try {
                return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * @param syncId the producer's name of the sync (header {@code ivs-sync-id})
     * @param body the message's value: for {@code records}, a JSON array of set-on-hand records
     *     as {@code .../setonhand/{dataSource}/bulk} takes; for {@code begin}, nothing or
     *     {@code {"timeoutSeconds": n}} as the API's begin takes; ignored for the others
     * @param access the data sources the message's source may write, from its roles
     */
    record SyncStep(
            EnvironmentId environmentId,
            String dataSource,
            String syncId,
            Action action,
            byte[] body,
            WriteAccess access) {}
}
