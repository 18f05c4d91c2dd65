package io.ivs.core.simulation;

import io.ivs.core.Rejection;
import io.ivs.core.environment.Configurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.ResultRow;
import io.ivs.core.reservation.HoldResult;
import io.ivs.core.reservation.HoldTerms;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReservationService;
import io.ivs.core.reservation.ReservationStore.Holding;
import io.ivs.core.reservation.ReserveCommand;
import io.ivs.core.reservation.UnreserveCommand;
import io.ivs.core.testing.InMemoryInventory;
import io.ivs.core.testing.InMemoryOnHandStore;
import io.ivs.core.testing.InMemoryReservationStore;
import io.ivs.core.testing.SimulatedClock;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded simulation of holds that expire and all-or-nothing orders against a small reference
 * model, over the same in-memory ports as {@link CoreSimulationTest}: stock arrives, checked
 * reserves with and without a hold, atomic orders over several products, unreserves, extend,
 * confirm, retries, the clock moving on and the sweeper's step with small limits. Every answer is
 * compared with the model; after every operation available-to-reserve must not be below zero
 * anywhere (all reserves are checked and stock only grows), and after every sweep no lapsed hold
 * may still count: each ledger holds exactly what the model says, with lapsed holds released.
 *
 * <p>{@code -Divs.sim.seed=N} replays one seed; {@code -Divs.sim.seeds=N} runs seeds 1..N. A
 * failure prints the seed and the last operations.
 */
class HoldSimulationTest {
    private static final int SEEDS_DEFAULT = 100;
    private static final int OPERATIONS = 300;
    private static final String ENV = "holds";
    private static final String ORG = "usmf";
    private static final List<String> PRODUCTS = List.of("A", "B", "C");
    private static final List<String> LOCATIONS = List.of("11", "12");

    static Stream<Long> seeds() {
        String only = System.getProperty("ivs.sim.seed");
        if (only != null && !only.isBlank()) {
            return Stream.of(Long.parseLong(only.strip()));
        }
        return LongStream.rangeClosed(1, Integer.getInteger("ivs.sim.seeds", SEEDS_DEFAULT))
                .boxed();
    }

    /** One reservation of the model: a product at one location. */
    record Key(String product, String location) {
        Map<String, String> dimensions() {
            return Map.of("siteid", "1", "locationid", location);
        }
    }

    /** What the model holds per key: stock arrived, quantity reserved and the hold's expiry. */
    private static final class Line {
        BigDecimal stock = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;
        boolean exists;

        @Nullable
        Instant expiresAt;

        Line copy() {
            Line copy = new Line();
            copy.stock = stock;
            copy.reserved = reserved;
            copy.exists = exists;
            copy.expiresAt = expiresAt;
            return copy;
        }
    }

    private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final InMemoryInventory inventory = new InMemoryInventory(clock);
    private final Configurations configurations =
            environmentId -> CoreSimulationTest.configuration();
    private final OnHandService onHand =
            new OnHandService(new InMemoryOnHandStore(inventory), configurations, clock);
    private final InMemoryReservationStore store = new InMemoryReservationStore(inventory);
    private final ReservationService reservations =
            new ReservationService(store, configurations, clock);

    private final Map<Key, Line> model = new TreeMap<>(
            java.util.Comparator.comparing(Key::product).thenComparing(Key::location));
    /** Reserve requests the core accepted, by their first event id, to retry. */
    private final List<List<ReserveCommand>> accepted = new ArrayList<>();

    private final Deque<String> history = new ArrayDeque<>();
    private final Map<String, Integer> tally = new TreeMap<>();
    private Random random = new Random();
    private long seed;
    private int ids;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomHoldsAndOrders_neverOversellAndLapsedHoldsNeverCount(long seed) {
        this.seed = seed;
        random = new Random(seed);
        for (String product : PRODUCTS) {
            for (String location : LOCATIONS) {
                model.put(new Key(product, location), new Line());
            }
        }
        for (int step = 0; step < OPERATIONS; step++) {
            clock.advance(Duration.ofSeconds(random.nextInt(120)));
            nextOperation();
            checkAvailableNeverNegative();
        }
        sweep();
        if (!tally.containsKey("lapsed") || !tally.containsKey("order refused")) {
            // Not a failure of the core, but a generator that misses what it is for.
            throw new AssertionError("seed " + seed + " never reached a case: " + tally);
        }
    }

    private void nextOperation() {
        int dice = random.nextInt(100);
        if (dice < 15) {
            addStock();
        } else if (dice < 40) {
            reserve(List.of(line()), false);
        } else if (dice < 55) {
            List<ReserveCommand> lines = new ArrayList<>();
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                lines.add(line());
            }
            reserve(lines, true);
        } else if (dice < 63) {
            unreserve();
        } else if (dice < 71) {
            changeHold(true);
        } else if (dice < 77) {
            changeHold(false);
        } else if (dice < 85 && !accepted.isEmpty()) {
            List<ReserveCommand> again = accepted.get(random.nextInt(accepted.size()));
            note("retry " + again.get(0).id());
            compare(again, again.size() > 1, true);
        } else {
            sweep();
        }
    }

    private Key randomKey() {
        return new Key(
                PRODUCTS.get(random.nextInt(PRODUCTS.size())),
                LOCATIONS.get(random.nextInt(LOCATIONS.size())));
    }

    private void addStock() {
        Key key = randomKey();
        BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(10));
        note("stock " + key + " +" + quantity);
        OnHandChange change = new OnHandChange(
                "s" + ids++,
                ORG,
                key.product(),
                null,
                key.dimensions(),
                Quantities.fromNested(Map.of("pos", Map.of("inbound", quantity))),
                null);
        onHand.write(EnvironmentId.of(ENV), List.of(change), null);
        model.get(key).stock = model.get(key).stock.add(quantity);
    }

    /** A checked reserve of one key, a hold for a few minutes in two of three. */
    private ReserveCommand line() {
        Key key = randomKey();
        HoldTerms hold =
                random.nextInt(3) == 0 ? null : HoldTerms.forSeconds(30 + random.nextInt(600));
        return new ReserveCommand(
                "r" + ids++,
                ORG,
                key.product(),
                null,
                key.dimensions(),
                "iv",
                "softreserved",
                BigDecimal.valueOf(1 + random.nextInt(6)),
                Quantities.empty(),
                true,
                hold);
    }

    private void reserve(List<ReserveCommand> lines, boolean atomic) {
        note((atomic ? "order " : "reserve ")
                + lines.stream().map(HoldSimulationTest::show).toList());
        if (compare(lines, atomic, false)) {
            accepted.add(lines);
        }
    }

    /** Sends to the core and the model; answers whether every line was reserved. */
    private boolean compare(List<ReserveCommand> lines, boolean atomic, boolean retry) {
        List<ReservationResult> actual = atomic
                ? reservations.reserveAtomic(EnvironmentId.of(ENV), lines)
                : reservations.reserve(EnvironmentId.of(ENV), lines);
        List<Object> expected = retry ? replayed(lines) : expectReserve(lines, atomic);
        List<Object> got = actual.stream().map(HoldSimulationTest::outcome).toList();
        if (!got.equals(expected)) {
            throw failure("answers", expected, got);
        }
        boolean all = got.stream().allMatch("reserved"::equals);
        count(atomic ? (all ? "order reserved" : "order refused") : "reserve " + got.get(0));
        return all;
    }

    /**
     * An accepted request sent again replays its answers and reserves nothing more; its
     * transaction still releases the lapsed holds of its products first.
     */
    private List<Object> replayed(List<ReserveCommand> lines) {
        lines.forEach(line -> releaseLapsed(line.productId(), clock.instant()));
        return lines.stream().map(l -> (Object) "reserved").toList();
    }

    private List<Object> expectReserve(List<ReserveCommand> lines, boolean atomic) {
        Instant now = clock.instant();
        for (ReserveCommand line : lines) {
            releaseLapsed(line.productId(), now);
        }
        Map<Key, Line> trial = new HashMap<>();
        model.forEach((k, v) -> trial.put(k, v.copy()));
        List<Object> answers = new ArrayList<>();
        for (ReserveCommand line : lines) {
            Line state = trial.get(keyOf(line));
            BigDecimal quantity = line.quantity();
            if (quantity.compareTo(state.stock.subtract(state.reserved)) > 0) {
                answers.add(Rejection.INSUFFICIENT_AVAILABILITY);
                continue;
            }
            answers.add("reserved");
            state.reserved = state.reserved.add(quantity);
            state.exists = true;
            HoldTerms hold = line.hold();
            if (hold != null) {
                state.expiresAt = hold.expiry(now);
            }
        }
        if (atomic && answers.contains(Rejection.INSUFFICIENT_AVAILABILITY)) {
            return answers.stream()
                    .map(a -> a.equals("reserved") ? (Object) Rejection.ORDER_REFUSED : a)
                    .toList();
        }
        model.putAll(trial);
        return answers;
    }

    private void unreserve() {
        Key key = randomKey();
        Optional<Holding> holding = holding(key);
        if (holding.isEmpty()) {
            addStock();
            return;
        }
        BigDecimal offset = BigDecimal.valueOf(1 + random.nextInt(6));
        note("unreserve " + key + " " + offset);
        UnreserveCommand command = new UnreserveCommand(
                "u" + ids++,
                ORG,
                key.product(),
                null,
                key.dimensions(),
                holding.get().reservationId(),
                offset);
        ReservationResult result =
                reservations.unreserve(EnvironmentId.of(ENV), List.of(command)).get(0);
        releaseLapsed(key.product(), clock.instant());
        Line line = model.get(key);
        BigDecimal released = offset.min(line.reserved.max(BigDecimal.ZERO));
        line.reserved = line.reserved.subtract(released);
        if (!(result instanceof ReservationResult.Unreserved u)
                || u.released().compareTo(released) != 0) {
            throw failure("unreserve", "released " + released, result);
        }
        count("unreserve");
    }

    /** Extends (with a new time to live) or confirms the hold of a key. */
    private void changeHold(boolean extend) {
        Key key = randomKey();
        Optional<Holding> holding = holding(key);
        if (holding.isEmpty()) {
            reserve(List.of(line()), false);
            return;
        }
        long ttl = 30 + random.nextInt(600);
        note((extend ? "extend " : "confirm ") + key);
        String id = holding.get().reservationId();
        HoldResult result = extend
                ? reservations.extend(EnvironmentId.of(ENV), id, HoldTerms.forSeconds(ttl))
                : reservations.confirm(EnvironmentId.of(ENV), id);
        Line line = model.get(key);
        Instant now = clock.instant();
        Object expected;
        if (line.expiresAt != null && !line.expiresAt.isAfter(now)) {
            expected = Rejection.CONFLICT;
        } else if (extend && line.expiresAt == null) {
            expected = Rejection.CONFLICT;
        } else {
            line.expiresAt = extend ? now.plusSeconds(ttl) : null;
            expected = "held";
        }
        Object got = result instanceof HoldResult.Refused r ? r.reason() : "held";
        if (!got.equals(expected)) {
            throw failure(extend ? "extend" : "confirm", expected, result);
        }
        count((extend ? "extend " : "confirm ") + got);
    }

    /** Runs the sweeper's step with small limits until it finds nothing, then compares all. */
    private void sweep() {
        int limit = 1 + random.nextInt(4);
        note("sweep by " + limit);
        for (int round = 0; ; round++) {
            if (round > 100) {
                throw failure("sweep", "the sweeper to finish", "still releasing");
            }
            // Each due hold found locks its product, whose lapsed holds all go at once.
            int released = reservations.releaseLapsedHolds(limit);
            if (released > limit * LOCATIONS.size()) {
                throw failure("sweep limit", "at most " + limit * LOCATIONS.size(), released);
            }
            if (released == 0) {
                break;
            }
        }
        for (String product : PRODUCTS) {
            releaseLapsed(product, clock.instant());
        }
        for (Map.Entry<Key, Line> entry : model.entrySet()) {
            Line line = entry.getValue();
            Holding actual = holding(entry.getKey()).orElse(null);
            Object want = line.exists
                    ? line.reserved.stripTrailingZeros() + "@" + line.expiresAt
                    : "none";
            Object got = actual == null
                    ? "none"
                    : actual.quantity().stripTrailingZeros() + "@" + actual.expiresAt();
            if (!want.equals(got)) {
                throw failure("ledger of " + entry.getKey() + " after the sweep", want, got);
            }
        }
    }

    /** The model's release: every lapsed hold of the product gives up what it holds. */
    private void releaseLapsed(String product, Instant now) {
        model.forEach((key, line) -> {
            if (key.product().equals(product)
                    && line.expiresAt != null
                    && !line.expiresAt.isAfter(now)) {
                if (line.reserved.signum() > 0) {
                    count("lapsed");
                }
                line.reserved = line.reserved.min(BigDecimal.ZERO);
                line.expiresAt = null;
            }
        });
    }

    private void checkAvailableNeverNegative() {
        Map<String, List<String>> filters = new TreeMap<>();
        filters.put("organizationId", List.of(ORG));
        filters.put("siteId", List.of("1"));
        filters.put("locationId", LOCATIONS);
        QueryRequest everything = new QueryRequest(
                null, filters, List.of("colorId", "sizeId"), true, null, List.of());
        for (ResultRow row : onHand.query(EnvironmentId.of(ENV), everything, 1)) {
            BigDecimal available = row.quantities().get("iv", "availabletoreserve");
            if (available != null && available.signum() < 0) {
                throw failure("available-to-reserve never below zero", ">= 0", row);
            }
        }
    }

    private Optional<Holding> holding(Key key) {
        return store
                .list(
                        EnvironmentId.of(ENV),
                        Optional.of(ORG),
                        Optional.of(key.product()),
                        Optional.empty(),
                        10)
                .stream()
                .filter(h -> key.location().equals(h.dimensions().get("locationid")))
                .findFirst();
    }

    private static Key keyOf(ReserveCommand line) {
        return new Key(line.productId(), line.dimensions().get("locationid"));
    }

    private static Object outcome(ReservationResult result) {
        return switch (result) {
            case ReservationResult.Reserved r -> "reserved";
            case ReservationResult.Rejected r -> r.reason();
            case ReservationResult.Unreserved u -> "unreserved " + u.released();
        };
    }

    private static String show(ReserveCommand line) {
        HoldTerms hold = line.hold();
        return line.id() + " " + line.productId() + "@" + line.dimensions().get("locationid") + " "
                + line.quantity() + (hold == null ? "" : " ttl " + hold.ttlSeconds());
    }

    private void note(String operation) {
        history.addLast(clock.instant() + " " + operation);
        if (history.size() > 12) {
            history.removeFirst();
        }
    }

    private void count(String outcome) {
        tally.merge(outcome, 1, Integer::sum);
    }

    private AssertionError failure(String what, Object expected, Object actual) {
        return new AssertionError("seed " + seed + " (replay with -Divs.sim.seed=" + seed + "): "
                + what + ": expected " + expected + " but was " + actual + "\nlast operations:\n  "
                + String.join("\n  ", history));
    }
}
