package io.ivs.core.reservation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Invariants;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.Rejection;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.Configurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.Combiner;
import io.ivs.core.event.EventId;
import io.ivs.core.event.Idempotency;
import io.ivs.core.event.ProcessedEvents.Claim;
import io.ivs.core.event.ProcessedEvents.Stored;
import io.ivs.core.event.RequestContexts;
import io.ivs.core.event.Verdict;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.reservation.ReservationStore.Delta;
import io.ivs.core.reservation.ReservationStore.Expiry;
import io.ivs.core.reservation.ReservationStore.HeldLedger;
import io.ivs.core.reservation.ReservationStore.Ledger;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Reserve and unreserve (spec §2.4, §2.5). Each request validates its items, then processes the
 * valid ones in order inside one transaction that holds the locks of their products: a checked
 * reserve succeeds only if its quantity fits the available-to-reserve measure aggregated over the
 * requested level, including the effect of earlier items of the same request. Writes are applied
 * at the end, sorted, so they lock rows in the same order as on-hand change events.
 */
public final class ReservationService {
    public static final String RESERVE = "reserve";
    public static final String UNRESERVE = "unreserve";

    /** Items of one combined transaction: as many as one bulk request may hold. */
    private static final int ITEMS_PER_TRANSACTION_MAX = Limits.BULK_ITEMS_MAX;

    private final ReservationStore store;
    private final Configurations configurations;
    private final Clock clock;
    private final Combiner<ResolvedReservation, ReservationResult> combiner;

    /** @param clock when holds lapse, and what {@code ttlSeconds} counts from */
    public ReservationService(ReservationStore store, Configurations configurations, Clock clock) {
        this(store, configurations, clock, RequestContexts.NONE);
    }

    /** @param contexts what each request carries to the thread that runs it combined */
    public ReservationService(
            ReservationStore store,
            Configurations configurations,
            Clock clock,
            RequestContexts contexts) {
        this.combiner = new Combiner<>(
                ITEMS_PER_TRANSACTION_MAX,
                ResolvedReservation::eventId,
                contexts,
                this::reserveAlone,
                this::reserveTogether);
        this.store = store;
        this.configurations = configurations;
        this.clock = clock;
    }

    public List<ReservationResult> reserve(
            EnvironmentId environmentId, List<ReserveCommand> commands) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        requireBulkSize(commands.size());
        ReservationResult[] results = new ReservationResult[commands.size()];
        List<ResolvedReservation> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        resolve(environmentId, config, commands, results, valid, positions);
        if (!valid.isEmpty()) {
            List<ReservationResult> done = combiner.run(environmentId, valid);
            requireOneAnswerEach(done, positions);
            for (int k = 0; k < done.size(); k++) {
                results[positions.get(k)] = done.get(k);
            }
        }
        return List.of(results);
    }

    /** Resolves the commands: valid ones to {@code valid}, the others answered in place. */
    private void resolve(
            EnvironmentId environmentId,
            RuntimeConfiguration config,
            List<ReserveCommand> commands,
            ReservationResult[] results,
            List<ResolvedReservation> valid,
            List<Integer> positions) {
        Instant now = clock.instant();
        for (int i = 0; i < commands.size(); i++) {
            try {
                valid.add(ReservationResolver.reserve(environmentId, config, commands.get(i), now));
                positions.add(i);
            } catch (InvalidInputException e) {
                results[i] = rejected(commands.get(i).id(), null, e);
            }
        }
    }

    private List<ReservationResult> reserveAlone(
            EnvironmentId environmentId, List<ResolvedReservation> items) {
        SortedSet<UUID> products = products(List.of(items));
        return store.withProductsLocked(environmentId, products, tx -> {
            Holds.releaseLapsed(tx, products, clock.instant());
            return new Batch(tx).reserveAll(items);
        });
    }

    /**
     * An all-or-nothing order: every line is reserved, or none is. The lines are decided in
     * order in one transaction that holds the locks of all their products (taken in sorted
     * order, so two orders cannot deadlock); when one line is refused, nothing is recorded or
     * written, the refused lines answer their reasons and the others {@link
     * Rejection#ORDER_REFUSED}. A retry of an order that was reserved replays its answers.
     */
    public List<ReservationResult> reserveAtomic(
            EnvironmentId environmentId, List<ReserveCommand> commands) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        requireBulkSize(commands.size());
        ReservationResult[] results = new ReservationResult[commands.size()];
        List<ResolvedReservation> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        resolve(environmentId, config, commands, results, valid, positions);
        if (valid.size() < commands.size()) {
            String because = refusedEvents(Arrays.asList(results));
            for (int k = 0; k < valid.size(); k++) {
                results[positions.get(k)] = orderRefused(valid.get(k), because);
            }
            return List.of(results);
        }
        try {
            return reserveOrder(environmentId, valid);
        } catch (EventIdTaken e) {
            // Another request, on other products, claimed one of the order's event ids between
            // look-up and claim; nothing was written. Once more, the id is known and answers.
            return reserveOrder(environmentId, valid);
        }
    }

    /** Rolls back a transaction whose event id a concurrent request recorded first. */
    private static final class EventIdTaken extends IllegalStateException {
        EventIdTaken() {
            super("an event id was taken by a concurrent request");
        }
    }

    /**
     * The answers of a refused order: the lines that would have been reserved now are not; the
     * refused ones and those reserved by an earlier request keep their answers.
     */
    private static List<ReservationResult> refuseOrder(
            List<ResolvedReservation> items,
            List<ReservationResult> results,
            List<Claim<ReservationResult>> marks) {
        Set<EventId> fresh = new java.util.HashSet<>();
        marks.forEach(mark -> fresh.add(mark.eventId()));
        String because = refusedEvents(List.copyOf(results));
        List<ReservationResult> answers = new ArrayList<>(results.size());
        for (int i = 0; i < items.size(); i++) {
            boolean wouldReserve = results.get(i) instanceof ReservationResult.Reserved
                    && fresh.contains(items.get(i).eventId());
            answers.add(wouldReserve ? orderRefused(items.get(i), because) : results.get(i));
        }
        return answers;
    }

    /** The event ids of the refused lines, for the message of the lines not reserved. */
    private static String refusedEvents(List<@Nullable ReservationResult> results) {
        return results.stream()
                .filter(r -> r instanceof ReservationResult.Rejected)
                .map(r -> "'" + r.eventId() + "'")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static ReservationResult orderRefused(ResolvedReservation item, String because) {
        return new ReservationResult.Rejected(
                item.eventId().value(),
                item.reservationId(),
                Rejection.ORDER_REFUSED,
                "not reserved: the all-or-nothing order was refused because of " + because);
    }

    /** The lines' answers; all applied or (when one is refused) none. */
    private List<ReservationResult> reserveOrder(
            EnvironmentId environmentId, List<ResolvedReservation> items) {
        SortedSet<UUID> products = products(List.of(items));
        return store.withProductsLocked(environmentId, products, tx -> {
            Holds.releaseLapsed(tx, products, clock.instant());
            List<EventId> ids = items.stream().map(ResolvedReservation::eventId).toList();
            Batch batch = Batch.combined(tx, tx.events().find(RESERVE, ids));
            List<ReservationResult> results = batch.reserveEach(items);
            List<Claim<ReservationResult>> marks = batch.marks();
            if (results.stream().anyMatch(r -> r instanceof ReservationResult.Rejected)) {
                return refuseOrder(items, results, marks);
            }
            if (tx.events().claim(RESERVE, marks).size() != marks.size()) {
                throw new EventIdTaken();
            }
            batch.applyPending();
            return results;
        });
    }

    /**
     * Several requests in one transaction, in order, as if one after another: their event ids are
     * looked up at once, sums are read once per level, answers are recorded and writes applied
     * at the end. Throws, so that the transaction rolls back, if another request took one of the
     * event ids meanwhile; the requests are then run alone.
     */
    private List<List<ReservationResult>> reserveTogether(
            EnvironmentId environmentId, List<List<ResolvedReservation>> requests) {
        SortedSet<UUID> products = products(requests);
        return store.withProductsLocked(environmentId, products, tx -> {
            Holds.releaseLapsed(tx, products, clock.instant());
            List<EventId> ids = new ArrayList<>();
            requests.forEach(items -> items.forEach(item -> ids.add(item.eventId())));
            Batch batch = Batch.combined(tx, tx.events().find(RESERVE, ids));
            List<List<ReservationResult>> results = new ArrayList<>(requests.size());
            for (List<ResolvedReservation> items : requests) {
                results.add(batch.reserveEach(items));
            }
            List<Claim<ReservationResult>> marks = batch.marks();
            if (tx.events().claim(RESERVE, marks).size() != marks.size()) {
                throw new IllegalStateException("an event id was taken by a concurrent request");
            }
            batch.applyPending();
            return results;
        });
    }

    private static SortedSet<UUID> products(List<List<ResolvedReservation>> requests) {
        SortedSet<UUID> products = new TreeSet<>();
        requests.forEach(items -> items.forEach(r -> products.add(r.record().productKey())));
        return products;
    }

    public List<ReservationResult> unreserve(
            EnvironmentId environmentId, List<UnreserveCommand> commands) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        requireBulkSize(commands.size());
        ReservationResult[] results = new ReservationResult[commands.size()];
        List<ResolvedUnreserve> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            UnreserveCommand command = commands.get(i);
            try {
                valid.add(ReservationResolver.unreserve(environmentId, config, command));
                positions.add(i);
            } catch (InvalidInputException e) {
                results[i] = rejected(command.id(), command.reservationId(), e);
            }
        }
        if (!valid.isEmpty()) {
            SortedSet<UUID> products = new TreeSet<>();
            valid.forEach(r -> products.add(r.record().productKey()));
            List<ReservationResult> done = store.withProductsLocked(environmentId, products, tx -> {
                Holds.releaseLapsed(tx, products, clock.instant());
                return new Batch(tx).unreserveAll(valid);
            });
            requireOneAnswerEach(done, positions);
            for (int k = 0; k < done.size(); k++) {
                results[positions.get(k)] = done.get(k);
            }
        }
        return List.of(results);
    }

    /**
     * Reverses every reservation held on measures of the listed data sources, or of all data
     * sources when the list is empty (spec §2.6); answers how many reservations were reversed.
     * Products are reversed one by one, each under its lock, so a clean-up never holds the
     * locks of a whole environment while reserves go on.
     */
    public int cleanUp(EnvironmentId environmentId, List<String> dataSources) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        Set<String> keys = new TreeSet<>();
        for (String name : dataSources) {
            keys.add(config.dataSource(name.strip())
                    .orElseThrow(() -> new InvalidInputException(
                            "body", "data source '" + name + "' is not configured"))
                    .key());
        }
        int reversed = 0;
        for (UUID product : store.productsHoldingReservations(environmentId)) {
            reversed += store.withProductsLocked(
                    environmentId,
                    new TreeSet<>(List.of(product)),
                    tx -> reverseProduct(tx, product, keys));
        }
        return reversed;
    }

    /** Negates the ledgers of one locked product that lie on the data sources (all if none). */
    private static int reverseProduct(
            ReservationStore.Tx tx, UUID product, Set<String> dataSources) {
        List<Delta> deltas = new ArrayList<>();
        for (HeldLedger held : tx.heldLedgers(product)) {
            if (dataSources.isEmpty() || dataSources.contains(held.measure().dataSource())) {
                deltas.add(new Delta(
                        held.record(),
                        held.partitionId(),
                        held.measure(),
                        held.quantity().negate(),
                        held.reservationId()));
            }
        }
        tx.apply(deltas);
        return deltas.size();
    }

    /**
     * Reverses one reservation: an unreserve of its whole remaining quantity under the given
     * event id, as {@code POST …/onhand/unreserve} would do it.
     *
     * @throws InvalidInputException when the product holds no such reservation
     */
    public Reversal reverse(
            EnvironmentId environmentId,
            String eventId,
            String organizationId,
            String productId,
            String reservationId) {
        ReservationStore.Holding holding = store
                .list(
                        environmentId,
                        Optional.of(organizationId),
                        Optional.of(productId),
                        Optional.of(reservationId),
                        1)
                .stream()
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "reservationId",
                        "no reservation '" + reservationId + "' of product '" + productId + "'"));
        // A released reservation keeps its ledger at zero, and an unchecked cancel may take it
        // below zero (spec §2.4): both are legitimate, and there is nothing to release.
        if (holding.quantity().signum() <= 0) {
            return new Reversal.NothingHeld();
        }
        UnreserveCommand unreserve = new UnreserveCommand(
                eventId,
                holding.organizationId(),
                holding.productId(),
                null,
                holding.dimensions(),
                holding.reservationId(),
                holding.quantity());
        return switch (unreserve(environmentId, List.of(unreserve)).get(0)) {
            case ReservationResult.Unreserved done -> new Reversal.Reversed(done.released());
            case ReservationResult.Rejected rejected -> new Reversal.Refused(rejected.message());
            case ReservationResult.Reserved reserved ->
                throw Invariants.violated("an unreserve answered %s", reserved);
        };
    }

    /**
     * Releases holds that have lapsed, at most {@code limit}, soonest first, each product under
     * its lock: the background sweeper's step. Every lapsed hold of a product found is ended at
     * once. Answers how many holds ended here (zero when none was due); a hold another instance
     * ended first counts on that instance only.
     */
    public int releaseLapsedHolds(int limit) {
        Instant now = clock.instant();
        Map<List<Object>, SortedSet<UUID>> seen = new java.util.LinkedHashMap<>();
        for (ReservationStore.DueHold due : store.dueHolds(now, limit)) {
            seen.putIfAbsent(List.of(due.environmentId(), due.productKey()), new TreeSet<>());
        }
        int released = 0;
        for (List<Object> key : seen.keySet()) {
            EnvironmentId environment = (EnvironmentId) key.get(0);
            SortedSet<UUID> product = new TreeSet<>(List.of((UUID) key.get(1)));
            released += store.withProductsLocked(
                    environment, product, tx -> Holds.releaseLapsed(tx, product, clock.instant()));
        }
        return released;
    }

    /**
     * Moves the expiry of a hold that has not lapsed.
     *
     * @throws InvalidInputException when the terms are not a valid expiry
     */
    public HoldResult extend(EnvironmentId environmentId, String reservationId, HoldTerms terms) {
        Instant expiresAt = terms.expiry(clock.instant());
        return changeHold(environmentId, reservationId, expiresAt);
    }

    /** Confirms a hold that has not lapsed: it no longer expires. */
    public HoldResult confirm(EnvironmentId environmentId, String reservationId) {
        return changeHold(environmentId, reservationId, null);
    }

    private HoldResult changeHold(
            EnvironmentId environmentId, String reservationId, @Nullable Instant expiresAt) {
        Limits.requireText("reservationId", reservationId);
        ReservationStore.Holding holding = store
                .list(
                        environmentId,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(reservationId),
                        1)
                .stream()
                .findFirst()
                .orElse(null);
        if (holding == null) {
            return notFound(reservationId);
        }
        UUID product = io.ivs.core.onhand.RecordKey.productKey(
                environmentId, holding.organizationId(), holding.productId());
        SortedSet<UUID> products = new TreeSet<>(List.of(product));
        return store.withProductsLocked(environmentId, products, tx -> {
            Instant now = clock.instant();
            // A clean-up may have deleted the reservation since it was listed.
            Ledger ledger = tx.ledger(product, reservationId).orElse(null);
            if (ledger == null) {
                return notFound(reservationId);
            }
            HoldResult refused = Holds.refuseChange(ledger, expiresAt, now);
            if (refused != null) {
                return refused;
            }
            tx.expire(List.of(new Expiry(product, reservationId, expiresAt)));
            return new HoldResult.Held(reservationId, ledger.quantity(), expiresAt);
        });
    }

    private static HoldResult notFound(String reservationId) {
        return new HoldResult.Refused(
                reservationId,
                Rejection.NOT_FOUND,
                "reservationId: no reservation '" + reservationId + "'");
    }

    private static void requireBulkSize(int size) {
        if (size > Limits.BULK_ITEMS_MAX) {
            throw new InvalidInputException(
                    "", "a bulk request may hold at most " + Limits.BULK_ITEMS_MAX + " items");
        }
    }

    /** The answers of the valid items fill their places; anything else would mix them up. */
    private static void requireOneAnswerEach(
            List<ReservationResult> answers, List<Integer> positions) {
        Invariants.check(
                answers.size() == positions.size(),
                "%s answers to %s valid items",
                answers.size(),
                positions.size());
    }

    private static ReservationResult rejected(
            String eventId, @Nullable String reservationId, InvalidInputException e) {
        Rejection reason = e instanceof ReservationRejectedException r
                ? r.reason()
                : e instanceof ReadOnlyException ? Rejection.FORBIDDEN : Rejection.INVALID;
        return new ReservationResult.Rejected(eventId, reservationId, reason, e.getMessage());
    }

    /**
     * The work of one request inside its transaction, with the deltas it has decided so far.
     * Package-private so that tests can hand it states the resolver never lets through.
     */
    static final class Batch {
        private final ReservationStore.Tx tx;
        private final List<Delta> pending = new ArrayList<>();

        /** The expiries the holds among the items set, applied after the deltas; last wins. */
        private final Map<String, Expiry> expiries = new java.util.LinkedHashMap<>();

        /**
         * Combined requests only (null otherwise): answers known for event ids (looked up at the
         * start, plus those decided here) and answers to record at the end.
         */
        private final @Nullable Map<EventId, Stored<ReservationResult>> known;

        private final @Nullable List<Claim<ReservationResult>> marks;

        /**
         * Stored sums per level and measures, read once per batch while the products are locked
         * (the first item at a level reads them): the batch's own writes stay pending until the
         * end, and {@link #sum} adds them. A bulk request of many items at one level reads them
         * once, not once per item.
         */
        private final Map<String, Map<MeasureRef, BigDecimal>> storedSums =
                new java.util.HashMap<>();

        Batch(ReservationStore.Tx tx) {
            this(tx, null, null);
        }

        private Batch(
                ReservationStore.Tx tx,
                @Nullable Map<EventId, Stored<ReservationResult>> known,
                @Nullable List<Claim<ReservationResult>> marks) {
            this.tx = tx;
            this.known = known;
            this.marks = marks;
        }

        static Batch combined(
                ReservationStore.Tx tx, Map<EventId, Stored<ReservationResult>> known) {
            return new Batch(tx, new java.util.HashMap<>(known), new ArrayList<>());
        }

        private static String sumsKey(RecordKey level, List<MeasureRef> measures) {
            return level.productKey() + "\u0000" + level.dimensions().key() + "\u0000" + measures;
        }

        /** The answers to record at the end, which only a combined batch collects. */
        List<Claim<ReservationResult>> marks() {
            if (marks == null) {
                throw new IllegalStateException("only a combined batch collects answers to record");
            }
            return marks;
        }

        List<ReservationResult> reserveAll(List<ResolvedReservation> items) {
            List<ReservationResult> results = reserveEach(items);
            applyPending();
            return results;
        }

        /** Writes the decided deltas, then the holds' expiries (a new ledger exists by then). */
        void applyPending() {
            tx.apply(pending);
            tx.expire(List.copyOf(expiries.values()));
        }

        /** Decides the items in order; the writes stay pending. */
        List<ReservationResult> reserveEach(List<ResolvedReservation> items) {
            List<ReservationResult> results = new ArrayList<>(items.size());
            for (ResolvedReservation item : items) {
                results.add(reserve(item));
            }
            return results;
        }

        /**
         * Records the answer to a new event id: a combined batch keeps it for the end (and
         * answers a repeat of the id from it), a request alone records it now. False when a
         * concurrent request took the id meanwhile.
         */
        private boolean record(String family, Claim<ReservationResult> claim) {
            if (marks == null || known == null) {
                return tx.events().claim(family, List.of(claim)).contains(claim.eventId());
            }
            marks.add(claim);
            known.put(claim.eventId(), new Stored<>(claim.fingerprint(), claim.answer()));
            return true;
        }

        List<ReservationResult> unreserveAll(List<ResolvedUnreserve> items) {
            List<ReservationResult> results = new ArrayList<>(items.size());
            for (ResolvedUnreserve item : items) {
                results.add(unreserve(item));
            }
            tx.apply(pending);
            return results;
        }

        private ReservationResult reserve(ResolvedReservation item) {
            Verdict<ReservationResult> verdict =
                    verdict(RESERVE, item.eventId(), item.fingerprint());
            if (!(verdict instanceof Verdict.Fresh)) {
                return answer(verdict, item.eventId().value(), item.reservationId());
            }
            CalculatedMeasure afr = item.availableToReserve();
            if (afr != null) {
                // The resolver refuses a checked reserve of zero or less (NEGATIVE_CHECKED): a
                // negative quantity always fits the check below and would cancel under its cover.
                Invariants.check(
                        item.quantity().signum() > 0,
                        "checked reserve '%s' of %s; only more than zero passes the resolver",
                        item.eventId(),
                        item.quantity());
                BigDecimal available = afr.evaluate(sum(item.record(), afr.components()));
                if (item.quantity().compareTo(available) > 0) {
                    return new ReservationResult.Rejected(
                            item.eventId().value(),
                            item.reservationId(),
                            Rejection.INSUFFICIENT_AVAILABILITY,
                            "insufficient availability: "
                                    + afr.name() + " is " + available.toPlainString()
                                    + " at the requested dimensions, "
                                    + item.quantity().toPlainString() + " requested");
                }
            }
            ReservationResult result =
                    new ReservationResult.Reserved(item.eventId().value(), item.reservationId());
            if (!record(
                    RESERVE,
                    new Claim<>(
                            item.eventId(),
                            item.record().productKey(),
                            item.fingerprint(),
                            item.partitionId(),
                            result))) {
                return answer(
                        Idempotency.conflict(item.eventId()),
                        item.eventId().value(),
                        item.reservationId());
            }
            pending.add(new Delta(
                    item.record(),
                    item.partitionId(),
                    item.measure(),
                    item.quantity(),
                    item.reservationId(),
                    item.eventId().value()));
            Instant expiresAt = item.expiresAt();
            if (expiresAt != null) {
                UUID product = item.record().productKey();
                expiries.put(
                        product + "\u0000" + item.reservationId(),
                        new Expiry(product, item.reservationId(), expiresAt));
            }
            return result;
        }

        private ReservationResult unreserve(ResolvedUnreserve item) {
            Verdict<ReservationResult> verdict =
                    verdict(UNRESERVE, item.eventId(), item.fingerprint());
            if (!(verdict instanceof Verdict.Fresh)) {
                return answer(verdict, item.eventId().value(), item.reservationId());
            }
            Ledger ledger =
                    tx.ledger(item.record().productKey(), item.reservationId()).orElse(null);
            if (ledger == null
                    || !ledger.recordKey().equals(item.record().dimensions().key())) {
                return new ReservationResult.Rejected(
                        item.eventId().value(),
                        item.reservationId(),
                        Rejection.NOT_FOUND,
                        "reservationId: no reservation '" + item.reservationId()
                                + "' for this organization, product and dimensions");
            }
            // The resolver admits offsets above zero only; with a smaller one the release below
            // would turn negative and the unreserve would add to the reservation.
            Invariants.check(
                    item.offset().signum() > 0,
                    "unreserve '%s' offsets %s; only more than zero passes the resolver",
                    item.eventId(),
                    item.offset());
            // A ledger below zero is legitimate data, not a broken invariant: an unchecked
            // reserve of a negative quantity cancels (spec §2.4) and may cancel more than the
            // reservation holds. An unreserve then has nothing left to release (A9).
            BigDecimal reserved = ledger.quantity()
                    .add(pendingFor(item.record().productKey(), item.reservationId()))
                    .max(BigDecimal.ZERO);
            BigDecimal released = item.offset().min(reserved);
            BigDecimal invalid = item.offset().subtract(released);
            ReservationResult result = new ReservationResult.Unreserved(
                    item.eventId().value(), item.reservationId(), released, invalid);
            // Unreserves never run combined, so the answer is recorded at once.
            Claim<ReservationResult> claim = new Claim<>(
                    item.eventId(),
                    item.record().productKey(),
                    item.fingerprint(),
                    item.partitionId(),
                    result);
            if (!tx.events().claim(UNRESERVE, List.of(claim)).contains(item.eventId())) {
                return answer(
                        Idempotency.conflict(item.eventId()),
                        item.eventId().value(),
                        item.reservationId());
            }
            if (released.signum() > 0) {
                pending.add(new Delta(
                        item.record(),
                        item.partitionId(),
                        ledger.measure(),
                        released.negate(),
                        item.reservationId(),
                        item.eventId().value()));
            }
            return result;
        }

        /** What the event id's stored answer, if any, makes of this event. */
        private Verdict<ReservationResult> verdict(
                String family, EventId eventId, String fingerprint) {
            Stored<ReservationResult> stored = known != null
                    ? known.get(eventId)
                    : tx.events().find(family, List.of(eventId)).get(eventId);
            return Idempotency.decide(eventId, fingerprint, stored);
        }

        /** The answer to an event that is not processed: its stored answer or a conflict. */
        private static ReservationResult answer(
                Verdict<ReservationResult> verdict, String eventId, String reservationId) {
            return switch (verdict) {
                case Verdict.Replay<ReservationResult> replay -> replay.answer();
                case Verdict.Conflict<ReservationResult> conflict ->
                    new ReservationResult.Rejected(
                            eventId, reservationId, Rejection.CONFLICT, conflict.message());
                case Verdict.Fresh<ReservationResult> fresh ->
                    throw Invariants.violated("event '%s' is new and has no answer yet", eventId);
            };
        }

        /** Stored sums plus the deltas this request has decided on matching records. */
        private Map<MeasureRef, BigDecimal> sum(RecordKey level, List<MeasureRef> measures) {
            Map<MeasureRef, BigDecimal> stored = storedSums.computeIfAbsent(
                    sumsKey(level, measures), key -> tx.sum(level, measures));
            Map<MeasureRef, BigDecimal> sums = new java.util.HashMap<>(stored);
            for (Delta delta : pending) {
                if (measures.contains(delta.measure()) && covers(level, delta.record())) {
                    sums.merge(delta.measure(), delta.quantity(), BigDecimal::add);
                }
            }
            return sums;
        }

        /**
         * What this request has already moved on one ledger. A ledger is keyed by product and
         * reservation id, as in the store, so a delta of another product never counts.
         */
        private BigDecimal pendingFor(UUID productKey, String reservationId) {
            BigDecimal total = BigDecimal.ZERO;
            for (Delta delta : pending) {
                if (reservationId.equals(delta.reservationId())
                        && productKey.equals(delta.record().productKey())) {
                    total = total.add(delta.quantity());
                }
            }
            return total;
        }

        /** Whether a record lies at or below a level: same product, all level values equal. */
        private static boolean covers(RecordKey level, RecordKey record) {
            if (!level.productKey().equals(record.productKey())) {
                return false;
            }
            for (Map.Entry<String, String> entry : level.dimensions().values().entrySet()) {
                if (!entry.getValue().equals(record.dimensions().get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }
}
