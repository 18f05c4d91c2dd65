package io.ivs.core.testing;

import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.port.ReservationStore;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.testing.InMemoryInventory.StoredLedger;
import io.ivs.core.testing.InMemoryProcessedEvents.Claim;
import io.ivs.core.testing.InMemoryProcessedEvents.Stored;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
            String environmentId, SortedSet<UUID> productKeys, Function<Tx, T> work) {
        return inventory.transaction(() -> work.apply(new LockedTx(environmentId)));
    }

    private final class LockedTx implements Tx {
        private final String env;

        LockedTx(String env) {
            this.env = env;
        }

        @Override
        public Optional<Processed> processed(String family, String eventId) {
            return Optional.ofNullable(processedAll(family, List.of(eventId)).get(eventId));
        }

        @Override
        public boolean markProcessed(
                String family,
                String eventId,
                String fingerprint,
                String partitionId,
                ReservationResult result) {
            return markAllProcessed(
                    family, List.of(new Mark(eventId, fingerprint, partitionId, result)));
        }

        @Override
        public Map<String, Processed> processedAll(String family, Collection<String> eventIds) {
            Map<String, Stored<ReservationResult>> stored =
                    inventory.events().find(env, family, eventIds);
            Map<String, Processed> found = new HashMap<>();
            stored.forEach((id, s) -> found.put(id, new Processed(s.fingerprint(), s.answer())));
            return found;
        }

        @Override
        public boolean markAllProcessed(String family, List<Mark> marks) {
            List<Claim<ReservationResult>> claims = new ArrayList<>();
            for (Mark mark : marks) {
                requireApplied(mark.result());
                claims.add(new Claim<>(
                        mark.eventId(), mark.fingerprint(), mark.partitionId(), mark.result()));
            }
            long distinct = marks.stream().map(Mark::eventId).distinct().count();
            return inventory.events().claim(env, family, claims).size() == distinct;
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
                            ledger.quantity()));
        }

        @Override
        public void apply(List<Delta> deltas) {
            LockedWork.apply(inventory, deltas);
        }
    }

    /** The PostgreSQL store can store applied answers only, and refuses the others loudly. */
    private static void requireApplied(ReservationResult result) {
        if (result instanceof ReservationResult.Rejected) {
            throw new IllegalStateException("rejections are not recorded: " + result);
        }
    }

    @Override
    public List<Holding> list(
            String environmentId,
            Optional<String> organizationId,
            Optional<String> productId,
            Optional<String> reservationId,
            int limit) {
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
                        l.updatedAt()))
                .toList());
    }

    /** Reverses the non-zero ledgers product by product, each product in its own transaction. */
    @Override
    public int reverseAll(String environmentId, Set<String> dataSources) {
        SortedSet<UUID> products = inventory.transaction(() -> {
            SortedSet<UUID> keys = new TreeSet<>();
            inventory.ledgers(environmentId).stream()
                    .filter(l -> l.quantity().signum() != 0)
                    .forEach(l -> keys.add(l.record().productKey()));
            return keys;
        });
        int reversed = 0;
        for (UUID product : products) {
            reversed += withProductsLocked(
                    environmentId,
                    new TreeSet<>(List.of(product)),
                    tx -> reverseProduct(environmentId, product, dataSources, tx));
        }
        return reversed;
    }

    private int reverseProduct(String env, UUID product, Set<String> dataSources, Tx tx) {
        List<Delta> deltas = new ArrayList<>();
        for (StoredLedger ledger : inventory.ledgers(env)) {
            boolean wanted = dataSources.isEmpty()
                    || dataSources.contains(ledger.measure().dataSource());
            if (ledger.record().productKey().equals(product)
                    && ledger.quantity().signum() != 0
                    && wanted) {
                InMemoryInventory.Row row = inventory.row(ledger.record());
                deltas.add(new Delta(
                        ledger.record(),
                        row.partitionId,
                        ledger.measure(),
                        ledger.quantity().negate(),
                        ledger.reservationId()));
            }
        }
        tx.apply(deltas);
        return deltas.size();
    }
}
