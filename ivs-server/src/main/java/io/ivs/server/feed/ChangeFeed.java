package io.ivs.server.feed;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Invariants;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.QueryResults;
import io.ivs.server.environment.EnvironmentService;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads an environment's change feed: changes after a cursor, in commit order, each with the
 * record's physical values and the calculated measures of the active configuration.
 */
@Component
public class ChangeFeed {
    public static final int LIMIT_DEFAULT = 100;
    public static final int LIMIT_MAX = 1_000;
    public static final Duration WAIT_MAX = Duration.ofSeconds(30);
    /** How often a waiting reader looks for positions handed out by another instance. */
    static final Duration POLL = Duration.ofMillis(100);

    /**
     * A change as consumers see it. {@code quantities} / {@code schedule} / {@code alert} per
     * kind; an {@code alert} change's dimensions are the level of the rule that fired.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Change(
            long position,
            Instant committedAt,
            String kind,
            String organizationId,
            String productId,
            Map<String, String> dimensions,
            @Nullable Map<String, Map<String, BigDecimal>> quantities,
            @Nullable Map<String, Map<String, Map<String, BigDecimal>>> schedule,
            @Nullable Alert alert) {
        /** A change of a record, which carries no alert. */
        public Change(
                long position,
                Instant committedAt,
                String kind,
                String organizationId,
                String productId,
                Map<String, String> dimensions,
                @Nullable Map<String, Map<String, BigDecimal>> quantities,
                @Nullable Map<String, Map<String, Map<String, BigDecimal>>> schedule) {
            this(
                    position,
                    committedAt,
                    kind,
                    organizationId,
                    productId,
                    dimensions,
                    quantities,
                    schedule,
                    null);
        }
    }

    /** Changes after the cursor; {@code next} is the cursor to read on with. */
    public record Page(List<Change> changes, long next, boolean hasMore) {}

    /** A cursor older than what retention kept: the consumer has missed changes. */
    public static final class CursorExpiredException extends RuntimeException {
        CursorExpiredException(long cursor, long prunedThrough) {
            super("cursor " + cursor + " is older than the retained change feed (changes up to "
                    + prunedThrough + " were removed by retention, ivs.feed.retention);"
                    + " resynchronise from a query or the summary export, then read on with"
                    + " after=latest");
        }

        /** Never null: this exception is always made with a message. */
        @Override
        public String getMessage() {
            return Objects.requireNonNull(super.getMessage());
        }
    }

    private final ChangeFeedStore store;
    private final ChangeSignal signal;
    private final EnvironmentService environments;

    public ChangeFeed(ChangeFeedStore store, ChangeSignal signal, EnvironmentService environments) {
        this.store = store;
        this.signal = signal;
        this.environments = environments;
    }

    /**
     * Parses a cursor: absent means the oldest retained change, {@code latest} the current end,
     * otherwise the position of the last change the consumer has seen.
     */
    public long cursor(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        if (value.equalsIgnoreCase("latest")) {
            return store.head();
        }
        try {
            long cursor = Long.parseLong(value.trim());
            if (cursor < 0) {
                throw new InvalidInputException(field, "must not be negative");
            }
            return cursor;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    field,
                    "'" + value + "' is not a cursor: use a position from 'next', or"
                            + " 'latest'");
        }
    }

    public static int limit(String field, @Nullable Integer value) {
        if (value == null) {
            return LIMIT_DEFAULT;
        }
        if (value < 1 || value > LIMIT_MAX) {
            throw new InvalidInputException(field, "must be between 1 and " + LIMIT_MAX);
        }
        return value;
    }

    /**
     * Changes after {@code after} (-1: from the oldest retained), waiting up to {@code wait}
     * for the first one when there is none yet; record changes only ({@link EventTypes#DEFAULT}).
     */
    public Page read(String environmentId, long after, int limit, Duration wait)
            throws InterruptedException {
        return read(environmentId, after, limit, wait, EventTypes.DEFAULT);
    }

    /**
     * Changes of the given event types after {@code after}. Entries of other types are skipped
     * and the page's {@code next} moves past them, so a reader never reads them again.
     */
    public Page read(String environmentId, long after, int limit, Duration wait, Set<String> types)
            throws InterruptedException {
        // The cached configuration: checks that the environment exists without a query.
        RuntimeConfiguration config = environments.configuration(environmentId);
        long start = after;
        long pruned = store.prunedThrough(environmentId);
        if (after < 0) {
            start = pruned;
        } else if (after < pruned) {
            throw new CursorExpiredException(after, pruned);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<StoredChange> rows = store.read(environmentId, start, limit + 1);
            long remaining = deadline - System.nanoTime();
            Page page = page(config, rows, start, limit, types);
            if (!page.changes().isEmpty() || remaining <= 0) {
                return page;
            }
            if (rows.isEmpty()) {
                signal.await(Duration.ofNanos(Math.min(remaining, POLL.toNanos())));
            }
            // Only entries of other types: read on after them.
            start = page.next();
        }
    }

    /** Where the consumers of one kind that keep a {@code feed_cursor} row have read to. */
    public List<FeedCursor> cursors(String consumer, int max) {
        return store.cursors(consumer, max);
    }

    /**
     * The last {@code limit} changes of an environment, oldest first; the page's next is the
     * newest.
     */
    public Page latest(String environmentId, int limit) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        List<StoredChange> rows = store.latest(environmentId, limit);
        long next = rows.isEmpty() ? store.head() : rows.getLast().position();
        return page(config, rows, next, limit, EventTypes.DEFAULT);
    }

    private static Page page(
            RuntimeConfiguration config,
            List<StoredChange> rows,
            long start,
            int limit,
            Set<String> types) {
        boolean more = rows.size() > limit;
        List<StoredChange> taken = more ? rows.subList(0, limit) : rows;
        if (taken.isEmpty()) {
            return new Page(List.of(), start, false);
        }
        List<Change> changes = new ArrayList<>(taken.size());
        for (StoredChange row : taken) {
            Change change = change(config, row);
            if (types.contains(EventTypes.of(change))) {
                changes.add(change);
            }
        }
        return new Page(changes, taken.getLast().position(), more);
    }

    static Change change(RuntimeConfiguration config, StoredChange row) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        row.dimensions()
                .forEach((name, value) -> dimensions.put(
                        BaseDimension.isPartition(name) ? name : BaseDimension.canonical(name),
                        value));
        Map<String, Map<String, BigDecimal>> quantities = null;
        Map<String, Map<String, Map<String, BigDecimal>>> schedule = null;
        switch (row.kind()) {
            case StoredChange.KIND_ONHAND ->
                quantities =
                        QueryResults.quantities(config, row.physical(), true).toNested();
            case StoredChange.KIND_SCHEDULE -> schedule = schedule(row.schedule());
            // A deleted record carries no quantities: the change says only that it is gone.
            case StoredChange.KIND_DELETED -> {}
            case StoredChange.KIND_ALERT -> {
                if (row.alert() == null) {
                    throw Invariants.violated("alert change %s has no alert", row.position());
                }
            }
            // The feed's triggers write the first three kinds, the alert evaluator the fourth.
            default ->
                throw Invariants.violated(
                        "change %s has unknown kind '%s'", row.position(), row.kind());
        }
        return new Change(
                row.position(),
                row.committedAt(),
                row.kind(),
                row.organizationId(),
                row.productId(),
                dimensions,
                quantities,
                schedule,
                row.alert());
    }

    private static Map<String, Map<String, Map<String, BigDecimal>>> schedule(
            Map<MeasureRef, Map<String, BigDecimal>> stored) {
        Map<String, Map<String, Map<String, BigDecimal>>> out = new TreeMap<>();
        stored.forEach((measure, byDate) -> {
            Map<String, BigDecimal> dates = new TreeMap<>();
            byDate.forEach((date, quantity) -> dates.put(date, QueryResults.plain(quantity)));
            out.computeIfAbsent(measure.dataSource(), ds -> new TreeMap<>())
                    .put(measure.measure(), dates);
        });
        return out;
    }
}
