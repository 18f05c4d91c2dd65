package io.ivs.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.Rejection;
import io.ivs.core.allocation.AllocationCommand;
import io.ivs.core.allocation.AllocationCommand.Operation;
import io.ivs.core.allocation.AllocationResult;
import io.ivs.core.allocation.AllocationService;
import io.ivs.core.allocation.Bucket;
import io.ivs.core.atp.ResolvedSchedule;
import io.ivs.core.config.AllocationSettings;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.ReservationSettings;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.config.ScheduleSettings;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.event.ProcessedEvents;
import io.ivs.core.event.WriteOutcome;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.ItemResult;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.OnHandQuery;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReservationStore;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** The in-memory stores keep the contracts the simulation relies on. */
class InMemoryStoresTest {
    private static final String ENV = "env";
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Map<String, String> WAREHOUSE_11 =
            Map.of("siteid", "1", "locationid", "11", "colorid", "red");
    private static final Map<String, String> WAREHOUSE_12 =
            Map.of("siteid", "1", "locationid", "12", "colorid", "red");

    private final SimulatedClock clock = new SimulatedClock(START);
    private final InMemoryInventory inventory = new InMemoryInventory(clock);
    private final InMemoryOnHandStore onHandStore = new InMemoryOnHandStore(inventory);
    private final InMemoryReservationStore reservationStore =
            new InMemoryReservationStore(inventory);
    private final RuntimeConfiguration config = configuration();
    private final OnHandService onHand = new OnHandService(onHandStore, env -> config, clock);

    @Test
    void withProductsLocked_workThrows_leavesNoTrace() {
        RecordKey record =
                new RecordKey(EnvironmentId.of(ENV), "org", "P", DimensionSet.of(WAREHOUSE_11));
        MeasureRef reserved = new MeasureRef("iv", "softreserved");
        ReservationResult answer = new ReservationResult.Reserved("r1", "res-1");

        assertThatThrownBy(() -> reservationStore.withProductsLocked(
                        EnvironmentId.of(ENV), new TreeSet<>(Set.of(record.productKey())), tx -> {
                            tx.events()
                                    .claim(
                                            "reserve",
                                            List.of(new ProcessedEvents.Claim<>(
                                                    EventId.of("r1"),
                                                    record.productKey(),
                                                    "fp",
                                                    "org~1~11",
                                                    answer)));
                            tx.apply(List.of(new ReservationStore.Delta(
                                    record, "org~1~11", reserved, BigDecimal.TEN, "res-1")));
                            throw new IllegalStateException("rolled back");
                        }))
                .hasMessage("rolled back");

        assertThat(onHandStore.hasData(EnvironmentId.of(ENV))).isFalse();
        assertThat(reservationStore.list(
                        EnvironmentId.of(ENV),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        10))
                .isEmpty();
        assertThat(inventory.events().of(ENV).find("reserve", List.of(EventId.of("r1"))))
                .isEmpty();
    }

    @Test
    void setOnHand_olderObservationInTheSameRequest_isStaleAndTheLatestWins() {
        clock.advance(Duration.ofMinutes(5));
        List<ItemResult> results = onHand.write(
                EnvironmentId.of(ENV),
                List.of(
                        set("s1", 7, START.plusSeconds(60)),
                        set("s2", 9, null),
                        set("s3", 4, START.minusSeconds(60))),
                "pos");

        assertThat(results)
                .extracting(r -> ((ItemResult.Accepted) r).message())
                .containsExactly(
                        "stale: pos.inbound was set from a later observation and is unchanged",
                        "",
                        "stale: pos.inbound was set from a later observation and is unchanged");
        assertThat(inbound()).isEqualByComparingTo("9");
    }

    @Test
    void setOnHand_withoutTime_usesTheClockSoALaterExplicitTimeWins() {
        onHand.write(EnvironmentId.of(ENV), List.of(set("s1", 9, null)), "pos");
        List<ItemResult> later = onHand.write(
                EnvironmentId.of(ENV), List.of(set("s2", 3, START.plusMillis(1))), "pos");
        List<ItemResult> earlier = onHand.write(
                EnvironmentId.of(ENV), List.of(set("s3", 5, START.minusMillis(1))), "pos");

        assertThat(((ItemResult.Accepted) later.get(0)).message()).isEmpty();
        assertThat(((ItemResult.Accepted) earlier.get(0)).message()).startsWith("stale");
        assertThat(inbound()).isEqualByComparingTo("3");
    }

    @Test
    void deletePartitions_forgetsTheEventIdsOfThatPartitionOnly() {
        onHand.write(EnvironmentId.of(ENV), List.of(change("c11", WAREHOUSE_11)), null);
        onHand.write(EnvironmentId.of(ENV), List.of(change("c12", WAREHOUSE_12)), null);

        int deleted = onHandStore.deletePartitions(EnvironmentId.of(ENV), List.of("org~1~11"));

        assertThat(deleted).isEqualTo(1);
        assertThat(onHandStore.partitionIds(EnvironmentId.of(ENV))).containsExactly("org~1~12");
        assertThat(inventory
                        .events()
                        .of(ENV)
                        .find("onhand", List.of(EventId.of("c11"), EventId.of("c12"))))
                .containsOnlyKeys(EventId.of("c12"));
    }

    @Test
    void allocate_moreThanAvailable_isRefusedAndBucketsKeepTheirBalance() {
        onHand.write(EnvironmentId.of(ENV), List.of(change("c1", WAREHOUSE_11)), null);
        AllocationService allocation =
                new AllocationService(new InMemoryAllocationStore(inventory), env -> config);

        AllocationResult first = allocation.write(EnvironmentId.of(ENV), allocate("a1", "web", 5));
        AllocationResult second =
                allocation.write(EnvironmentId.of(ENV), allocate("a2", "store", 4));
        AllocationResult retry = allocation.write(EnvironmentId.of(ENV), allocate("a1", "web", 5));
        List<Bucket> buckets =
                allocation.query(EnvironmentId.of(ENV), "org", "P", null, WAREHOUSE_11, Map.of());

        assertThat(first).isInstanceOf(AllocationResult.Done.class);
        assertThat(second)
                .isInstanceOfSatisfying(
                        AllocationResult.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(Rejection.INSUFFICIENT_TO_ALLOCATE));
        assertThat(retry).isEqualTo(first);
        assertThat(buckets).singleElement().satisfies(b -> {
            assertThat(b.path()).containsExactly("web");
            assertThat(b.allocated()).isEqualByComparingTo("5");
        });
    }

    @Test
    void applySchedules_sumsPerDateAndAnswersARetryAsBefore() {
        RecordKey record =
                new RecordKey(EnvironmentId.of(ENV), "org", "P", DimensionSet.of(WAREHOUSE_11));
        LocalDate day = LocalDate.of(2026, 3, 2);
        List<WriteOutcome> first = onHandStore.applySchedules(
                EnvironmentId.of(ENV),
                List.of(schedule("d1", record, day, 4), schedule("d2", record, day, 3)));
        List<WriteOutcome> retry = onHandStore.applySchedules(
                EnvironmentId.of(ENV), List.of(schedule("d1", record, day, 4)));
        List<WriteOutcome> conflict = onHandStore.applySchedules(
                EnvironmentId.of(ENV), List.of(schedule("d1", record, day, 5)));
        OnHandQuery query = new OnHandQuery(
                List.of("org"), List.of("P"), Map.of(), List.of(), List.of("siteid"), true);

        assertThat(first)
                .extracting(WriteOutcome::status)
                .containsExactly(WriteOutcome.Status.APPLIED, WriteOutcome.Status.APPLIED);
        assertThat(retry.get(0).status()).isEqualTo(WriteOutcome.Status.DUPLICATE);
        assertThat(conflict.get(0).status()).isEqualTo(WriteOutcome.Status.CONFLICT);
        assertThat(onHandStore.scheduled(EnvironmentId.of(ENV), query, day, day))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.groupValues()).containsExactly("1");
                    assertThat(row.quantity()).isEqualByComparingTo("7");
                });
        assertThat(onHandStore.scheduled(
                        EnvironmentId.of(ENV), query, day.plusDays(1), day.plusDays(9)))
                .isEmpty();
    }

    private static ResolvedSchedule schedule(
            String id, RecordKey record, LocalDate day, int quantity) {
        SortedMap<MeasureRef, BigDecimal> measures = new TreeMap<>(
                Map.of(new MeasureRef("pos", "inbound"), BigDecimal.valueOf(quantity)));
        return new ResolvedSchedule(
                EventId.of(id),
                record,
                "org~1~11",
                new TreeMap<>(Map.of(day, measures)),
                day + "=" + quantity);
    }

    private BigDecimal inbound() {
        return inventory
                .row(new RecordKey(
                        EnvironmentId.of(ENV), "org", "P", DimensionSet.of(WAREHOUSE_11)))
                .quantities
                .get(new MeasureRef("pos", "inbound"));
    }

    private static OnHandChange set(String id, int inbound, Instant at) {
        return new OnHandChange(
                id,
                "org",
                "P",
                null,
                WAREHOUSE_11,
                Quantities.of("pos", "inbound", BigDecimal.valueOf(inbound)),
                at);
    }

    private static OnHandChange change(String id, Map<String, String> dimensions) {
        return new OnHandChange(
                id,
                "org",
                "P",
                null,
                dimensions,
                Quantities.of("pos", "inbound", BigDecimal.valueOf(8)),
                null);
    }

    private static AllocationCommand allocate(String id, String channel, int quantity) {
        return new AllocationCommand(
                Operation.ALLOCATE,
                id,
                "org",
                "P",
                null,
                WAREHOUSE_11,
                Map.of("channel", channel),
                Map.of(),
                BigDecimal.valueOf(quantity),
                Map.of());
    }

    /** pos and the allocation measures of {@code @iv}, available to allocate from pos.inbound. */
    private static RuntimeConfiguration configuration() {
        DataSourceConfig pos = new DataSourceConfig(
                "pos", Map.of(), Set.of("inbound", "outbound"), Map.of(), Map.of());
        DataSourceConfig iv = new DataSourceConfig(
                AllocationSettings.DATA_SOURCE,
                Map.of(),
                Set.copyOf(AllocationSettings.PHYSICAL_MEASURES),
                Map.of(
                        AllocationSettings.AVAILABLE_TO_ALLOCATE,
                        new CalculatedMeasure(
                                AllocationSettings.AVAILABLE_TO_ALLOCATE,
                                List.of(new MeasureRef("pos", "inbound")),
                                List.of(new MeasureRef(
                                        AllocationSettings.DATA_SOURCE,
                                        AllocationSettings.ALLOCATED)))),
                Map.of());
        return new RuntimeConfiguration(
                Map.of("pos", pos, AllocationSettings.DATA_SOURCE, iv),
                PartitionRule.BY_LOCATION,
                List.of(new IndexSet(1, List.of("colorid"))),
                ReservationSettings.disabled(),
                ScheduleSettings.disabled(),
                new AllocationSettings(true, List.of("channel", "customergroup")));
    }
}
