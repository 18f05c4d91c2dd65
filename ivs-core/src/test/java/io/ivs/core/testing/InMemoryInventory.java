package io.ivs.core.testing;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The state the in-memory stores share, as the PostgreSQL stores share one database: records
 * with their quantities, set times, schedules and allocation buckets; reservation ledgers; and
 * processed event ids. One lock serialises every transaction (a stricter form of the per-product
 * locks), and a transaction that throws leaves no trace, as a rolled-back one does.
 *
 * <p>Deleting a record deletes its quantities, schedules, buckets and the reservation ledgers
 * kept on it, as the foreign keys of the schema do ({@code on delete cascade}).
 */
public final class InMemoryInventory {
    /** One stored record and everything kept per record. Mutable; copied for rollback. */
    static final class Row {
        final RecordKey record;
        final String partitionId;
        final TreeMap<MeasureRef, BigDecimal> quantities = new TreeMap<>();
        /** When set on-hand last wrote each measure (spec A5). */
        final Map<MeasureRef, Instant> setAt = new HashMap<>();

        final TreeMap<LocalDate, TreeMap<MeasureRef, BigDecimal>> schedules = new TreeMap<>();
        /** Allocation buckets by group path: allocated, consumed and their cumulative counters. */
        final Map<List<String>, BigDecimal[]> buckets = new HashMap<>();

        Row(RecordKey record, String partitionId) {
            this.record = record;
            this.partitionId = partitionId;
        }

        Row copy() {
            Row copy = new Row(record, partitionId);
            copy.quantities.putAll(quantities);
            copy.setAt.putAll(setAt);
            schedules.forEach((date, q) -> copy.schedules.put(date, new TreeMap<>(q)));
            buckets.forEach((path, b) -> copy.buckets.put(path, b.clone()));
            return copy;
        }
    }

    /** A reservation ledger, keyed by product and reservation id as in the schema. */
    record LedgerKey(UUID productKey, String reservationId) {}

    record StoredLedger(
            RecordKey record,
            String reservationId,
            MeasureRef measure,
            BigDecimal quantity,
            Instant updatedAt,
            @Nullable Instant expiresAt) {}

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final TransactionalMap<RecordKey, Row> records = new TransactionalMap<>(Row::copy);
    private final TransactionalMap<LedgerKey, StoredLedger> ledgers =
            new TransactionalMap<>(l -> l);
    private final InMemoryProcessedEvents.Table events = new InMemoryProcessedEvents.Table();
    private int depth;

    /** @param clock the time of ledger updates */
    public InMemoryInventory(Clock clock) {
        this.clock = clock;
    }

    public InMemoryProcessedEvents.Table events() {
        return events;
    }

    /** Runs {@code work} as one transaction: all of it stays, or (when it throws) none of it. */
    <T> T transaction(Supplier<T> work) {
        lock.lock();
        depth++;
        try {
            T result = work.get();
            if (depth == 1) {
                commit();
            }
            return result;
        } catch (RuntimeException | Error e) {
            if (depth == 1) {
                rollback();
            }
            throw e;
        } finally {
            depth--;
            lock.unlock();
        }
    }

    private void commit() {
        records.commit();
        ledgers.commit();
        events.commit();
    }

    private void rollback() {
        records.rollback();
        ledgers.rollback();
        events.rollback();
    }

    private void requireTransaction() {
        if (depth == 0 || !lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a write outside a transaction");
        }
    }

    @Nullable
    Row row(RecordKey record) {
        return records.get(record);
    }

    /** The row to change; a new record lies in {@code partitionId}, an existing one keeps its. */
    Row rowForUpdate(RecordKey record, String partitionId) {
        requireTransaction();
        return records.forUpdate(record, key -> new Row(key, partitionId));
    }

    /** The rows of one environment, in the order they were made. */
    List<Row> rows(String environmentId) {
        List<Row> rows = new ArrayList<>();
        for (Row row : records.values()) {
            if (row.record.environmentId().value().equals(environmentId)) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Nullable
    StoredLedger ledger(UUID productKey, String reservationId) {
        return ledgers.get(new LedgerKey(productKey, reservationId));
    }

    List<StoredLedger> ledgers(String environmentId) {
        List<StoredLedger> found = new ArrayList<>();
        for (StoredLedger ledger : ledgers.values()) {
            if (ledger.record().environmentId().value().equals(environmentId)) {
                found.add(ledger);
            }
        }
        return found;
    }

    /**
     * Adds to a ledger; a new ledger takes the record and measure of its first change, and keeps
     * them (the schema's upsert changes only the quantity).
     */
    void addToLedger(
            RecordKey record, String reservationId, MeasureRef measure, BigDecimal quantity) {
        requireTransaction();
        LedgerKey key = new LedgerKey(record.productKey(), reservationId);
        StoredLedger old = ledgers.get(key);
        Instant now = clock.instant();
        ledgers.put(
                key,
                old == null
                        ? new StoredLedger(record, reservationId, measure, quantity, now, null)
                        : new StoredLedger(
                                old.record(),
                                reservationId,
                                old.measure(),
                                old.quantity().add(quantity),
                                now,
                                old.expiresAt()));
    }

    /** Sets or clears the expiry of an existing ledger; a missing one is left alone. */
    void setExpiry(UUID productKey, String reservationId, @Nullable Instant expiresAt) {
        requireTransaction();
        LedgerKey key = new LedgerKey(productKey, reservationId);
        StoredLedger old = ledgers.get(key);
        if (old != null) {
            ledgers.put(
                    key,
                    new StoredLedger(
                            old.record(),
                            reservationId,
                            old.measure(),
                            old.quantity(),
                            old.updatedAt(),
                            expiresAt));
        }
    }

    /** The ledgers of every environment. */
    List<StoredLedger> allLedgers() {
        return new ArrayList<>(ledgers.values());
    }

    /** Deletes the rows {@code doomed} accepts, with what hangs on them; answers how many. */
    int deleteRows(String environmentId, java.util.function.Predicate<Row> doomed) {
        requireTransaction();
        java.util.Set<RecordKey> gone = new java.util.HashSet<>();
        for (Row row : rows(environmentId)) {
            if (doomed.test(row)) {
                gone.add(row.record);
            }
        }
        ledgers.removeIf(e -> gone.contains(e.getValue().record()));
        return records.removeIf(e -> gone.contains(e.getKey()));
    }
}
