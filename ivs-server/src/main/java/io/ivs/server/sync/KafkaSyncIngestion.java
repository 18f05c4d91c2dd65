package io.ivs.server.sync;

import io.ivs.core.InvalidInputException;
import io.ivs.server.ingest.SyncIngestion;
import io.ivs.server.web.IvEnvelope;
import io.ivs.server.web.UnknownEnvironmentException;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Full syncs fed from Kafka, over the same {@link SyncService} as the API. The producer's name
 * of a sync ({@code ivs-sync-id}) is stored on the sync itself, so that every instance, after
 * any restart, finds the same sync for the same name; a name names one sync for good, like an
 * event id. Each step changes nothing when it arrives again:
 *
 * <ul>
 *   <li>{@code begin} of a name already used answers that sync as it is;
 *   <li>{@code records}: the batch's records are set on-hand records with event ids, so a copy
 *       applied while the sync is open changes nothing; each batch applied whole is noted by the
 *       digest of its message, so that a copy arriving after the sync ended is recognised (and
 *       changes nothing) while a new batch for an ended sync is refused;
 *   <li>{@code complete} of a completed sync and {@code abort} of an aborted or expired one
 *       answer the sync as it is.
 * </ul>
 *
 * The message's source acts with its configured roles, as a client with those roles would: a
 * topic with {@code inventory.erp} syncs ERP-owned data sources, one with {@code
 * inventory.write} the others, exactly as its on-hand messages write them.
 */
@Component
class KafkaSyncIngestion implements SyncIngestion {
    private final SyncService syncs;
    private final JdbcSyncStore store;

    KafkaSyncIngestion(SyncService syncs, JdbcSyncStore store) {
        this.syncs = syncs;
        this.store = store;
    }

    @Override
    public @Nullable String apply(SyncStep step) {
        try {
            return switch (step.action()) {
                case BEGIN -> begin(step);
                case RECORDS -> records(step);
                case COMPLETE -> complete(step);
                case ABORT -> abort(step);
            };
        } catch (SyncRefusedException | InvalidInputException | UnknownEnvironmentException e) {
            return describe(step, String.valueOf(e.getMessage()));
        }
    }

    private static String describe(SyncStep step, String reason) {
        return "sync '" + step.syncId() + "' of data source '" + step.dataSource() + "', "
                + step.action().name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
    }

    private @Nullable String begin(SyncStep step) {
        syncs.beginNamed(
                step.environmentId().value(),
                step.dataSource(),
                step.syncId(),
                BeginBodies.timeoutSeconds(step.body()),
                step.access());
        return null;
    }

    private @Nullable String records(SyncStep step) {
        String environmentId = step.environmentId().value();
        FullSync sync = named(step);
        if (sync == null) {
            return unknown(step);
        }
        byte[] digest = sha256(step.body());
        if (store.batchSeen(environmentId, sync.syncId(), digest)) {
            return null;
        }
        if (sync.status() != FullSync.Status.OPEN) {
            return describe(
                    step,
                    "the sync is " + sync.status().wireName()
                            + "; a records batch it did not apply before cannot join it now");
        }
        List<IvEnvelope> answers = syncs.records(
                environmentId, step.dataSource(), sync.syncId(), step.body(), step.access());
        String refusals = refusals(step, answers);
        if (refusals == null) {
            // Only a batch applied whole is known by its digest: one with refused records may
            // be sent again as it was once its cause is fixed, and must then apply.
            store.batchApplied(environmentId, sync.syncId(), digest);
        }
        return refusals;
    }

    /** The records of the batch that were refused, with their reasons; null when none was. */
    private static @Nullable String refusals(SyncStep step, List<IvEnvelope> answers) {
        List<String> reasons = new ArrayList<>();
        for (IvEnvelope answer : answers) {
            if (answer.statusCode() >= 300) {
                reasons.add("record '" + answer.id() + "': " + answer.statusCode() + " "
                        + answer.message());
            }
        }
        return reasons.isEmpty() ? null : describe(step, String.join("; ", reasons));
    }

    private @Nullable String complete(SyncStep step) {
        return onNamed(
                step,
                sync -> syncs.complete(
                        step.environmentId().value(),
                        step.dataSource(),
                        sync.syncId(),
                        step.access()));
    }

    private @Nullable String abort(SyncStep step) {
        return onNamed(
                step,
                sync -> syncs.abort(
                        step.environmentId().value(),
                        step.dataSource(),
                        sync.syncId(),
                        step.access()));
    }

    /** Runs {@code action} on the sync the step names; answers why not when there is none. */
    private @Nullable String onNamed(SyncStep step, java.util.function.Consumer<FullSync> action) {
        FullSync sync = named(step);
        if (sync == null) {
            return unknown(step);
        }
        action.accept(sync);
        return null;
    }

    private @Nullable FullSync named(SyncStep step) {
        return syncs.named(step.environmentId().value(), step.dataSource(), step.syncId())
                .orElse(null);
    }

    private static String unknown(SyncStep step) {
        return describe(
                step,
                "no such sync in environment '" + step.environmentId().value()
                        + "'; a sync starts with a message whose ivs-sync-action is begin");
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
