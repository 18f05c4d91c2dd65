package io.ivs.server.sync;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.ChangeResolver;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.core.onhand.WriteAccess;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.onhand.OnHandBulks;
import io.ivs.server.postgres.DataSourcePushes;
import io.ivs.server.sync.FullSync.Status;
import io.ivs.server.sync.JdbcSyncStore.Completion;
import io.ivs.server.sync.JdbcSyncStore.Mention;
import io.ivs.server.web.IvEnvelope;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Full syncs of a data source (docs/api-notes.md, "Feeding IVS from an ERP"). A sync's records
 * are set on-hand records, applied at once like any set (visible at once, in the change feed,
 * idempotent by their ids) and noted as mentioned before they are written, so a record that was
 * sent is never set to zero by the completion, even if its write failed. Completion sets to zero
 * what the sync did not mention; an aborted or expired sync sets nothing to zero, and the records
 * it applied stay as they were set. Any call first ends the environment's lapsed syncs.
 *
 * <p>Other ways in (file imports, Kafka) call this class as the HTTP API does.
 */
@Component
public class SyncService {
    public static final int TIMEOUT_SECONDS_DEFAULT = 3_600;
    public static final int TIMEOUT_SECONDS_MIN = 1;
    public static final int TIMEOUT_SECONDS_MAX = 86_400;

    private final EnvironmentService environments;
    private final OnHandBulks bulks;
    private final JdbcSyncStore store;
    private final DataSourcePushes pushes;
    private final Clock clock;

    SyncService(
            EnvironmentService environments,
            OnHandBulks bulks,
            JdbcSyncStore store,
            DataSourcePushes pushes,
            Clock clock) {
        this.environments = environments;
        this.bulks = bulks;
        this.store = store;
        this.pushes = pushes;
        this.clock = clock;
    }

    /** Opens a full sync; 409 names the sync already open for the data source. */
    public FullSync begin(
            String environmentId, String dataSource, int timeoutSeconds, WriteAccess access) {
        DataSourceConfig ds = writable(environmentId, dataSource, access);
        requireTimeout(timeoutSeconds);
        Instant now = clock.instant();
        store.expireLapsed(environmentId, now);
        JdbcSyncStore.Begun begun = store.begin(environmentId, ds.key(), now, timeoutSeconds, null);
        if (!begun.created()) {
            throw alreadyOpen(begun.sync());
        }
        return begun.sync();
    }

    /**
     * Opens a full sync that a Kafka producer named; a name used before answers its sync as it
     * is (a begin delivered twice opens nothing twice), and 409 names another open sync.
     */
    public FullSync beginNamed(
            String environmentId,
            String dataSource,
            String name,
            int timeoutSeconds,
            WriteAccess access) {
        DataSourceConfig ds = writable(environmentId, dataSource, access);
        requireTimeout(timeoutSeconds);
        Instant now = clock.instant();
        store.expireLapsed(environmentId, now);
        Optional<FullSync> named = store.named(environmentId, ds.key(), name);
        if (named.isPresent()) {
            return named.get();
        }
        JdbcSyncStore.Begun begun = store.begin(environmentId, ds.key(), now, timeoutSeconds, name);
        if (!begun.created()
                && store.named(environmentId, ds.key(), name)
                        .filter(sync -> sync.syncId().equals(begun.sync().syncId()))
                        .isEmpty()) {
            throw alreadyOpen(begun.sync());
        }
        return begun.sync();
    }

    /** The sync a Kafka producer named so, after the environment's lapsed syncs ended. */
    public Optional<FullSync> named(String environmentId, String dataSource, String name) {
        DataSourceConfig ds = configured(environments.configuration(environmentId), dataSource);
        store.expireLapsed(environmentId, clock.instant());
        return store.named(environmentId, ds.key(), name);
    }

    /** The environment's Kafka syncs (open ones first, then the latest begun), at most limit. */
    public List<KafkaSync> kafkaSyncs(String environmentId, int limit) {
        store.expireLapsed(environmentId, clock.instant());
        return store.latestNamed(environmentId, limit);
    }

    private static void requireTimeout(int timeoutSeconds) {
        if (timeoutSeconds < TIMEOUT_SECONDS_MIN || timeoutSeconds > TIMEOUT_SECONDS_MAX) {
            throw new InvalidInputException(
                    "timeoutSeconds",
                    "must be between " + TIMEOUT_SECONDS_MIN + " and " + TIMEOUT_SECONDS_MAX);
        }
    }

    private static SyncRefusedException alreadyOpen(FullSync open) {
        return new SyncRefusedException(
                409,
                "sync '" + open.syncId() + "' of data source '" + open.dataSource()
                        + "' is open; complete or abort it (DELETE .../sync/"
                        + open.dataSource() + "/" + open.syncId() + ") first",
                open.syncId());
    }

    /**
     * Applies a batch of 1 to 1,000 set on-hand records under an open sync; answers one
     * envelope per record, as set on-hand bulk does.
     */
    public List<IvEnvelope> records(
            String environmentId,
            String dataSource,
            String syncId,
            byte @Nullable [] body,
            WriteAccess access) {
        DataSourceConfig ds = writable(environmentId, dataSource, access);
        Instant now = clock.instant();
        store.expireLapsed(environmentId, now);
        FullSync sync = requireSync(environmentId, ds, syncId);
        requireOpen(sync);
        RuntimeConfiguration config = environments.configuration(environmentId);
        List<IvEnvelope> answers = bulks.handle(
                environmentId,
                ds.key(),
                body,
                access,
                events -> mention(environmentId, config, ds, sync, events, access));
        if (answers.isEmpty()) {
            throw new InvalidInputException(
                    "body", "must hold 1 to " + Limits.SET_BULK_ITEMS_MAX + " set on-hand records");
        }
        return answers;
    }

    /**
     * Notes the records before they are written: a record that resolves is mentioned, whether
     * or not its write then succeeds, so the completion never sets to zero what was sent.
     */
    private void mention(
            String environmentId,
            RuntimeConfiguration config,
            DataSourceConfig ds,
            FullSync sync,
            List<OnHandChange> events,
            WriteAccess access) {
        EnvironmentId environment = EnvironmentId.of(environmentId);
        Map<String, Mention> mentions = new LinkedHashMap<>();
        for (OnHandChange event : events) {
            ResolvedChange resolved;
            try {
                resolved = ChangeResolver.resolve(environment, config, event, ds.key(), access);
            } catch (InvalidInputException e) {
                continue;
            }
            List<String> measures = resolved.quantities().keySet().stream()
                    .map(MeasureRef::qualified)
                    .toList();
            String key = resolved.record().productKey() + "\u0000"
                    + resolved.record().dimensions().key();
            mentions.merge(
                    key,
                    new Mention(
                            resolved.record().productKey(),
                            resolved.record().dimensions().key(),
                            measures),
                    (a, b) -> new Mention(a.productKey(), a.recordKey(), union(a, b)));
        }
        FullSync found = store.mention(
                        environmentId,
                        sync.syncId(),
                        List.copyOf(mentions.values()),
                        clock.instant())
                .orElseThrow(() -> notFound(sync.syncId()));
        requireOpen(found);
    }

    private static List<String> union(Mention a, Mention b) {
        List<String> all = new ArrayList<>(a.measures());
        b.measures().stream().filter(m -> !all.contains(m)).forEach(all::add);
        return all;
    }

    /** Completes an open sync; a completed one answers its result again. */
    public FullSync complete(
            String environmentId, String dataSource, String syncId, WriteAccess access) {
        DataSourceConfig ds = writable(environmentId, dataSource, access);
        Instant now = clock.instant();
        store.expireLapsed(environmentId, now);
        requireSync(environmentId, ds, syncId);
        Completion completion =
                store.complete(environmentId, syncId, now).orElseThrow(() -> notFound(syncId));
        FullSync sync = completion.sync();
        if (sync.status() != Status.COMPLETED) {
            throw ended(sync);
        }
        return sync;
    }

    /** Aborts an open sync; an aborted or expired one answers as it is. */
    public FullSync abort(
            String environmentId, String dataSource, String syncId, WriteAccess access) {
        DataSourceConfig ds = writable(environmentId, dataSource, access);
        Instant now = clock.instant();
        store.expireLapsed(environmentId, now);
        requireSync(environmentId, ds, syncId);
        FullSync sync = store.abort(environmentId, syncId, now).orElseThrow(() -> notFound(syncId));
        if (sync.status() == Status.COMPLETED) {
            throw new SyncRefusedException(
                    409, "sync '" + syncId + "' is completed and cannot be aborted", syncId);
        }
        return sync;
    }

    /** The feed of one data source: ownership, last full sync, open sync, last push. */
    public record SourceStatus(
            String dataSource,
            boolean erpOwned,
            @Nullable FullSync lastFullSync,
            @Nullable FullSync openSync,
            @Nullable Instant lastPushAt) {}

    public SourceStatus status(String environmentId, String dataSource) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        DataSourceConfig ds = configured(config, dataSource);
        store.expireLapsed(environmentId, clock.instant());
        return status(environmentId, config, ds, pushes.lastPushes(environmentId));
    }

    /** The status of every configured data source, by name. */
    public List<SourceStatus> statuses(String environmentId) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        store.expireLapsed(environmentId, clock.instant());
        Map<String, Instant> lastPushes = pushes.lastPushes(environmentId);
        return config.dataSources().values().stream()
                .sorted(java.util.Comparator.comparing(DataSourceConfig::key))
                .map(ds -> status(environmentId, config, ds, lastPushes))
                .toList();
    }

    private SourceStatus status(
            String environmentId,
            RuntimeConfiguration config,
            DataSourceConfig ds,
            Map<String, Instant> lastPushes) {
        return new SourceStatus(
                ds.name(),
                config.isErpOwned(ds),
                store.lastFinished(environmentId, ds.key()).orElse(null),
                store.open(environmentId, ds.key()).orElse(null),
                lastPushes.get(ds.key()));
    }

    private DataSourceConfig writable(String environmentId, String dataSource, WriteAccess access) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        DataSourceConfig ds = configured(config, dataSource);
        boolean erpOwned = config.isErpOwned(ds);
        if (erpOwned ? !access.erpOwned() : !access.others()) {
            throw new SyncRefusedException(
                    403,
                    erpOwned
                            ? "data source '" + ds.name() + "' is written only by the ERP"
                                    + " integration (role inventory.erp) and is read-only for"
                                    + " API callers"
                            : "data source '" + ds.name() + "' is not ERP-owned: syncing it"
                                    + " needs the role inventory.write",
                    null);
        }
        return ds;
    }

    private static DataSourceConfig configured(RuntimeConfiguration config, String dataSource) {
        return config.dataSource(dataSource.strip())
                .orElseThrow(() -> new InvalidInputException(
                        "dataSource", "data source '" + dataSource + "' is not configured"));
    }

    private FullSync requireSync(String environmentId, DataSourceConfig ds, String syncId) {
        requireSyncId(syncId);
        FullSync sync = store.find(environmentId, syncId).orElseThrow(() -> notFound(syncId));
        if (!sync.dataSource().equals(ds.key())) {
            throw new InvalidInputException(
                    "dataSource",
                    "sync '" + syncId + "' is a sync of data source '" + sync.dataSource()
                            + "', not of '" + ds.name() + "'");
        }
        return sync;
    }

    private static void requireSyncId(String syncId) {
        try {
            UUID.fromString(syncId);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "syncId", "'" + syncId + "' is not a sync id (the syncId a begin answered)");
        }
    }

    private static void requireOpen(FullSync sync) {
        if (sync.status() != Status.OPEN) {
            throw ended(sync);
        }
    }

    private static SyncRefusedException ended(FullSync sync) {
        return new SyncRefusedException(
                409,
                "sync '" + sync.syncId() + "' is " + sync.status().wireName()
                        + (sync.status() == Status.EXPIRED
                                ? " (no batch and no completion within its " + sync.timeoutSeconds()
                                        + " seconds)"
                                : "")
                        + "; begin a new one",
                sync.syncId());
    }

    private static SyncRefusedException notFound(String syncId) {
        return new SyncRefusedException(404, "no sync '" + syncId + "'", syncId);
    }
}
