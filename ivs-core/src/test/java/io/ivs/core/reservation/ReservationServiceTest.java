package io.ivs.core.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvariantViolation;
import io.ivs.core.Rejection;
import io.ivs.core.TestConfigurations;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore.Delta;
import io.ivs.core.reservation.ReservationStore.Ledger;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The invariants of reserve and unreserve inside their transaction, given states that the
 * resolver never lets through, and the ledger states that are legitimate.
 */
class ReservationServiceTest {
    private static final MeasureRef SOFT = new MeasureRef("iv", "softreserved");
    private static final DimensionSet RED = DimensionSet.of(Map.of("colorid", "red"));

    /** A transaction over fixed ledgers and plenty of stock, recording what it is told. */
    private static final class FakeTx implements ReservationStore.Tx {
        final Map<String, Ledger> ledgers = new HashMap<>();
        final List<Delta> applied = new ArrayList<>();

        void ledger(RecordKey record, String reservationId, String quantity) {
            ledgers.put(
                    record.productKey() + "/" + reservationId,
                    new Ledger(
                            reservationId,
                            SOFT,
                            record.dimensions().key(),
                            new BigDecimal(quantity)));
        }

        /** Answers recorded per family and event id, as the store keeps them. */
        final Map<String, ProcessedEvents.Stored<ReservationResult>> stored = new HashMap<>();

        /** A concurrent request records every id between look-up and claim. */
        boolean idsTakenMeanwhile;

        final List<ReservationStore.HeldLedger> held = new ArrayList<>();

        @Override
        public ProcessedEvents<ReservationResult> events() {
            return new ProcessedEvents<>() {
                @Override
                public Map<EventId, Stored<ReservationResult>> find(
                        String family, Collection<EventId> eventIds) {
                    Map<EventId, Stored<ReservationResult>> found = new HashMap<>();
                    for (EventId id : eventIds) {
                        Stored<ReservationResult> answer = stored.get(family + "/" + id);
                        if (answer != null) {
                            found.put(id, answer);
                        }
                    }
                    return found;
                }

                @Override
                public Set<EventId> claim(String family, List<Claim<ReservationResult>> claims) {
                    Set<EventId> ids = new HashSet<>();
                    for (Claim<ReservationResult> claim : claims) {
                        if (!idsTakenMeanwhile
                                && stored.putIfAbsent(
                                                family + "/" + claim.eventId(),
                                                new Stored<>(claim.fingerprint(), claim.answer()))
                                        == null) {
                            ids.add(claim.eventId());
                        }
                    }
                    return ids;
                }
            };
        }

        @Override
        public List<ReservationStore.HeldLedger> heldLedgers(UUID productKey) {
            return held.stream()
                    .filter(h -> h.record().productKey().equals(productKey))
                    .toList();
        }

        /** The levels whose sums were read, in order. */
        final List<RecordKey> sumRead = new ArrayList<>();

        @Override
        public Map<MeasureRef, BigDecimal> sum(RecordKey level, Collection<MeasureRef> measures) {
            sumRead.add(level);
            return Map.of(TestConfigurations.ref("fno.physicalinvent"), new BigDecimal(1000));
        }

        @Override
        public Optional<Ledger> ledger(UUID productKey, String reservationId) {
            return Optional.ofNullable(ledgers.get(productKey + "/" + reservationId));
        }

        @Override
        public void apply(List<Delta> deltas) {
            applied.addAll(deltas);
        }

        @Override
        public List<ReservationStore.LapsedHold> lapsedHolds(
                java.util.SortedSet<UUID> productKeys, java.time.Instant now) {
            return List.of();
        }

        @Override
        public void expire(List<ReservationStore.Expiry> expiries) {}

        @Override
        public void released(List<ReservationStore.LapsedHold> releases) {}
    }

    private static RecordKey record(String product) {
        return new RecordKey(EnvironmentId.of("env"), "usmf", product, RED);
    }

    private static ResolvedReservation checkedReserve(String eventId, String quantity) {
        return new ResolvedReservation(
                EventId.of(eventId),
                record("Bike"),
                "usmf~~",
                SOFT,
                new BigDecimal(quantity),
                TestConfigurations.calculated(
                        "availabletoreserve", List.of("fno.physicalinvent"), List.of()),
                "r-bike",
                "fingerprint-" + eventId);
    }

    /** A checked reserve against the stock less what is reserved. */
    private static ResolvedReservation checkedAgainstReserved(
            String eventId, String product, String quantity) {
        return new ResolvedReservation(
                EventId.of(eventId),
                record(product),
                "usmf~~",
                SOFT,
                new BigDecimal(quantity),
                TestConfigurations.calculated(
                        "availabletoreserve",
                        List.of("fno.physicalinvent"),
                        List.of("iv.softreserved")),
                "r-" + product,
                "fingerprint-" + eventId);
    }

    private static ResolvedUnreserve unreserve(
            String eventId, String product, String reservationId, String offset) {
        return new ResolvedUnreserve(
                EventId.of(eventId),
                record(product),
                "usmf~~",
                reservationId,
                new BigDecimal(offset),
                "fingerprint-" + eventId);
    }

    @Test
    void reserve_checkedPositiveQuantity_isReserved() {
        FakeTx tx = new FakeTx();

        List<ReservationResult> results =
                new ReservationService.Batch(tx).reserveAll(List.of(checkedReserve("e1", "3")));

        assertThat(results).singleElement().isInstanceOf(ReservationResult.Reserved.class);
        assertThat(tx.applied)
                .singleElement()
                .extracting(Delta::quantity)
                .isEqualTo(new BigDecimal("3"));
    }

    @Test
    void reserveAll_readsEachLevelsSumsOnce_andEachItemSeesTheOnesBeforeIt() {
        FakeTx tx = new FakeTx();
        List<ResolvedReservation> items = List.of(
                checkedAgainstReserved("e1", "Bike", "600"),
                checkedAgainstReserved("e2", "Car", "1000"),
                checkedAgainstReserved("e3", "Bike", "400"),
                checkedAgainstReserved("e4", "Boat", "1"),
                checkedAgainstReserved("e5", "Bike", "1"),
                checkedAgainstReserved("e6", "Car", "0.5"));

        List<ReservationResult> results = new ReservationService.Batch(tx).reserveAll(items);

        // Stock is 1,000 at every level: Bike takes 600 and 400, then has none left; Car's
        // 1,000 takes all of its stock.
        assertThat(results)
                .extracting(r -> r.getClass().getSimpleName())
                .containsExactly(
                        "Reserved", "Reserved", "Reserved", "Reserved", "Rejected", "Rejected");
        assertThat(tx.sumRead).containsExactly(record("Bike"), record("Car"), record("Boat"));
        assertThat(tx.applied)
                .extracting(Delta::quantity)
                .containsExactly(
                        new BigDecimal("600"),
                        new BigDecimal("1000"),
                        new BigDecimal("400"),
                        new BigDecimal("1"));
    }

    @Test
    void reserve_checkedNegativeQuantity_throwsInvariantViolationAndAppliesNothing() {
        FakeTx tx = new FakeTx();

        assertThatThrownBy(() -> new ReservationService.Batch(tx)
                        .reserveAll(List.of(checkedReserve("e1", "-2"))))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessage("invariant violated: checked reserve 'e1' of -2; only more than zero"
                        + " passes the resolver");
        assertThat(tx.applied).isEmpty();
    }

    @Test
    void unreserve_offsetZero_throwsInvariantViolationAndAppliesNothing() {
        FakeTx tx = new FakeTx();
        tx.ledger(record("Bike"), "r-bike", "5");

        assertThatThrownBy(() -> new ReservationService.Batch(tx)
                        .unreserveAll(List.of(unreserve("u1", "Bike", "r-bike", "0"))))
                .isExactlyInstanceOf(InvariantViolation.class)
                .hasMessage("invariant violated: unreserve 'u1' offsets 0; only more than zero"
                        + " passes the resolver");
        assertThat(tx.applied).isEmpty();
    }

    /**
     * A ledger below zero is legitimate (an unchecked negative reserve cancelled more than it
     * held), so it is no invariant: the unreserve releases nothing and reports the offset invalid.
     */
    @Test
    void unreserve_ledgerBelowZero_releasesNothing() {
        FakeTx tx = new FakeTx();
        tx.ledger(record("Bike"), "r-bike", "-4");

        List<ReservationResult> results = new ReservationService.Batch(tx)
                .unreserveAll(List.of(unreserve("u1", "Bike", "r-bike", "3")));

        ReservationResult.Unreserved done = (ReservationResult.Unreserved) results.getFirst();
        assertThat(done.released()).isZero();
        assertThat(done.invalid()).isEqualByComparingTo("3");
        assertThat(tx.applied).isEmpty();
    }

    /** A ledger is keyed by product and reservation id: another product's release never counts. */
    @Test
    void unreserve_sameReservationIdOnTwoProducts_releasesEachLedgerAlone() {
        FakeTx tx = new FakeTx();
        tx.ledger(record("Bike"), "r-shared", "5");
        tx.ledger(record("Helmet"), "r-shared", "5");

        List<ReservationResult> results = new ReservationService.Batch(tx)
                .unreserveAll(List.of(
                        unreserve("u1", "Bike", "r-shared", "5"),
                        unreserve("u2", "Helmet", "r-shared", "5")));

        assertThat(results)
                .extracting(r -> ((ReservationResult.Unreserved) r).released())
                .containsExactly(new BigDecimal("5"), new BigDecimal("5"));
        assertThat(tx.applied)
                .extracting(Delta::quantity)
                .containsExactly(new BigDecimal("-5"), new BigDecimal("-5"));
    }

    @Test
    void unreserveAll_offsetsWithinTheLedger_answerEachItem() {
        FakeTx tx = new FakeTx();
        tx.ledger(record("Bike"), "r-bike", "5");

        List<ReservationResult> results = new ReservationService.Batch(tx)
                .unreserveAll(List.of(
                        unreserve("u1", "Bike", "r-bike", "2"),
                        unreserve("u2", "Bike", "r-bike", "4")));

        assertThat(results)
                .extracting(r -> ((ReservationResult.Unreserved) r).released())
                .containsExactly(new BigDecimal("2"), new BigDecimal("3"));
    }

    @Test
    void reserve_sameEventIdAndContentTwice_replaysTheAnswerAndAppliesOnce() {
        FakeTx tx = new FakeTx();

        List<ReservationResult> results = new ReservationService.Batch(tx)
                .reserveAll(List.of(checkedReserve("e1", "3"), checkedReserve("e1", "3")));

        assertThat(results)
                .containsExactly(
                        new ReservationResult.Reserved("e1", "r-bike"),
                        new ReservationResult.Reserved("e1", "r-bike"));
        assertThat(tx.applied).hasSize(1);
    }

    @Test
    void reserve_eventIdStoredWithOtherContent_isAConflictAndAppliesNothing() {
        FakeTx tx = new FakeTx();
        tx.stored.put(
                "reserve/e1",
                new ProcessedEvents.Stored<>(
                        "another-fingerprint", new ReservationResult.Reserved("e1", "r-bike")));

        List<ReservationResult> results =
                new ReservationService.Batch(tx).reserveAll(List.of(checkedReserve("e1", "3")));

        assertThat(results)
                .containsExactly(new ReservationResult.Rejected(
                        "e1",
                        "r-bike",
                        Rejection.CONFLICT,
                        "event id 'e1' was already used for a different event; use a new id for"
                                + " a new event"));
        assertThat(tx.applied).isEmpty();
    }

    @Test
    void reserve_eventIdTakenBetweenLookUpAndClaim_isAConflictAndAppliesNothing() {
        FakeTx tx = new FakeTx();
        tx.idsTakenMeanwhile = true;

        List<ReservationResult> results =
                new ReservationService.Batch(tx).reserveAll(List.of(checkedReserve("e1", "3")));

        assertThat(results)
                .singleElement()
                .extracting(r -> ((ReservationResult.Rejected) r).reason())
                .isEqualTo(Rejection.CONFLICT);
        assertThat(tx.applied).isEmpty();
    }

    /** A store holding ledgers of one product, which it reverses under the product's lock. */
    private static ReservationStore storeHolding(FakeTx tx, List<UUID> products) {
        return new ReservationStore() {
            @Override
            public <T> T withProductsLocked(
                    EnvironmentId environment,
                    java.util.SortedSet<UUID> productKeys,
                    java.util.function.Function<Tx, T> work) {
                String environmentId = environment.value();
                return work.apply(tx);
            }

            @Override
            public List<Holding> list(
                    EnvironmentId environment,
                    Optional<String> organizationId,
                    Optional<String> productId,
                    Optional<String> reservationId,
                    int limit) {
                String environmentId = environment.value();
                return List.of();
            }

            @Override
            public List<UUID> productsHoldingReservations(EnvironmentId environment) {
                String environmentId = environment.value();
                return products;
            }

            @Override
            public List<DueHold> dueHolds(java.time.Instant now, int limit) {
                return List.of();
            }
        };
    }

    private static ReservationStore.HeldLedger held(String reservationId, MeasureRef measure) {
        return new ReservationStore.HeldLedger(
                reservationId, measure, record("Bike"), "usmf~~", new BigDecimal("4"));
    }

    @Test
    void cleanUp_namedDataSource_negatesOnlyItsLedgers() {
        FakeTx tx = new FakeTx();
        tx.held.add(held("r-iv", SOFT));
        tx.held.add(held("r-pos", TestConfigurations.ref("pos.inbound")));
        ReservationService service = new ReservationService(
                storeHolding(tx, List.of(record("Bike").productKey())),
                env -> TestConfigurations.byLocation(),
                java.time.Clock.systemUTC());

        int reversed = service.cleanUp(EnvironmentId.of("env"), List.of("iv"));

        assertThat(reversed).isEqualTo(1);
        assertThat(tx.applied).singleElement().satisfies(delta -> {
            assertThat(delta.reservationId()).isEqualTo("r-iv");
            assertThat(delta.quantity()).isEqualByComparingTo("-4");
        });
    }

    @Test
    void cleanUp_noDataSourceNamed_negatesEveryLedger() {
        FakeTx tx = new FakeTx();
        tx.held.add(held("r-iv", SOFT));
        tx.held.add(held("r-pos", TestConfigurations.ref("pos.inbound")));
        ReservationService service = new ReservationService(
                storeHolding(tx, List.of(record("Bike").productKey())),
                env -> TestConfigurations.byLocation(),
                java.time.Clock.systemUTC());

        int reversed = service.cleanUp(EnvironmentId.of("env"), List.of());

        assertThat(reversed).isEqualTo(2);
        assertThat(tx.applied).extracting(Delta::reservationId).containsExactly("r-iv", "r-pos");
    }
}
