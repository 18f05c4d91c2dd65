package io.ivs.core.testing;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReservationStore;
import io.ivs.core.testing.InMemoryInventory.StoredLedger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Soft reservations in memory, behaving as {@code JdbcReservationStore} does. The work on a set
 * of products runs under the inventory's one lock, as one transaction that a throw rolls back.
 */
public final class InMemoryReservationStore implements ReservationStore {
    private final InMemoryInventory inventory;

    public InMemoryReservationStore(InMemoryInventory inventory) {
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
        public ProcessedEvents<ReservationResult> events() {
            return inventory.events().of(env, InMemoryReservationStore::requireApplied);
        }

        @Override
        public Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures) {
            return LockedWork.sum(inventory, level, measures);
        }

        @Override
        public Optional<Ledger> ledger(UUID productKey, String reservationId) {
            StoredLedger ledger = inventory.ledger(productKey, reservationId);
            return ledger == null
                    ? Optional.empty()
                    : Optional.of(new Ledger(
                            reservationId,
                            ledger.measure(),
                            ledger.record().dimensions().key(),
                            ledger.quantity(),
                            ledger.expiresAt()));
        }

        /** Ledgers not at zero, with the partition of their record (a ledger always has one). */
        @Override
        public List<HeldLedger> heldLedgers(UUID productKey) {
            List<HeldLedger> held = new ArrayList<>();
            for (StoredLedger ledger : inventory.ledgers(env)) {
                if (ledger.record().productKey().equals(productKey)
                        && ledger.quantity().signum() != 0) {
                    held.add(new HeldLedger(
                            ledger.reservationId(),
                            ledger.measure(),
                            ledger.record(),
                            partitionOf(ledger.record()),
                            ledger.quantity()));
                }
            }
            return held;
        }

        @Override
        public void apply(List<Delta> deltas) {
            LockedWork.apply(inventory, deltas);
        }

        @Override
        public List<LapsedHold> lapsedHolds(SortedSet<UUID> productKeys, Instant now) {
            List<LapsedHold> lapsed = new ArrayList<>();
            for (StoredLedger ledger : inventory.ledgers(env)) {
                Instant expiresAt = ledger.expiresAt();
                if (expiresAt != null
                        && !expiresAt.isAfter(now)
                        && productKeys.contains(ledger.record().productKey())) {
                    lapsed.add(new LapsedHold(held(ledger), expiresAt));
                }
            }
            lapsed.sort(
                    Comparator.comparing((LapsedHold h) -> h.ledger().record().productKey())
                            .thenComparing(h -> h.ledger().reservationId()));
            return lapsed;
        }

        /** The PostgreSQL store's log of releases serves operators only; nothing reads it here. */
        @Override
        public void released(List<LapsedHold> releases) {}

        @Override
        public void expire(List<Expiry> expiries) {
            for (Expiry expiry : expiries) {
                inventory.setExpiry(
                        expiry.productKey(), expiry.reservationId(), expiry.expiresAt());
            }
        }
    }

    private HeldLedger held(StoredLedger ledger) {
        return new HeldLedger(
                ledger.reservationId(),
                ledger.measure(),
                ledger.record(),
                partitionOf(ledger.record()),
                ledger.quantity());
    }

    @Override
    public List<DueHold> dueHolds(Instant now, int limit) {
        return inventory.transaction(() -> inventory.allLedgers().stream()
                .filter(l -> l.expiresAt() != null && !l.expiresAt().isAfter(now))
                .sorted(Comparator.comparing((StoredLedger l) -> l.expiresAt()))
                .limit(limit)
                .map(l -> new DueHold(
                        l.record().environmentId(),
                        l.record().productKey(),
                        l.reservationId(),
                        l.expiresAt()))
                .toList());
    }

    /** The PostgreSQL store can store applied answers only, and refuses the others loudly. */
    private static void requireApplied(ReservationResult result) {
        if (result instanceof ReservationResult.Rejected) {
            throw new IllegalStateException("rejections are not recorded: " + result);
        }
    }

    @Override
    public List<Holding> list(
            EnvironmentId environment,
            Optional<String> organizationId,
            Optional<String> productId,
            Optional<String> reservationId,
            int limit) {
        String environmentId = environment.value();
        return inventory.transaction(() -> inventory.ledgers(environmentId).stream()
                .filter(l ->
                        organizationId.map(l.record().organizationId()::equals).orElse(true))
                .filter(l -> productId.map(l.record().productId()::equals).orElse(true))
                .filter(l -> reservationId.map(l.reservationId()::equals).orElse(true))
                .sorted(Comparator.comparing((StoredLedger l) -> l.record().organizationId())
                        .thenComparing(l -> l.record().productId())
                        .thenComparing(StoredLedger::reservationId))
                .limit(limit)
                .map(l -> new Holding(
                        l.reservationId(),
                        l.record().organizationId(),
                        l.record().productId(),
                        l.measure(),
                        new LinkedHashMap<>(l.record().dimensions().values()),
                        l.quantity(),
                        l.updatedAt(),
                        l.expiresAt()))
                .toList());
    }

    @Override
    public List<UUID> productsHoldingReservations(EnvironmentId environment) {
        String environmentId = environment.value();
        return inventory.transaction(() -> {
            SortedSet<UUID> keys = new TreeSet<>();
            inventory.ledgers(environmentId).stream()
                    .filter(l -> l.quantity().signum() != 0)
                    .forEach(l -> keys.add(l.record().productKey()));
            return List.copyOf(keys);
        });
    }

    /** The schema's foreign key keeps a ledger's record alive, so it always has a partition. */
    private String partitionOf(RecordKey record) {
        InMemoryInventory.Row row = inventory.row(record);
        if (row == null) {
            throw new IllegalStateException("a ledger of no record: " + record);
        }
        return row.partitionId;
    }
}
