package io.ivs.core.simulation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Rejection;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.ReservationSettings;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.Configurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.ItemResult;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.ResultRow;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReservationService;
import io.ivs.core.reservation.ReservationStore.Holding;
import io.ivs.core.reservation.ReserveCommand;
import io.ivs.core.reservation.Reversal;
import io.ivs.core.reservation.UnreserveCommand;
import io.ivs.core.simulation.ReferenceModel.Answer;
import io.ivs.core.simulation.ReferenceModel.Filter;
import io.ivs.core.simulation.ReferenceModel.Key;
import io.ivs.core.simulation.ReferenceModel.Refusal;
import io.ivs.core.simulation.ReferenceModel.Reservation;
import io.ivs.core.simulation.ReferenceModel.SetItem;
import io.ivs.core.testing.InMemoryInventory;
import io.ivs.core.testing.InMemoryOnHandStore;
import io.ivs.core.testing.InMemoryReservationStore;
import io.ivs.core.testing.SimulatedClock;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded simulation of the core against a reference model, without Spring or a database: a
 * generator of operation sequences (change events single and bulk, set on-hand with and without
 * a time, checked and unchecked reserves, unreserves, index and exact queries, identical and
 * conflicting retries, reversal of all reservations or of one, and partition clean-up) is
 * applied to the core's services over the in-memory ports and to {@link ReferenceModel}, written
 * from the spec. Every answer is compared, and the whole stock and every reservation ledger
 * every few operations. A simulated clock moves between operations, so set on-hand without a
 * time is replayable too.
 *
 * <p>One seed in four runs the checked-only profile: reservations are all checked and at the
 * records' own dimensions, and stock only grows. There the available-to-reserve measure must
 * never go below zero anywhere, which is asserted on the core's state after every operation.
 *
 * <p>{@code -Divs.sim.seed=N} replays one seed; {@code -Divs.sim.seeds=N} runs seeds 1..N;
 * {@code -Divs.sim.operations=N} sets the length of each run. A failure prints the seed, the
 * command that replays it and the last operations.
 */
class CoreSimulationTest {
    private static final int SEEDS_DEFAULT = 200;
    private static final int OPERATIONS_DEFAULT = 300;
    private static final int FULL_CHECK_EVERY = 40;
    private static final int HISTORY_SHOWN = 12;
    private static final int CHECKED_ONLY_EVERY = 4;

    private static final String ENV = "sim";
    private static final String ORG = "usmf";
    private static final List<String> PRODUCTS = List.of("A", "B", "C");
    private static final List<String[]> WAREHOUSES =
            List.of(new String[] {"1", "11"}, new String[] {"1", "12"}, new String[] {"2", "21"});
    private static final List<String> COLORS = List.of("red", "blue");
    private static final List<String> SIZES = List.of("S", "L", "");
    private static final List<String> WRITABLE =
            List.of("pos.inbound", "pos.outbound", "iv.ordered", "erp.unrestricted");
    /** The writable measures that only raise available-to-reserve. */
    private static final List<String> RAISING = List.of("pos.inbound", "iv.ordered");

    private static final String RESERVE_MEASURE = "iv.softreserved";
    private static final String AVAILABLE_TO_RESERVE = "iv.availabletoreserve";
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    /** Totals over every seed of this run, printed once at the end. */
    private static final AtomicLong OPERATIONS_RUN = new AtomicLong();

    private static final AtomicLong NANOS = new AtomicLong();
    private static final AtomicLong SEEDS_RUN = new AtomicLong();
    private static final Map<String, Integer> TALLY = new ConcurrentSkipListMap<>();

    static Stream<Long> seeds() {
        String only = System.getProperty("ivs.sim.seed");
        if (only != null && !only.isBlank()) {
            return Stream.of(Long.parseLong(only.strip()));
        }
        return LongStream.rangeClosed(1, Integer.getInteger("ivs.sim.seeds", SEEDS_DEFAULT))
                .boxed();
    }

    private static int operations() {
        return Integer.getInteger("ivs.sim.operations", OPERATIONS_DEFAULT);
    }

    /** The configuration both sides run on: the shipped shape, with reservations switched on. */
    static RuntimeConfiguration configuration() {
        DataSourceConfig fno = new DataSourceConfig(
                "fno",
                Map.of("inventsiteid", "siteid", "inventlocationid", "locationid"),
                Set.of("availphysical", "physicalinvent", "reservphysical"),
                Map.of(),
                Map.of());
        DataSourceConfig pos = new DataSourceConfig(
                "pos",
                Map.of(
                        "possiteid", "siteid",
                        "poslocationid", "locationid",
                        "poscolorid", "colorid",
                        "possizeid", "sizeid"),
                Set.of("inbound", "outbound"),
                Map.of(
                        "availquantity",
                        calculated(
                                "availquantity",
                                List.of("fno.availphysical", "pos.inbound"),
                                List.of("pos.outbound"))),
                Map.of());
        DataSourceConfig iv = new DataSourceConfig(
                "iv",
                Map.of(),
                Set.of("ordered", "softreserved"),
                Map.of(
                        "availabletoreserve",
                        calculated(
                                "availabletoreserve",
                                List.of("fno.physicalinvent", "pos.inbound", "iv.ordered"),
                                List.of("iv.softreserved", "pos.outbound")),
                        "netavailable",
                        calculated(
                                "netavailable",
                                List.of("erp.unrestricted", "iv.ordered"),
                                List.of("iv.softreserved"))),
                Map.of("softreserved", MeasureRef.parse("test", AVAILABLE_TO_RESERVE)));
        DataSourceConfig erp = new DataSourceConfig(
                "erp", Map.of(), Set.of("unrestricted", "qualityinspection"), Map.of(), Map.of());
        Map<String, DataSourceConfig> sources = new HashMap<>();
        for (DataSourceConfig ds : List.of(fno, pos, iv, erp)) {
            sources.put(ds.key(), ds);
        }
        return new RuntimeConfiguration(
                sources,
                PartitionRule.BY_LOCATION,
                List.of(new IndexSet(1, List.of("colorid", "sizeid", "styleid"))),
                new ReservationSettings(
                        true, 0, List.of("siteid", "locationid", "colorid", "sizeid")));
    }

    private static CalculatedMeasure calculated(
            String name, List<String> additions, List<String> subtractions) {
        return new CalculatedMeasure(
                name,
                additions.stream().map(a -> MeasureRef.parse("test", a)).toList(),
                subtractions.stream().map(s -> MeasureRef.parse("test", s)).toList());
    }

    // ---- one run ------------------------------------------------------------------------------

    /**
     * A write as sent: how to send it again to the core and to the model, what the core first
     * answered, and how to make a request with the same ids and other content (null if none).
     */
    private record Sent(
            Op description,
            Supplier<List<?>> core,
            Supplier<List<Answer>> model,
            List<?> firstAnswers,
            Supplier<Sent> conflicting,
            Consumer<List<?>> learn,
            int cleanUps) {}

    private final RuntimeConfiguration config = configuration();
    private final SimulatedClock clock = new SimulatedClock(EPOCH);
    private final InMemoryInventory inventory = new InMemoryInventory(clock);
    private final InMemoryOnHandStore onHandStore = new InMemoryOnHandStore(inventory);
    private final InMemoryReservationStore reservationStore =
            new InMemoryReservationStore(inventory);
    /** The configurations port: every environment of the simulation runs on {@link #config}. */
    private final Configurations configurations = environmentId -> config;

    private final OnHandService onHand = new OnHandService(onHandStore, configurations, clock);
    private final ReservationService reservations =
            new ReservationService(reservationStore, configurations, clock);
    private final ReferenceModel model = new ReferenceModel(config);

    private final Deque<Done> history = new ArrayDeque<>();
    private final List<Sent> sent = new ArrayList<>();
    /** The reservation id the core gave each reservation, and back. */
    private final Map<Reservation, String> reservationIds = new LinkedHashMap<>();

    private final Map<String, Reservation> reservationsById = new HashMap<>();
    private final Map<String, Integer> tally = new TreeMap<>();

    private Random random = new Random();
    private long seed;
    private boolean checkedOnly;
    private int step;
    private int ids;
    /** Partition clean-ups so far: each may forget event ids, which then apply anew. */
    private int cleanUps;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperations_coreAnswersAsTheReferenceModel(long seed) {
        this.seed = seed;
        random = new Random(seed);
        checkedOnly = seed % CHECKED_ONLY_EVERY == 0;
        int total = operations();
        long started = System.nanoTime();
        for (step = 1; step <= total; step++) {
            clock.advance(Duration.ofSeconds(1 + random.nextInt(90)));
            try {
                nextOperation();
                if (step % FULL_CHECK_EVERY == 0) {
                    compareEverything();
                }
            } catch (RuntimeException e) {
                throw failure("the core threw " + e, "no exception", e.toString(), e);
            }
        }
        compareEverything();
        NANOS.addAndGet(System.nanoTime() - started);
        OPERATIONS_RUN.addAndGet(total);
        SEEDS_RUN.incrementAndGet();
        tally.forEach((k, v) -> TALLY.merge(k, v, Integer::sum));
    }

    @AfterAll
    static void printThroughput() {
        long millis = Math.max(1, Duration.ofNanos(NANOS.get()).toMillis());
        System.out.printf(
                "core simulation: %d seeds, %d operations in %d ms, %d operations per second%n"
                        + "  outcomes: %s%n",
                SEEDS_RUN.get(),
                OPERATIONS_RUN.get(),
                millis,
                OPERATIONS_RUN.get() * 1000 / millis,
                TALLY);
        if (OPERATIONS_RUN.get() >= 20_000) {
            for (String outcome : List.of(
                    "change accepted",
                    "change rejected CONFLICT",
                    "change rejected FORBIDDEN",
                    "change rejected INVALID",
                    "set stale",
                    "set accepted",
                    "reserve accepted",
                    "reserve rejected INSUFFICIENT_AVAILABILITY",
                    "reserve rejected NEGATIVE_CHECKED",
                    "unreserve partial",
                    "unreserve accepted",
                    "unreserve rejected NOT_FOUND",
                    "retry",
                    "query rows",
                    "reversal",
                    "reverse one reversed",
                    "reverse one nothing held",
                    "reverse one not found",
                    "partition clean-up")) {
                if (!TALLY.containsKey(outcome)) {
                    throw new AssertionError(
                            "the generator never reached '" + outcome + "': " + TALLY);
                }
            }
        }
    }

    private void nextOperation() {
        int dice = random.nextInt(100);
        if (dice < 22) {
            change();
        } else if (dice < 34) {
            bulkChange();
        } else if (dice < 43) {
            setOnHand();
        } else if (dice < 58) {
            reserve();
        } else if (dice < 67) {
            unreserve();
        } else if (dice < 77) {
            indexQuery();
        } else if (dice < 83) {
            exactQuery();
        } else if (dice < 90) {
            retry();
        } else if (dice < 92) {
            reverseOne();
        } else if (dice < 97) {
            conflictingRetry();
        } else if (dice < 99) {
            reverseReservations();
        } else {
            cleanUpPartition();
        }
    }

    // ---- on-hand writes ---------------------------------------------------------------------

    /** One change event as the client sent it, with the base dimensions the model is told. */
    private record Event(OnHandChange change, Map<String, BigDecimal> flat) {}

    private Event changeEvent(String id, Key key, Map<String, BigDecimal> deltas) {
        boolean mapped = random.nextInt(12) == 0;
        Map<String, String> dims = mapped ? posNames(key.dimensions()) : key.dimensions();
        return new Event(
                new OnHandChange(
                        id, ORG, key.product(), mapped ? "pos" : null, dims, nested(deltas), null),
                deltas);
    }

    private void change() {
        Event event = changeEvent(nextId("c"), randomKey(true), randomDeltas());
        send("change", List.of(event), null);
    }

    private void bulkChange() {
        int size = 1 + random.nextInt(5);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (i > 0 && random.nextInt(10) == 0) {
                // The same id twice in one request: identical, or with other content.
                Event earlier = events.get(random.nextInt(i));
                events.add(
                        random.nextBoolean()
                                ? earlier
                                : changeEvent(
                                        earlier.change().id(), randomKey(true), randomDeltas()));
                continue;
            }
            Key key = randomKey(true);
            Map<String, BigDecimal> deltas = randomDeltas();
            int bad = random.nextInt(15);
            if (bad == 0) {
                deltas.put("pos.returned", BigDecimal.ONE);
            } else if (bad == 1) {
                deltas = new TreeMap<>(Map.of("fno.physicalinvent", BigDecimal.TEN));
            } else if (bad == 2) {
                key.dimensions().remove("locationid");
            }
            events.add(changeEvent(nextId("b"), key, deltas));
        }
        send("change", events, null);
    }

    /** Set on-hand: absolute values observed at a time, or now when the event names none. */
    private void setOnHand() {
        if (checkedOnly) {
            // A count may lower stock, which the checked-only profile rules out.
            change();
            return;
        }
        int size = 1 + random.nextInt(3);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Key key = randomKey(true);
            Map<String, BigDecimal> values = new TreeMap<>();
            values.put(random.nextBoolean() ? "pos.inbound" : "pos.outbound", quantity(0, 40));
            if (random.nextInt(4) == 0) {
                values.put("pos.outbound", quantity(0, 10));
            }
            if (random.nextInt(20) == 0) {
                values = new TreeMap<>(Map.of("iv.ordered", BigDecimal.ONE));
            }
            events.add(new Event(
                    new OnHandChange(
                            nextId("s"),
                            ORG,
                            key.product(),
                            null,
                            key.dimensions(),
                            nested(values),
                            setTime()),
                    values));
        }
        send("set", events, "pos");
    }

    /** Mostly the recent past, sometimes long ago (stale), sometimes no time (now). */
    private Instant setTime() {
        int dice = random.nextInt(10);
        if (dice < 3) {
            return null;
        }
        Instant now = clock.instant();
        return dice < 8
                ? now.minusSeconds(random.nextInt(300))
                : now.minus(Duration.ofHours(1 + random.nextInt(48)));
    }

    /** Sends change or set events to both sides and compares the answers. */
    private void send(String kind, List<Event> events, String setSystem) {
        List<OnHandChange> changes = events.stream().map(Event::change).toList();
        Supplier<List<?>> core = () -> onHand.write(EnvironmentId.of(ENV), changes, setSystem);
        Supplier<List<Answer>> expected = () -> expected(events, setSystem);
        Op description = new Op(kind, changes);
        List<?> answers = run(description, core, expected);
        for (Object answer : answers) {
            count(kind + " " + outcome(answer), 1);
        }
        Supplier<Sent> conflicting = events.size() != 1
                ? null
                : () -> {
                    Event event = events.get(0);
                    Map<String, BigDecimal> other = new TreeMap<>(event.flat());
                    other.replaceAll((m, q) -> q.add(BigDecimal.ONE));
                    OnHandChange c = event.change();
                    Event changed = new Event(
                            new OnHandChange(
                                    c.id(),
                                    c.organizationId(),
                                    c.productId(),
                                    c.dimensionDataSource(),
                                    c.dimensions(),
                                    nested(other),
                                    c.modifiedAt()),
                            other);
                    List<OnHandChange> again = List.of(changed.change());
                    return new Sent(
                            new Op("conflicting " + kind, again),
                            () -> onHand.write(EnvironmentId.of(ENV), again, setSystem),
                            () -> expected(List.of(changed), setSystem),
                            List.of(),
                            null,
                            a -> {},
                            cleanUps);
                };
        sent.add(new Sent(description, core, expected, answers, conflicting, a -> {}, cleanUps));
    }

    /** The model's answers to change events, or to one set on-hand request. */
    private List<Answer> expected(List<Event> events, String setSystem) {
        if (setSystem != null) {
            List<SetItem> items = new ArrayList<>();
            for (Event event : events) {
                OnHandChange c = event.change();
                items.add(new SetItem(
                        c.id(),
                        c.organizationId(),
                        c.productId(),
                        c.dimensions(),
                        event.flat(),
                        c.modifiedAt()));
            }
            return model.set(setSystem, items, clock.instant());
        }
        List<Answer> answers = new ArrayList<>();
        for (Event event : events) {
            OnHandChange c = event.change();
            answers.add(model.change(
                    c.id(),
                    c.organizationId(),
                    c.productId(),
                    c.dimensionDataSource(),
                    c.dimensions(),
                    event.flat()));
        }
        return answers;
    }

    // ---- reservations ----------------------------------------------------------------------

    private void reserve() {
        Key key = checkedOnly ? randomKey(true) : reservationKey();
        boolean checked = checkedOnly || random.nextInt(5) != 0;
        BigDecimal quantity = quantity(1, 8);
        BigDecimal held = model.held(new Reservation(key, RESERVE_MEASURE));
        if (!checked && held.signum() > 0 && random.nextBoolean()) {
            // A reversal (§2.4 step 8): at most what this reservation holds.
            quantity = held.min(quantity).negate();
        } else if (!checked && random.nextInt(4) == 0) {
            // A cancel of more than the reservation holds: its ledger goes below zero, and an
            // unreserve then has nothing to release (A9).
            quantity = quantity.negate();
        } else if (checked && !checkedOnly && random.nextInt(12) == 0) {
            quantity = quantity.negate();
        }
        Map<String, String> dims = new TreeMap<>(key.dimensions());
        if (!checkedOnly && random.nextInt(40) == 0) {
            // Outside the reservation dimensions (strict, version 0), or without a location.
            if (random.nextBoolean()) {
                dims.put("styleid", "wide");
            } else {
                dims.remove("locationid");
            }
        }
        sendReserve(nextId("r"), key, dims, quantity, checked);
        if (checkedOnly) {
            // Only a reserve lowers available-to-reserve in this profile.
            checkAvailableToReserveNeverNegative();
        }
    }

    private void sendReserve(
            String id, Key key, Map<String, String> dims, BigDecimal quantity, boolean checked) {
        String[] measure = RESERVE_MEASURE.split("\\.");
        ReserveCommand command = new ReserveCommand(
                id,
                ORG,
                key.product(),
                null,
                dims,
                measure[0],
                measure[1],
                quantity,
                Quantities.empty(),
                checked);
        Supplier<List<?>> core =
                () -> reservations.reserve(EnvironmentId.of(ENV), List.of(command));
        Supplier<List<Answer>> expected = () -> List.of(
                model.reserve(id, ORG, key.product(), dims, RESERVE_MEASURE, quantity, checked));
        Op description = new Op("reserve", command);
        List<?> answers = run(description, core, expected);
        count("reserve " + outcome(answers.get(0)), 1);
        Reservation reservation = new Reservation(key, RESERVE_MEASURE);
        Consumer<List<?>> learn = results -> {
            if (results.get(0) instanceof ReservationResult.Reserved reserved) {
                learn(description, reservation, reserved.reservationId());
            }
        };
        learn.accept(answers);
        sent.add(new Sent(
                description,
                core,
                expected,
                answers,
                () -> {
                    BigDecimal other = quantity.add(BigDecimal.ONE);
                    ReserveCommand again = new ReserveCommand(
                            id,
                            ORG,
                            key.product(),
                            null,
                            dims,
                            measure[0],
                            measure[1],
                            other,
                            Quantities.empty(),
                            checked);
                    return new Sent(
                            new Op("conflicting reserve", again),
                            () -> reservations.reserve(EnvironmentId.of(ENV), List.of(again)),
                            () -> List.of(model.reserve(
                                    id, ORG, key.product(), dims, RESERVE_MEASURE, other, checked)),
                            List.of(),
                            null,
                            learn,
                            cleanUps);
                },
                learn,
                cleanUps));
    }

    /** One reservation id per reservation (§2.4.6), and no two reservations share one. */
    private void learn(Op description, Reservation reservation, String reservationId) {
        String known = reservationIds.putIfAbsent(reservation, reservationId);
        if (known != null && !known.equals(reservationId)) {
            throw failure(
                    description + " (one reservation id per reservation)",
                    known,
                    reservationId,
                    null);
        }
        Reservation other = reservationsById.putIfAbsent(reservationId, reservation);
        if (other != null && !other.equals(reservation)) {
            throw failure(
                    description + " (two reservations share an id)", other, reservation, null);
        }
    }

    private void unreserve() {
        if (reservationIds.isEmpty()) {
            reserve();
            return;
        }
        List<Reservation> known = new ArrayList<>(reservationIds.keySet());
        Reservation reservation = known.get(random.nextInt(known.size()));
        String reservationId = reservationIds.get(reservation);
        Key key = reservation.key();
        int dice = random.nextInt(20);
        if (dice == 0) {
            // The id at other dimensions: not this record's reservation.
            key = known.get(random.nextInt(known.size())).key();
        } else if (dice == 1) {
            reservationId = "no-such-reservation-" + random.nextInt(3);
        }
        sendUnreserve(nextId("u"), key, reservationId, quantity(1, 6));
    }

    private void sendUnreserve(String id, Key key, String reservationId, BigDecimal offset) {
        UnreserveCommand command = new UnreserveCommand(
                id, ORG, key.product(), null, key.dimensions(), reservationId, offset);
        Reservation named = reservationsById.get(reservationId);
        Supplier<List<?>> core =
                () -> reservations.unreserve(EnvironmentId.of(ENV), List.of(command));
        Supplier<List<Answer>> expected = () -> List.of(model.unreserve(
                id, ORG, key.product(), key.dimensions(), reservationId, named, offset));
        Op description = new Op("unreserve", command);
        List<?> answers = run(description, core, expected);
        count("unreserve " + outcome(answers.get(0)), 1);
        sent.add(new Sent(
                description,
                core,
                expected,
                answers,
                () -> {
                    UnreserveCommand again = new UnreserveCommand(
                            id,
                            ORG,
                            key.product(),
                            null,
                            key.dimensions(),
                            reservationId,
                            offset.add(BigDecimal.ONE));
                    return new Sent(
                            new Op("conflicting unreserve", again),
                            () -> reservations.unreserve(EnvironmentId.of(ENV), List.of(again)),
                            () -> List.of(model.unreserve(
                                    id,
                                    ORG,
                                    again.productId(),
                                    again.dimensions(),
                                    reservationId,
                                    named,
                                    again.offsetQuantity())),
                            List.of(),
                            null,
                            a -> {},
                            cleanUps);
                },
                a -> {},
                cleanUps));
    }

    /** §2.6: reverses every reservation (or those of {@code iv}); both count the same. */
    private void reverseReservations() {
        List<String> sources = random.nextBoolean() ? List.of() : List.of("iv");
        record(new Op("reverse reservations of", sources));
        int core = reservations.cleanUp(EnvironmentId.of(ENV), sources);
        int expected = model.reverseReservations(new TreeSet<>(sources));
        check(core == expected, "reverse reservations " + sources, expected, core);
        count("reversal", 1);
    }

    /**
     * Reverses one reservation (the operators' action): an unreserve of all it holds under a new
     * event id, nothing when it holds nothing, and a refusal of an id the product does not hold.
     */
    private void reverseOne() {
        if (reservationIds.isEmpty()) {
            reserve();
            return;
        }
        List<Reservation> known = new ArrayList<>(reservationIds.keySet());
        Reservation reservation = known.get(random.nextInt(known.size()));
        String reservationId = reservationIds.get(reservation);
        String product = random.nextInt(10) == 0
                ? PRODUCTS.get(random.nextInt(PRODUCTS.size()))
                : reservation.key().product();
        String id = nextId("v");
        Op description = new Op("reverse one", List.of(id, product, reservationId));
        record(description);
        Reservation named = reservationsById.get(reservationId);
        BigDecimal held = named == null || !named.key().product().equals(product)
                ? null
                : model.ledgers().get(named);
        Reversal core;
        try {
            core = reservations.reverse(EnvironmentId.of(ENV), id, ORG, product, reservationId);
        } catch (InvalidInputException e) {
            check(held == null, description, "a reversal of " + held, e.toString());
            count("reverse one not found", 1);
            return;
        }
        check(held != null, description, "no such reservation", core);
        if (held.signum() <= 0) {
            check(core instanceof Reversal.NothingHeld, description, "nothing held", core);
            count("reverse one nothing held", 1);
            return;
        }
        Answer expected = model.unreserve(
                id, ORG, product, named.key().dimensions(), reservationId, named, held);
        boolean same = core instanceof Reversal.Reversed reversed
                && expected.accepted()
                && expected.invalid().signum() == 0
                && reversed.released().compareTo(expected.released()) == 0;
        check(same, description, expected, core);
        count("reverse one reversed", 1);
    }

    /** Deletes one warehouse and forgets the event ids whose effect lay in it. */
    private void cleanUpPartition() {
        String[] warehouse = WAREHOUSES.get(random.nextInt(WAREHOUSES.size()));
        String partition = ORG + "~" + warehouse[0] + "~" + warehouse[1];
        record(new Op("delete partition", partition));
        cleanUps++;
        int core = onHandStore.deletePartitions(EnvironmentId.of(ENV), List.of(partition));
        int expected = model.deleteWarehouse(ORG, warehouse[0], warehouse[1]);
        check(core == expected, "delete partition " + partition, expected, core);
        count("partition clean-up", 1);
    }

    // ---- retries ----------------------------------------------------------------------------

    /** Sends an earlier write again: the same answers as the first time, and nothing changes. */
    private void retry() {
        if (sent.isEmpty()) {
            change();
            return;
        }
        Sent earlier = sent.get(random.nextInt(sent.size()));
        Op description = new Op("retry of", earlier.description());
        List<?> answers = run(description, earlier.core(), earlier.model());
        earlier.learn().accept(answers);
        // Event ids answered as applied keep their answer, unless a clean-up forgot them.
        for (int i = 0; i < answers.size() && earlier.cleanUps() == cleanUps; i++) {
            Object first = earlier.firstAnswers().get(i);
            if (accepted(first) && accepted(answers.get(i)) && !first.equals(answers.get(i))) {
                throw failure(description + " item " + i, first, answers.get(i), null);
            }
        }
        count("retry", 1);
    }

    /** Reuses the id of an earlier write with other content: a conflict (A1), no change. */
    private void conflictingRetry() {
        List<Sent> candidates =
                sent.stream().filter(s -> s.conflicting() != null).toList();
        if (candidates.isEmpty()) {
            change();
            return;
        }
        Sent other =
                candidates.get(random.nextInt(candidates.size())).conflicting().get();
        List<?> answers = run(other.description(), other.core(), other.model());
        other.learn().accept(answers);
        count("conflicting retry " + outcome(answers.get(0)), 1);
    }

    // ---- queries ----------------------------------------------------------------------------

    private void indexQuery() {
        Set<String> products = randomSubset(PRODUCTS, true);
        Set<String> sites = new TreeSet<>();
        Set<String> locations = new TreeSet<>();
        if (products.isEmpty() || random.nextInt(3) != 0) {
            sites = randomSubset(List.of("1", "2"), false);
            locations = randomSubset(List.of("11", "12", "21"), false);
        }
        boolean mapped = random.nextInt(6) == 0;
        Map<String, Set<String>> allowed = new TreeMap<>();
        allowed.put("siteid", sites);
        allowed.put("locationid", locations);
        Map<String, List<String>> filters = new LinkedHashMap<>();
        filters.put("organizationId", List.of(ORG));
        filters.put("productId", List.copyOf(products));
        filters.put("siteId", List.copyOf(sites));
        filters.put("locationId", List.copyOf(locations));
        if (random.nextInt(3) == 0) {
            Set<String> colors = randomSubset(COLORS, false);
            allowed.put("colorid", colors);
            filters.put(mapped ? "PosColorId" : "colorId", List.copyOf(colors));
        }
        List<String> groupBy = randomGroupBy();
        boolean returnNegative = random.nextBoolean();
        QueryRequest request = new QueryRequest(
                mapped ? "pos" : null,
                filters,
                mapped ? groupBy.stream().map(CoreSimulationTest::posName).toList() : groupBy,
                returnNegative,
                null,
                List.of());
        compareQuery(
                request,
                model.query(ORG, products, List.of(new Filter(allowed)), groupBy, returnNegative));
    }

    private void exactQuery() {
        boolean withColor = random.nextBoolean();
        List<String> dimensionNames = new ArrayList<>(List.of("siteId", "locationId"));
        if (withColor) {
            dimensionNames.add("colorId");
        }
        List<List<String>> values = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        int tuples = 1 + random.nextInt(3);
        for (int i = 0; i < tuples; i++) {
            String[] warehouse = WAREHOUSES.get(random.nextInt(WAREHOUSES.size()));
            String color = COLORS.get(random.nextInt(COLORS.size()));
            List<String> value = new ArrayList<>(List.of(warehouse[0], warehouse[1]));
            Map<String, Set<String>> allowed = new TreeMap<>();
            allowed.put("siteid", Set.of(warehouse[0]));
            allowed.put("locationid", Set.of(warehouse[1]));
            if (withColor) {
                value.add(color);
                allowed.put("colorid", Set.of(color));
            }
            values.add(value);
            filters.add(new Filter(allowed));
        }
        Set<String> products = randomSubset(PRODUCTS, true);
        List<String> groupBy = random.nextBoolean() ? List.of("sizeid") : List.of();
        boolean returnNegative = random.nextBoolean();
        QueryRequest request = new QueryRequest(
                null,
                Map.of("organizationId", List.of(ORG), "productId", List.copyOf(products)),
                groupBy,
                returnNegative,
                dimensionNames,
                values);
        List<String> grouping = new ArrayList<>(groupBy);
        if (withColor) {
            grouping.add("colorid");
        }
        compareQuery(request, model.query(ORG, products, filters, grouping, returnNegative));
    }

    /** Every record, at every dimension, and every reservation ledger. */
    private void compareEverything() {
        if (checkedOnly) {
            checkAvailableToReserveNeverNegative();
        }
        compareQuery(
                everything(true),
                model.query(
                        ORG,
                        Set.of(),
                        List.of(new Filter(Map.of())),
                        List.of("colorid", "sizeid"),
                        true));
        Map<String, BigDecimal> expected = new TreeMap<>();
        model.ledgers().forEach((reservation, quantity) -> {
            String id = reservationIds.get(reservation);
            check(id != null, "a ledger the core never named", reservation, null);
            expected.put(id, quantity.stripTrailingZeros());
        });
        Map<String, BigDecimal> actual = new TreeMap<>();
        for (Holding holding : reservationStore.list(
                EnvironmentId.of(ENV),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                100_000)) {
            actual.put(holding.reservationId(), holding.quantity().stripTrailingZeros());
        }
        check(expected.equals(actual), "reservation ledgers", expected, actual);
    }

    private static QueryRequest everything(boolean returnNegative) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        filters.put("organizationId", List.of(ORG));
        filters.put("siteId", List.of("1", "2"));
        filters.put("locationId", List.of("11", "12", "21"));
        return new QueryRequest(
                null, filters, List.of("colorId", "sizeId"), returnNegative, null, List.of());
    }

    /**
     * With checked reserves only, at the records' own dimensions, and stock that only grows,
     * no record can be promised more than it has (A10).
     */
    private void checkAvailableToReserveNeverNegative() {
        for (ResultRow row : onHand.query(EnvironmentId.of(ENV), everything(true), 1)) {
            BigDecimal available = row.quantities().get("iv", "availabletoreserve");
            if (available != null && available.signum() < 0) {
                throw failure(
                        "invariant: available-to-reserve below zero with checked reserves only",
                        ">= 0",
                        row,
                        null);
            }
        }
    }

    private void compareQuery(QueryRequest request, Map<String, Map<String, BigDecimal>> expected) {
        Op description = new Op("query", request);
        record(description);
        Map<String, Map<String, BigDecimal>> actual = new TreeMap<>();
        for (ResultRow row : onHand.query(EnvironmentId.of(ENV), request, 1)) {
            Map<String, String> dimensions = new TreeMap<>();
            row.dimensions().forEach((k, v) -> dimensions.put(ReferenceModel.lower(k), v));
            Map<String, BigDecimal> quantities = new TreeMap<>();
            for (Quantities.Entry entry : row.quantities()) {
                String qualified = entry.dataSource() + "." + entry.measure();
                if (quantities.put(
                                ReferenceModel.lower(qualified),
                                entry.quantity().stripTrailingZeros())
                        != null) {
                    throw failure(
                            new Op("(one quantity per measure)", description),
                            "distinct measures",
                            row,
                            null);
                }
            }
            String key = ReferenceModel.rowKey(row.productId(), dimensions);
            if (!row.organizationId().equals(ORG)) {
                throw failure(description, ORG, row, null);
            }
            if (actual.put(key, quantities) != null) {
                throw failure(
                        new Op("(one row per group)", description), "distinct rows", key, null);
            }
        }
        check(expected.equals(actual), description, expected, actual);
        count("query", 1);
        count("query rows", actual.size());
    }

    // ---- comparison -------------------------------------------------------------------------

    /** Runs a write on both sides; answers the core's answers once they match the model's. */
    private List<?> run(Op description, Supplier<List<?>> core, Supplier<List<Answer>> model) {
        record(description);
        List<?> actual = core.get();
        List<Answer> expected = model.get();
        if (actual.size() != expected.size()) {
            throw failure(description, expected, actual, null);
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!Outcome.of(actual.get(i)).equals(Outcome.expected(expected.get(i)))) {
                throw failure(description + " item " + i, expected.get(i), actual.get(i), null);
            }
        }
        return actual;
    }

    /**
     * An answer as compared: accepted, or rejected with the core's code. Quantities are compared
     * by value, whatever their scale.
     */
    private record Outcome(
            boolean accepted,
            @Nullable Rejection code,
            String message,
            BigDecimal released,
            BigDecimal invalid) {
        Outcome {
            released = released.stripTrailingZeros();
            invalid = invalid.stripTrailingZeros();
        }

        static Outcome of(Object result) {
            return switch (result) {
                case ItemResult.Accepted a -> accepted(a.message());
                case ItemResult.Rejected r -> rejected(r.reason());
                case ReservationResult.Reserved r -> accepted("");
                case ReservationResult.Unreserved u ->
                    new Outcome(true, null, "", u.released(), u.invalid());
                case ReservationResult.Rejected r -> rejected(r.reason());
                default -> throw new IllegalArgumentException("not an answer: " + result);
            };
        }

        static Outcome expected(Answer answer) {
            return new Outcome(
                    answer.accepted(),
                    answer.reason() == null ? null : codeOf(answer.reason()),
                    answer.message(),
                    answer.released(),
                    answer.invalid());
        }

        private static Outcome accepted(String message) {
            return new Outcome(true, null, message, BigDecimal.ZERO, BigDecimal.ZERO);
        }

        private static Outcome rejected(Rejection code) {
            return new Outcome(false, code, "", BigDecimal.ZERO, BigDecimal.ZERO);
        }
    }

    /** The core's code for each of the model's reasons: the one place the two namings meet. */
    private static Rejection codeOf(Refusal refusal) {
        return switch (refusal) {
            case MALFORMED -> Rejection.INVALID;
            case NO_WAREHOUSE -> Rejection.MISSING_PARTITION;
            case CHECKED_CANCEL -> Rejection.NEGATIVE_CHECKED;
            case SWITCHED_OFF -> Rejection.DISABLED;
            case READ_ONLY_SOURCE -> Rejection.FORBIDDEN;
            case NO_SUCH_RESERVATION -> Rejection.NOT_FOUND;
            case ID_REUSED -> Rejection.CONFLICT;
            case NOT_ENOUGH_TO_RESERVE -> Rejection.INSUFFICIENT_AVAILABILITY;
        };
    }

    private static boolean accepted(Object result) {
        return Outcome.of(result).accepted();
    }

    private static String outcome(Object result) {
        Outcome outcome = Outcome.of(result);
        if (!outcome.accepted()) {
            return "rejected " + outcome.code();
        }
        if (outcome.message().startsWith("stale")) {
            return "stale";
        }
        return outcome.invalid().signum() > 0 ? "partial" : "accepted";
    }

    private void check(boolean ok, Object what, Object expected, Object actual) {
        if (!ok) {
            throw failure(what, expected, actual, null);
        }
    }

    private AssertionError failure(Object what, Object expected, Object actual, Throwable cause) {
        AssertionError error = new AssertionError(String.format(
                "core simulation seed %d (%s), operation %d: the core and the reference model"
                        + " disagree%n  operation: %s%n  model: %s%n  core:  %s%n"
                        + "  last operations:%n    %s%n"
                        + "  replay: ./mvnw -B -o -pl ivs-core test -Dtest=CoreSimulationTest"
                        + " -Divs.sim.seed=%d -Divs.sim.operations=%d%n",
                seed,
                checkedOnly ? "checked-only profile" : "full profile",
                step,
                what,
                expected,
                actual,
                String.join(
                        System.lineSeparator() + "    ",
                        history.stream().map(Done::toString).toList()),
                seed,
                operations()));
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    /** An operation and what it carried; made into text only when a run fails. */
    private record Op(String kind, Object detail) {
        @Override
        public String toString() {
            String text = kind + " " + detail;
            return text.length() > 600 ? text.substring(0, 600) + "…" : text;
        }
    }

    /** An operation of the history, with its step and the simulated time it ran at. */
    private record Done(int step, Instant at, Op op) {
        @Override
        public String toString() {
            return step + " (" + at + "): " + op;
        }
    }

    private void record(Op description) {
        history.addLast(new Done(step, clock.instant(), description));
        while (history.size() > HISTORY_SHOWN) {
            history.removeFirst();
        }
    }

    private void count(String what, int n) {
        tally.merge(what, n, Integer::sum);
    }

    // ---- generators -------------------------------------------------------------------------

    private String nextId(String prefix) {
        return prefix + "-" + seed + "-" + ++ids;
    }

    private Key randomKey(boolean withSize) {
        String[] warehouse = WAREHOUSES.get(random.nextInt(WAREHOUSES.size()));
        TreeMap<String, String> dimensions = new TreeMap<>();
        dimensions.put("siteid", warehouse[0]);
        dimensions.put("locationid", warehouse[1]);
        dimensions.put("colorid", COLORS.get(random.nextInt(COLORS.size())));
        String size = withSize
                ? checkedOnly
                        ? SIZES.get(random.nextInt(SIZES.size() - 1))
                        : SIZES.get(random.nextInt(SIZES.size()))
                : "";
        if (!size.isEmpty()) {
            dimensions.put("sizeid", size);
        }
        return new Key(ORG, PRODUCTS.get(random.nextInt(PRODUCTS.size())), dimensions);
    }

    /** Reservations at size, colour or warehouse level (the configured reservation keys). */
    private Key reservationKey() {
        Key key = randomKey(random.nextBoolean());
        if (random.nextInt(6) == 0) {
            key.dimensions().remove("colorid");
            key.dimensions().remove("sizeid");
        }
        return key;
    }

    private Map<String, BigDecimal> randomDeltas() {
        Map<String, BigDecimal> deltas = new TreeMap<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            if (checkedOnly) {
                deltas.put(RAISING.get(random.nextInt(RAISING.size())), quantity(0, 20));
            } else {
                deltas.put(WRITABLE.get(random.nextInt(WRITABLE.size())), quantity(-3, 20));
            }
        }
        return deltas;
    }

    private BigDecimal quantity(int low, int high) {
        BigDecimal whole = BigDecimal.valueOf(low + random.nextInt(high - low + 1));
        return random.nextInt(4) == 0
                ? whole.add(BigDecimal.valueOf(random.nextInt(100), 2))
                : whole;
    }

    private Set<String> randomSubset(List<String> values, boolean mayBeEmpty) {
        Set<String> subset = new TreeSet<>();
        for (String value : values) {
            if (random.nextBoolean()) {
                subset.add(value);
            }
        }
        if (subset.isEmpty() && !mayBeEmpty) {
            subset.add(values.get(random.nextInt(values.size())));
        }
        return subset;
    }

    private List<String> randomGroupBy() {
        return switch (random.nextInt(4)) {
            case 0 -> List.of();
            case 1 -> List.of("colorid");
            case 2 -> List.of("sizeid");
            default -> List.of("colorid", "sizeid");
        };
    }

    /** Quantities keyed "ds.measure" as the request carries them. */
    private static Quantities nested(Map<String, BigDecimal> flat) {
        Map<String, Map<String, BigDecimal>> nested = new TreeMap<>();
        flat.forEach((qualified, q) -> {
            String[] parts = qualified.split("\\.", 2);
            nested.computeIfAbsent(parts[0], k -> new TreeMap<>()).put(parts[1], q);
        });
        return Quantities.fromNested(nested);
    }

    /** The names data source {@code pos} maps (§2.1 example), for events and queries. */
    private static Map<String, String> posNames(Map<String, String> base) {
        Map<String, String> out = new TreeMap<>();
        base.forEach((k, v) -> out.put(posName(k), v));
        return out;
    }

    private static String posName(String base) {
        return switch (base) {
            case "siteid" -> "PosSiteId";
            case "locationid" -> "PosLocationId";
            case "colorid" -> "PosColorId";
            case "sizeid" -> "PosSizeId";
            default -> base;
        };
    }
}
