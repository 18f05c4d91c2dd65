package io.ivs.core.testing;

import io.ivs.core.allocation.AllocationResult;
import io.ivs.core.allocation.AllocationStore;
import io.ivs.core.allocation.Bucket;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore;
import io.ivs.core.testing.InMemoryInventory.Row;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Allocation buckets in memory, on the records the reservation and on-hand stores share and
 * under the same lock, behaving as {@code JdbcAllocationStore} does.
 */
public final class InMemoryAllocationStore implements AllocationStore {
    private final InMemoryInventory inventory;

    public InMemoryAllocationStore(InMemoryInventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public <T> T withProductsLocked(
            EnvironmentId environment, SortedSet<UUID> productKeys, Function<Tx, T> work) {
        String environmentId = environment.value();
        return inventory.transaction(() -> work.apply(new LockedTx(environmentId)));
    }

    private final class LockedTx implements Tx {
        private final String env;

        LockedTx(String env) {
            this.env = env;
        }

        @Override
        public ProcessedEvents<AllocationResult> events() {
            return inventory.events().of(env, InMemoryAllocationStore::requireDone);
        }

        @Override
        public Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures) {
            return LockedWork.sum(inventory, level, measures);
        }

        @Override
        public Optional<Bucket> bucket(RecordKey record, List<String> path) {
            Row row = inventory.row(record);
            BigDecimal[] values = row == null ? null : row.buckets.get(path);
            return values == null ? Optional.empty() : Optional.of(bucketOf(record, path, values));
        }

        @Override
        public void apply(List<ReservationStore.Delta> deltas, List<BucketDelta> buckets) {
            LockedWork.apply(inventory, deltas);
            for (BucketDelta delta : buckets) {
                Row row = inventory.row(delta.record());
                if (row == null) {
                    // The schema's foreign key refuses a bucket of a record that does not exist.
                    throw new IllegalStateException("a bucket of no record: " + delta.record());
                }
                row = inventory.rowForUpdate(delta.record(), row.partitionId);
                BigDecimal[] values = row.buckets.computeIfAbsent(
                        List.copyOf(delta.path()), p -> new BigDecimal[] {
                            BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO
                        });
                values[0] = values[0].add(delta.allocated());
                values[1] = values[1].add(delta.consumed());
                values[2] = values[2].add(delta.cumulativeAllocated());
                values[3] = values[3].add(delta.cumulativeConsumed());
            }
        }
    }

    /** The PostgreSQL store can store applied answers only, and refuses the others loudly. */
    private static void requireDone(AllocationResult result) {
        if (!(result instanceof AllocationResult.Done)) {
            throw new IllegalStateException("rejections are not recorded: " + result);
        }
    }

    private static Bucket bucketOf(RecordKey record, List<String> path, BigDecimal[] values) {
        return new Bucket(
                record.organizationId(),
                record.productId(),
                new LinkedHashMap<>(record.dimensions().values()),
                path,
                values[0],
                values[1],
                values[2],
                values[3]);
    }

    /** Ordered by the path's JSON text, as the PostgreSQL store orders them. */
    @Override
    public List<Bucket> query(RecordKey record, List<String> prefix) {
        return inventory.transaction(() -> {
            Row row = inventory.row(record);
            List<Bucket> found = new ArrayList<>();
            if (row == null) {
                return found;
            }
            row.buckets.entrySet().stream()
                    .filter(e -> e.getKey().size() >= prefix.size()
                            && e.getKey().subList(0, prefix.size()).equals(prefix))
                    .sorted(Comparator.comparing(e -> pathText(e.getKey())))
                    .forEach(e -> found.add(bucketOf(record, e.getKey(), e.getValue())));
            return found;
        });
    }

    private static String pathText(List<String> path) {
        StringBuilder text = new StringBuilder("[");
        for (String value : path) {
            text.append(text.length() > 1 ? "," : "")
                    .append('"')
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return text.append(']').toString();
    }

    @Override
    public boolean hasBuckets(EnvironmentId environment) {
        String environmentId = environment.value();
        return inventory.transaction(() -> inventory.rows(environmentId).stream()
                .anyMatch(row ->
                        row.buckets.values().stream().anyMatch(values -> values[0].signum() != 0)));
    }
}
