package io.ivs.server.lake;

import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.BackgroundLoop;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.feed.FeedConsumers;
import io.ivs.server.feed.FeedCursor;
import io.ivs.server.postgres.Columns;
import io.ivs.server.web.UnknownEnvironmentException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every environment's lake tables ({@code ivs.lake.path}/{@code <environment>}) up to date
 * from the change feed, with its own cursor ({@code feed_cursor}, consumer {@code lake}): a page
 * is written to the tables, then the cursor moves, in the transaction that holds the cursor row,
 * so one instance at a time writes an environment's tables. A crash after the Delta commits and
 * before the cursor moved replays the page, which the tables' application transaction versions
 * skip (see {@link LakeWriter}).
 *
 * <p>On its first look at an environment it writes the whole summary as of the feed's current
 * end and follows the feed from there; the changes table starts at that point. When retention
 * removed changes the cursor had not reached, the summary is written whole again and following
 * resumes at the end (the changes table then has a gap, which the log reports).
 */
@Component
// Off while the path is unset or empty, like the Kafka publisher's bootstrap servers.
@ConditionalOnExpression("!'${ivs.lake.path:}'.isBlank()")
public class LakeFollower implements SmartLifecycle, FeedConsumers {
    static final String CONSUMER = "lake";
    static final int PAGE = ChangeFeed.LIMIT_MAX;

    /** Feed pages taken into one commit at most: 20,000 changes. */
    static final int PAGES_PER_COMMIT = 20;

    static final Duration MIN_GAP = Duration.ofMillis(200);

    /** First key of the two-key advisory lock that serialises first looks ("LAKE"). */
    static final int LOCK_CLASS = 0x4c414b45;

    private static final Logger log = LoggerFactory.getLogger(LakeFollower.class);

    private final ChangeFeed feed;
    private final EnvironmentService environments;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Path lake;
    private final LakeWriter writer;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, LakeTables> open = new ConcurrentHashMap<>();
    private final BackgroundLoop loop;

    public LakeFollower(
            ChangeFeed feed,
            ChangeSignal signal,
            EnvironmentService environments,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            @Value("${ivs.lake.path}") String path,
            @Value("${ivs.lake.summary-buckets:16}") int buckets,
            @Value("${ivs.lake.checkpoint-interval:10}") int checkpointInterval,
            @Value("${ivs.lake.vacuum-retention:P7D}") Duration retention,
            @Value("${ivs.lake.poll-interval:PT1S}") Duration poll) {
        if (buckets < 1 || buckets > 10_000) {
            throw new IllegalArgumentException("ivs.lake.summary-buckets must be 1 to 10000");
        }
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("ivs.lake.checkpoint-interval must be positive");
        }
        this.feed = feed;
        this.environments = environments;
        this.jdbc = jdbc;
        this.tx = tx;
        this.lake = Path.of(path).toAbsolutePath();
        this.writer = new LakeWriter(
                new LakeRecords(jdbc, json),
                json,
                new LakeWriter.Options(buckets, checkpointInterval, retention),
                Clock.systemUTC());
        this.loop = new BackgroundLoop("ivs-lake-follower", log, Duration.ofSeconds(1), () -> {
            followNow();
            // At most one round per MIN_GAP, however often new positions are handed out.
            Thread.sleep(MIN_GAP);
            signal.await(poll);
        });
    }

    /** The directory of an environment's two tables. */
    public Path directory(String environmentId) {
        return lake.resolve(environmentId);
    }

    /** One round over every environment; answers the changes written. */
    public int followNow() {
        int applied = 0;
        for (String environmentId : environments.environments()) {
            try {
                applied += follow(environmentId);
            } catch (UnknownEnvironmentException deletedMeanwhile) {
                // Nothing to follow.
            } catch (RuntimeException e) {
                // The in-memory view of the log may be stale (another writer, a failed
                // commit): it is read again next round.
                open.remove(environmentId);
                throw e;
            }
        }
        return applied;
    }

    private int follow(String environmentId) {
        if (!following(environmentId)) {
            tx.executeWithoutResult(status -> firstLook(environmentId));
        }
        int applied = 0;
        while (true) {
            Integer done = tx.execute(status -> page(environmentId));
            if (done == null || done <= 0) {
                return applied;
            }
            applied += done;
        }
    }

    private boolean following(String environmentId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from feed_cursor"
                        + " where consumer = ? and environment_id = ?)",
                Boolean.class,
                CONSUMER,
                environmentId));
    }

    /** Writes the whole summary and creates the cursor, one instance at a time. */
    private void firstLook(String environmentId) {
        Boolean locked = jdbc.queryForObject(
                "select pg_try_advisory_xact_lock(?, hashtext(?))",
                Boolean.class,
                LOCK_CLASS,
                environmentId);
        if (!Boolean.TRUE.equals(locked) || following(environmentId)) {
            return;
        }
        long end = feed.cursor("after", "latest");
        writeAll(environmentId, end);
        jdbc.update(
                "insert into feed_cursor (consumer, environment_id, position)"
                        + " values (?, ?, ?) on conflict do nothing",
                CONSUMER,
                environmentId,
                end);
    }

    /**
     * One commit's pages (up to {@link #PAGES_PER_COMMIT}) in one transaction; -1 when the cursor
     * is taken by another instance.
     */
    private int page(String environmentId) {
        List<Long> cursor = Columns.notNull(jdbc.queryForList(
                "select position from feed_cursor where consumer = ? and environment_id = ?"
                        + " for update skip locked",
                Long.class,
                CONSUMER,
                environmentId));
        if (cursor.isEmpty()) {
            return -1;
        }
        List<ChangeFeed.Change> changes;
        long next;
        try {
            ChangeFeed.Page page = feed.read(environmentId, cursor.getFirst(), PAGE, Duration.ZERO);
            changes = new ArrayList<>(page.changes());
            next = page.next();
            // A follower that is behind takes several pages into one commit: a commit rewrites
            // the buckets its products touch, so bigger commits cost less per change.
            for (int more = 1; more < PAGES_PER_COMMIT && page.hasMore(); more++) {
                page = feed.read(environmentId, next, PAGE, Duration.ZERO);
                changes.addAll(page.changes());
                next = page.next();
            }
        } catch (ChangeFeed.CursorExpiredException e) {
            log.warn(
                    "lake of {}: {}; writing the summary whole, the changes table has a gap",
                    environmentId,
                    e.getMessage());
            long end = feed.cursor("after", "latest");
            writeAll(environmentId, end);
            move(environmentId, end);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (changes.isEmpty()) {
            // Entries of other kinds only (stock alerts): move past them, or the cursor would
            // stay before them, read them again on every poll and report them as lag.
            if (next != cursor.getFirst()) {
                move(environmentId, next);
            }
            return 0;
        }
        RuntimeConfiguration config = environments.configuration(environmentId);
        try {
            writer.apply(tables(environmentId), environmentId, config, changes, next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        move(environmentId, next);
        return changes.size();
    }

    private void writeAll(String environmentId, long position) {
        try {
            writer.writeAll(
                    tables(environmentId),
                    environmentId,
                    environments.configuration(environmentId),
                    position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment's tables, read again when another writer committed since they were read
     * (an instance that held the cursor before this one).
     */
    private LakeTables tables(String environmentId) throws IOException {
        LakeTables tables = open.get(environmentId);
        if (tables == null || stale(tables.summary()) || stale(tables.changes())) {
            tables = LakeTables.open(directory(environmentId), json);
            open.put(environmentId, tables);
        }
        return tables;
    }

    private static boolean stale(DeltaTable table) {
        return Files.exists(table.root()
                .resolve(DeltaTable.LOG)
                .resolve(DeltaActions.commitName(table.version() + 1)));
    }

    private void move(String environmentId, long position) {
        jdbc.update(
                "update feed_cursor set position = ?, updated_at = now()"
                        + " where consumer = ? and environment_id = ?",
                position,
                CONSUMER,
                environmentId);
    }

    @Override
    public List<FeedCursor> cursors(int max) {
        return feed.cursors(CONSUMER, max);
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
        // A stopped follower forgets its view of the logs: it reads them again when started.
        open.clear();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
