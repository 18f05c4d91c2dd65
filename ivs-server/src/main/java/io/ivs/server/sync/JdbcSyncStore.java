package io.ivs.server.sync;

import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.OnHandDeltas;
import io.ivs.server.postgres.TransactionRetry;
import io.ivs.server.sync.FullSync.Status;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Full syncs ({@code erp_sync}) and the records they mentioned ({@code sync_mention}) in
 * PostgreSQL. Mentions are written in the transaction that checks, with a share lock on the
 * sync's row, that the sync is still open; completion takes that row's exclusive lock first, so
 * a batch either lands before the completion reads the mentions or is refused after it.
 */
@Repository
public class JdbcSyncStore {
    private static final String COLUMNS = "sync_id, data_source, status, started_at,"
            + " timeout_seconds, expires_at, finished_at, records, zeroed";

    /** Separates the measures of one mention in the text bound per record. */
    private static final String SEPARATOR = "\u001f";

    private static final RowMapper<FullSync> ROW = JdbcSyncStore::row;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JdbcSyncStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** A record a sync mentioned, with the (qualified) measures of the data source it set. */
    public record Mention(UUID productKey, String recordKey, List<String> measures) {}

    /** What completing a sync did, or (for a sync that had ended otherwise) its state. */
    public record Completion(FullSync sync, boolean completedNow) {}

    private static FullSync row(ResultSet rs, int n) throws SQLException {
        return new FullSync(
                rs.getString(1),
                rs.getString(2),
                Status.parse(rs.getString(3)),
                rs.getTimestamp(4).toInstant(),
                rs.getInt(5),
                rs.getTimestamp(6).toInstant(),
                instant(rs.getTimestamp(7)),
                (Long) rs.getObject(8),
                (Long) rs.getObject(9));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /**
     * Ends the open syncs of the environment whose expiry has passed and forgets their mentions;
     * answers their ids.
     */
    public List<String> expireLapsed(String environmentId, Instant now) {
        List<String> expired = Columns.notNull(jdbc.queryForList(
                "update erp_sync set status = 'expired', finished_at = expires_at"
                        + " where environment_id = ? and status = 'open' and expires_at <= ?"
                        + " returning sync_id",
                String.class,
                environmentId,
                Timestamp.from(now)));
        expired.forEach(this::forgetMentions);
        return expired;
    }

    /** A sync begun now ({@code created}), or the one already open. */
    public record Begun(FullSync sync, boolean created) {}

    /**
     * Opens a sync, or answers the sync already open for the data source (then nothing is
     * written).
     *
     * @param producerName the name a Kafka producer gave the sync; null for the API's syncs
     */
    public Begun begin(
            String environmentId,
            String dataSource,
            Instant now,
            int timeoutSeconds,
            @Nullable String producerName) {
        String syncId = UUID.randomUUID().toString();
        try {
            jdbc.update(
                    "insert into erp_sync (environment_id, sync_id, data_source, status,"
                            + " started_at, timeout_seconds, expires_at, producer_name)"
                            + " values (?, ?, ?, 'open', ?, ?, ?, ?)",
                    environmentId,
                    syncId,
                    dataSource,
                    Timestamp.from(now),
                    timeoutSeconds,
                    Timestamp.from(now.plusSeconds(timeoutSeconds)),
                    producerName);
        } catch (DuplicateKeyException e) {
            Optional<FullSync> named = producerName == null
                    ? Optional.empty()
                    : named(environmentId, dataSource, producerName);
            return new Begun(
                    named.or(() -> open(environmentId, dataSource))
                            .orElseThrow(() -> new SyncRefusedException(
                                    409,
                                    "another sync of this data source is being opened; retry",
                                    null)),
                    false);
        }
        return new Begun(find(environmentId, syncId).orElseThrow(), true);
    }

    /** The sync a Kafka producer named so, whatever its state. */
    public Optional<FullSync> named(String environmentId, String dataSource, String name) {
        return jdbc
                .query(
                        "select " + COLUMNS + " from erp_sync where environment_id = ?"
                                + " and data_source = ? and producer_name = ?",
                        ROW,
                        environmentId,
                        dataSource,
                        name)
                .stream()
                .findFirst();
    }

    /** The environment's Kafka syncs, the open ones first, then the latest begun. */
    public List<KafkaSync> latestNamed(String environmentId, int limit) {
        return jdbc.query(
                "select " + COLUMNS + ", producer_name from erp_sync where environment_id = ?"
                        + " and producer_name is not null"
                        + " order by status = 'open' desc, started_at desc limit ?",
                (rs, n) -> new KafkaSync(rs.getString(10), row(rs, n)),
                environmentId,
                limit);
    }

    /** Notes that a Kafka sync applied the records batch with this digest of its message. */
    public void batchApplied(String environmentId, String syncId, byte[] sha256) {
        jdbc.update(
                "insert into kafka_sync_batch (environment_id, sync_id, body_sha256)"
                        + " values (?, ?, ?) on conflict do nothing",
                environmentId,
                syncId,
                sha256);
    }

    /** Whether a Kafka sync applied the records batch with this digest before. */
    public boolean batchSeen(String environmentId, String syncId, byte[] sha256) {
        return !jdbc.queryForList(
                        "select 1 from kafka_sync_batch where environment_id = ?"
                                + " and sync_id = ? and body_sha256 = ?",
                        Integer.class,
                        environmentId,
                        syncId,
                        sha256)
                .isEmpty();
    }

    public Optional<FullSync> find(String environmentId, String syncId) {
        return jdbc
                .query(
                        "select " + COLUMNS + " from erp_sync"
                                + " where environment_id = ? and sync_id = ?",
                        ROW,
                        environmentId,
                        syncId)
                .stream()
                .findFirst();
    }

    public Optional<FullSync> open(String environmentId, String dataSource) {
        return jdbc
                .query(
                        "select " + COLUMNS + " from erp_sync where environment_id = ?"
                                + " and data_source = ? and status = 'open'",
                        ROW,
                        environmentId,
                        dataSource)
                .stream()
                .findFirst();
    }

    /** The sync of the data source that ended last, whatever its end. */
    public Optional<FullSync> lastFinished(String environmentId, String dataSource) {
        return jdbc
                .query(
                        "select " + COLUMNS + " from erp_sync where environment_id = ?"
                                + " and data_source = ? and status <> 'open'"
                                + " order by finished_at desc limit 1",
                        ROW,
                        environmentId,
                        dataSource)
                .stream()
                .findFirst();
    }

    /**
     * Notes the records of a batch as mentioned and moves the sync's expiry to {@code now} plus
     * its timeout, if the sync is open and has not lapsed; answers the sync as it was found.
     */
    public Optional<FullSync> mention(
            String environmentId, String syncId, List<Mention> mentions, Instant now) {
        Optional<FullSync> found = mentionIfOpen(environmentId, syncId, mentions, now);
        found.filter(s -> s.status() != Status.OPEN).ifPresent(s -> forgetMentions(syncId));
        return found;
    }

    private Optional<FullSync> mentionIfOpen(
            String environmentId, String syncId, List<Mention> mentions, Instant now) {
        return TransactionRetry.run(() -> tx.execute(status -> {
            FullSync sync = jdbc
                    .query(
                            // Not "for share": two batches sharing the row and then both
                            // updating it deadlock (measured with 4 parallel import streams).
                            "select " + COLUMNS + " from erp_sync"
                                    + " where environment_id = ? and sync_id = ?"
                                    + " for no key update",
                            ROW,
                            environmentId,
                            syncId)
                    .stream()
                    .findFirst()
                    .orElse(null);
            if (sync == null || sync.status() != Status.OPEN) {
                return Optional.ofNullable(sync);
            }
            if (!sync.expiresAt().isAfter(now)) {
                return Optional.of(expire(environmentId, syncId));
            }
            insertMentions(syncId, mentions);
            jdbc.update(
                    "update erp_sync set expires_at = greatest(expires_at,"
                            + " ?::timestamptz + make_interval(secs => timeout_seconds))"
                            + " where environment_id = ? and sync_id = ?",
                    Timestamp.from(now),
                    environmentId,
                    syncId);
            return Optional.of(sync);
        }));
    }

    private void insertMentions(String syncId, List<Mention> mentions) {
        if (mentions.isEmpty()) {
            return;
        }
        // Sorted by key, the order every on-hand writer locks rows in. A record mentioned again
        // adds the measures it did not have (a partial overlap may list one twice, which the
        // completion's "= any" does not mind): Citus takes no subquery in the update part of
        // an upsert on a distributed table.
        List<Mention> rows = mentions.stream()
                .sorted(java.util.Comparator.comparing(Mention::productKey)
                        .thenComparing(Mention::recordKey))
                .toList();
        jdbc.update(
                "insert into sync_mention as m (product_key, sync_id, record_key, measures)"
                        + " select pk, ?, rk, string_to_array(ms, chr(31))"
                        + " from unnest(?::uuid[], ?::text[], ?::text[]) as r(pk, rk, ms)"
                        + " on conflict (product_key, sync_id, record_key) do update"
                        + " set measures = case when m.measures @> excluded.measures"
                        + " then m.measures else m.measures || excluded.measures end",
                ps -> {
                    ps.setString(1, syncId);
                    ps.setArray(
                            2,
                            OnHandDeltas.array(
                                    ps.getConnection(), "uuid", rows, Mention::productKey));
                    ps.setArray(
                            3,
                            OnHandDeltas.array(
                                    ps.getConnection(), "text", rows, Mention::recordKey));
                    ps.setArray(
                            4,
                            OnHandDeltas.array(
                                    ps.getConnection(),
                                    "text",
                                    rows,
                                    m -> String.join(SEPARATOR, m.measures())));
                });
    }

    /**
     * Completes an open sync in one transaction: every quantity of the data source in the
     * environment that is not zero, was not mentioned by the sync and was not set at or after
     * the sync began is set to zero (observed at the sync's start, so that any later push wins
     * over it), in the key order every on-hand writer locks rows in; the triggers of the change
     * feed see these writes like any set. A completed sync answers its stored result; a sync
     * that ended otherwise answers as it is.
     */
    public Optional<Completion> complete(String environmentId, String syncId, Instant now) {
        Optional<Completion> done = TransactionRetry.run(() -> tx.execute(status -> {
            FullSync sync = jdbc
                    .query(
                            "select " + COLUMNS + " from erp_sync"
                                    + " where environment_id = ? and sync_id = ? for update",
                            ROW,
                            environmentId,
                            syncId)
                    .stream()
                    .findFirst()
                    .orElse(null);
            if (sync == null) {
                return Optional.<Completion>empty();
            }
            if (sync.status() != Status.OPEN) {
                return Optional.of(new Completion(sync, false));
            }
            if (!sync.expiresAt().isAfter(now)) {
                return Optional.of(new Completion(expire(environmentId, syncId), false));
            }
            long zeroed = zeroUnmentioned(environmentId, sync);
            Long records = jdbc.queryForObject(
                    "select count(*) from sync_mention where sync_id = ?", Long.class, syncId);
            jdbc.update(
                    "update erp_sync set status = 'completed', finished_at = ?, records = ?,"
                            + " zeroed = ? where environment_id = ? and sync_id = ?",
                    Timestamp.from(now),
                    records,
                    zeroed,
                    environmentId,
                    syncId);
            return Optional.of(new Completion(find(environmentId, syncId).orElseThrow(), true));
        }));
        done.ifPresent(completion -> {
            if (completion.sync().status() != Status.OPEN) {
                forgetMentions(syncId);
            }
        });
        return done;
    }

    /** Ends a lapsed open sync as expired; the caller forgets its mentions after commit. */
    private FullSync expire(String environmentId, String syncId) {
        jdbc.update(
                "update erp_sync set status = 'expired', finished_at = expires_at"
                        + " where environment_id = ? and sync_id = ? and status = 'open'",
                environmentId,
                syncId);
        return find(environmentId, syncId).orElseThrow();
    }

    private long zeroUnmentioned(String environmentId, FullSync sync) {
        Timestamp started = Timestamp.from(sync.startedAt());
        return jdbc.update(
                "insert into onhand_quantity as q (product_key, record_key, measure, quantity,"
                        + " set_at)"
                        + " select c.product_key, c.record_key, c.measure, 0, ? from ("
                        + " select q.product_key, q.record_key, q.measure from onhand_record r"
                        + " join onhand_quantity q"
                        + " on q.product_key = r.product_key and q.record_key = r.record_key"
                        + " where r.environment_id = ? and starts_with(q.measure, ?)"
                        + " and q.quantity <> 0 and (q.set_at is null or q.set_at < ?)"
                        + " and not exists (select 1 from sync_mention m"
                        + " where m.product_key = q.product_key and m.sync_id = ?"
                        + " and m.record_key = q.record_key and q.measure = any(m.measures))"
                        + ") c order by c.product_key, c.record_key, c.measure"
                        + " on conflict (product_key, record_key, measure) do update"
                        + " set quantity = 0, set_at = excluded.set_at"
                        + " where q.set_at is null or q.set_at < excluded.set_at",
                started,
                environmentId,
                sync.dataSource() + ".",
                started,
                sync.syncId());
    }

    /** Aborts an open sync; answers the sync as it is afterwards, if it exists. */
    public Optional<FullSync> abort(String environmentId, String syncId, Instant now) {
        jdbc.update(
                "update erp_sync set status = 'aborted', finished_at = ?"
                        + " where environment_id = ? and sync_id = ? and status = 'open'",
                Timestamp.from(now),
                environmentId,
                syncId);
        Optional<FullSync> sync = find(environmentId, syncId);
        sync.filter(s -> s.status() != Status.OPEN).ifPresent(s -> forgetMentions(syncId));
        return sync;
    }

    private void forgetMentions(String syncId) {
        jdbc.update("delete from sync_mention where sync_id = ?", syncId);
    }
}
