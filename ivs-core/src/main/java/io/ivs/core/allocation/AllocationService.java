package io.ivs.core.allocation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Invariants;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.Rejection;
import io.ivs.core.allocation.AllocationCommand.Operation;
import io.ivs.core.allocation.AllocationStore.BucketDelta;
import io.ivs.core.config.AllocationSettings;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.Configurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.Idempotency;
import io.ivs.core.event.ProcessedEvents.Claim;
import io.ivs.core.event.Verdict;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.ChangeResolver;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationIds;
import io.ivs.core.reservation.ReservationStore.Delta;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Allocation writes and queries with the state model of spec B.5. Each write runs in one
 * transaction under its product's lock: check the pool or the bucket, then move the bucket and
 * the {@code @iv} measures of the record together, so concurrent allocations can never exceed
 * what is available to allocate.
 */
public final class AllocationService {
    private static final BigDecimal ZERO = BigDecimal.ZERO;

    private final AllocationStore store;
    private final Configurations configurations;

    public AllocationService(AllocationStore store, Configurations configurations) {
        this.store = store;
        this.configurations = configurations;
    }

    public AllocationResult write(EnvironmentId environmentId, AllocationCommand command) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        ResolvedAllocation item;
        try {
            item = AllocationResolver.resolve(environmentId, config, command);
        } catch (InvalidInputException e) {
            return new AllocationResult.Rejected(
                    command.id(),
                    e instanceof ReadOnlyException ? Rejection.FORBIDDEN : Rejection.INVALID,
                    e.getMessage());
        }
        if (item.operation() == Operation.REALLOCATE && item.path().equals(item.sourcePath())) {
            return new AllocationResult.Rejected(
                    command.id(),
                    Rejection.INVALID,
                    "groups: the target is the same group path as sourceGroups");
        }
        CalculatedMeasure ata = AllocationResolver.availableToAllocate(config);
        return store.withProductsLocked(
                environmentId,
                new TreeSet<>(List.of(item.record().productKey())),
                tx -> new Work(tx, config, item, ata).run());
    }

    /** Buckets at exactly the given dimensions whose group path starts with the given groups. */
    public List<Bucket> query(
            EnvironmentId environmentId,
            String organizationId,
            String productId,
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions,
            Map<String, String> groups) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        AllocationResolver.requireEnabled(config);
        DimensionSet dims =
                ChangeResolver.resolveDimensions(config, dimensionDataSource, dimensions);
        RecordKey record = new RecordKey(
                environmentId,
                Limits.requireText("organizationId", organizationId),
                Limits.requireText("productId", productId),
                dims);
        return store.query(record, AllocationResolver.path(config, "groups", groups, true));
    }

    /** One write inside its transaction. */
    private static final class Work {
        private final AllocationStore.Tx tx;
        private final RuntimeConfiguration config;
        private final ResolvedAllocation item;
        private final CalculatedMeasure ata;
        private final List<Delta> deltas = new ArrayList<>();
        private final List<BucketDelta> buckets = new ArrayList<>();

        Work(
                AllocationStore.Tx tx,
                RuntimeConfiguration config,
                ResolvedAllocation item,
                CalculatedMeasure ata) {
            this.tx = tx;
            this.config = config;
            this.item = item;
            this.ata = ata;
        }

        AllocationResult run() {
            String family = item.operation().family();
            Verdict<AllocationResult> verdict = Idempotency.decide(
                    item.eventId(),
                    item.fingerprint(),
                    tx.events().find(family, List.of(item.eventId())).get(item.eventId()));
            if (!(verdict instanceof Verdict.Fresh)) {
                return answer(verdict);
            }
            BigDecimal q = item.quantity();
            String reservationId = null;
            switch (item.operation()) {
                case ALLOCATE -> {
                    BigDecimal available = ata.evaluate(tx.sum(item.record(), ata.components()));
                    // Zero or less is legitimate data (stock moved out, unchecked reservations
                    // oversold): nothing can be allocated then.
                    if (available.signum() <= 0 || q.compareTo(available) > 0) {
                        return rejected(
                                Rejection.INSUFFICIENT_TO_ALLOCATE,
                                "quantity: available to allocate is "
                                        + available.toPlainString() + ", " + q.toPlainString()
                                        + " requested");
                    }
                    bucket(item.path(), q, ZERO, q, ZERO);
                    measure(AllocationSettings.ALLOCATED, q);
                    measure(AllocationSettings.CUMULATIVE_ALLOCATED, q);
                }
                case UNALLOCATE -> {
                    Optional<AllocationResult> shortfall = requireHeld(item.path(), "groups");
                    if (shortfall.isPresent()) {
                        return shortfall.get();
                    }
                    bucket(item.path(), q.negate(), ZERO, ZERO, ZERO);
                    measure(AllocationSettings.ALLOCATED, q.negate());
                }
                case REALLOCATE -> {
                    Optional<AllocationResult> shortfall =
                            requireHeld(item.sourcePath(), "sourceGroups");
                    if (shortfall.isPresent()) {
                        return shortfall.get();
                    }
                    bucket(item.sourcePath(), q.negate(), ZERO, ZERO, ZERO);
                    bucket(item.path(), q, ZERO, q, ZERO);
                    measure(AllocationSettings.CUMULATIVE_ALLOCATED, q);
                }
                case CONSUME -> {
                    Optional<AllocationResult> shortfall = requireHeld(item.path(), "groups");
                    if (shortfall.isPresent()) {
                        return shortfall.get();
                    }
                    reservationId = consume(q);
                }
            }
            AllocationResult done =
                    new AllocationResult.Done(item.eventId().value(), reservationId);
            Claim<AllocationResult> claim = new Claim<>(
                    item.eventId(),
                    item.record().productKey(),
                    item.fingerprint(),
                    item.partitionId(),
                    done);
            if (!tx.events().claim(family, List.of(claim)).contains(item.eventId())) {
                return answer(Idempotency.conflict(item.eventId()));
            }
            tx.apply(deltas, buckets);
            return done;
        }

        /** Consume: the bucket and the real measures move; a raised reservation measure is held. */
        private @Nullable String consume(BigDecimal q) {
            bucket(item.path(), q.negate(), q, ZERO, q);
            measure(AllocationSettings.ALLOCATED, q.negate());
            MeasureRef consumed =
                    new MeasureRef(AllocationSettings.DATA_SOURCE, AllocationSettings.CONSUMED);
            if (!item.consumeSigns().containsKey(consumed)) {
                measure(AllocationSettings.CONSUMED, q);
            }
            measure(AllocationSettings.CUMULATIVE_CONSUMED, q);
            String reservationId = null;
            for (Map.Entry<MeasureRef, Integer> entry : item.consumeSigns().entrySet()) {
                MeasureRef ref = entry.getKey();
                String ledger = null;
                // The resolver took each measure from a data source of this same configuration.
                boolean reservationMeasure = config.dataSource(ref.dataSource())
                        .map(ds -> ds.reservMappings().containsKey(ref.measure()))
                        .orElseThrow(() -> Invariants.violated(
                                "consume '%s' names %s of no configured data source",
                                item.eventId(), ref));
                if (reservationMeasure && entry.getValue() > 0) {
                    ledger = ReservationIds.of(
                            item.record().organizationId(),
                            item.record().productId(),
                            ref,
                            item.record().dimensions());
                    reservationId = ledger;
                }
                BigDecimal delta = entry.getValue() > 0 ? q : q.negate();
                deltas.add(new Delta(item.record(), item.partitionId(), ref, delta, ledger));
            }
            return reservationId;
        }

        private Optional<AllocationResult> requireHeld(List<String> path, String field) {
            // A group path never allocated to has no bucket yet and holds nothing.
            BigDecimal held =
                    tx.bucket(item.record(), path).map(Bucket::allocated).orElse(ZERO);
            if (item.quantity().compareTo(held) > 0) {
                return Optional.of(rejected(
                        Rejection.INSUFFICIENT_TO_ALLOCATE,
                        field + ": the group path "
                                + path + " holds " + held.toPlainString() + " allocated, "
                                + item.quantity().toPlainString() + " requested"));
            }
            return Optional.empty();
        }

        private void bucket(
                List<String> path,
                BigDecimal allocated,
                BigDecimal consumed,
                BigDecimal cumulativeAllocated,
                BigDecimal cumulativeConsumed) {
            buckets.add(new BucketDelta(
                    item.record(),
                    path,
                    allocated,
                    consumed,
                    cumulativeAllocated,
                    cumulativeConsumed));
        }

        private void measure(String name, BigDecimal quantity) {
            deltas.add(new Delta(
                    item.record(),
                    item.partitionId(),
                    new MeasureRef(AllocationSettings.DATA_SOURCE, name),
                    quantity,
                    null));
        }

        /** The answer to an event that is not processed: its stored answer or a conflict. */
        private AllocationResult answer(Verdict<AllocationResult> verdict) {
            return switch (verdict) {
                case Verdict.Replay<AllocationResult> replay -> replay.answer();
                case Verdict.Conflict<AllocationResult> conflict ->
                    rejected(Rejection.CONFLICT, conflict.message());
                case Verdict.Fresh<AllocationResult> fresh ->
                    throw Invariants.violated(
                            "event '%s' is new and has no answer yet", item.eventId());
            };
        }

        private AllocationResult rejected(Rejection reason, String message) {
            return new AllocationResult.Rejected(item.eventId().value(), reason, message);
        }
    }
}
