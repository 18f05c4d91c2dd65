package io.ivs.core.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Invariants;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.Rejection;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.Configurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.Combiner;
import io.ivs.core.event.RequestContexts;
import io.ivs.core.event.WriteOutcome;
import io.ivs.core.onhand.OnHandStore.WriteKind;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * On-hand use cases: change and set events (validated per item, valid items applied in one
 * transaction) and queries.
 */
public final class OnHandService {
    private final OnHandStore store;
    private final Configurations configurations;

    /** Stands for the observation time of a set without {@code modifiedDateTimeUTC} (A5). */
    private final Clock clock;

    /**
     * Change requests of at most this many valid events run combined with concurrent ones, up to
     * this many events in one transaction: single events and small bulks, which otherwise pay a
     * commit each. (The store writes up to this many change events in one statement.)
     */
    public static final int COMBINED_CHANGES_MAX = 32;

    private final Combiner<ResolvedChange, WriteOutcome> combiner;

    public OnHandService(OnHandStore store, Configurations configurations, Clock clock) {
        this(store, configurations, clock, RequestContexts.NONE);
    }

    /** @param contexts what each request carries to the thread that runs it combined */
    public OnHandService(
            OnHandStore store,
            Configurations configurations,
            Clock clock,
            RequestContexts contexts) {
        this.store = store;
        this.configurations = configurations;
        this.clock = clock;
        this.combiner = new Combiner<>(
                COMBINED_CHANGES_MAX,
                ResolvedChange::eventId,
                contexts,
                (environmentId, items) ->
                        store.apply(environmentId, WriteKind.CHANGE, items, clock.instant()),
                this::applyTogether);
    }

    /**
     * @param inventorySystem the data source of a set on-hand request, null for change events
     */
    public List<ItemResult> write(
            EnvironmentId environmentId,
            List<OnHandChange> events,
            @Nullable String inventorySystem) {
        return write(environmentId, events, inventorySystem, WriteAccess.API);
    }

    /**
     * @param access the data sources the caller may write; items naming another are refused
     *     ({@link Rejection#FORBIDDEN})
     */
    public List<ItemResult> write(
            EnvironmentId environmentId,
            List<OnHandChange> events,
            @Nullable String inventorySystem,
            WriteAccess access) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        int itemsMax = inventorySystem == null ? Limits.BULK_ITEMS_MAX : Limits.SET_BULK_ITEMS_MAX;
        if (events.size() > itemsMax) {
            throw new InvalidInputException(
                    "", "a bulk request may hold at most " + itemsMax + " items");
        }
        ItemResult[] results = new ItemResult[events.size()];
        List<ResolvedChange> valid = new ArrayList<>(events.size());
        List<Integer> positions = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            OnHandChange event = events.get(i);
            try {
                valid.add(ChangeResolver.resolve(
                        environmentId, config, event, inventorySystem, access));
                positions.add(i);
            } catch (InvalidInputException e) {
                results[i] = new ItemResult.Rejected(event.id(), reasonOf(e), e.getMessage());
            }
        }
        if (!valid.isEmpty()) {
            WriteKind kind = inventorySystem == null ? WriteKind.CHANGE : WriteKind.SET;
            List<WriteOutcome> outcomes =
                    kind == WriteKind.CHANGE && valid.size() <= COMBINED_CHANGES_MAX
                            ? combiner.run(environmentId, valid)
                            : store.apply(environmentId, kind, valid, clock.instant());
            requireOneOutcomeEach(outcomes, valid.size());
            for (int k = 0; k < outcomes.size(); k++) {
                results[positions.get(k)] = toResult(outcomes.get(k));
            }
        }
        return List.of(results);
    }

    /**
     * Change events of several requests in one write, as if one request had sent them in order:
     * an event id repeated by a later request is a duplicate or a conflict of the earlier one,
     * as it would be if they ran one after another. Answers per request.
     */
    private List<List<WriteOutcome>> applyTogether(
            EnvironmentId environmentId, List<List<ResolvedChange>> requests) {
        List<ResolvedChange> all = new ArrayList<>();
        requests.forEach(all::addAll);
        List<WriteOutcome> outcomes =
                store.apply(environmentId, WriteKind.CHANGE, all, clock.instant());
        requireOneOutcomeEach(outcomes, all.size());
        List<List<WriteOutcome>> answers = new ArrayList<>(requests.size());
        int from = 0;
        for (List<ResolvedChange> request : requests) {
            answers.add(List.copyOf(outcomes.subList(from, from + request.size())));
            from += request.size();
        }
        return answers;
    }

    /**
     * The store answers every item it was given, in order (OnHandStore's contract), or the
     * answers would land on the wrong items. The store has committed by now; its writes are
     * idempotent by event id, so the client's retry after the 500 gets the stored answers.
     */
    private static void requireOneOutcomeEach(List<WriteOutcome> outcomes, int items) {
        Invariants.check(
                outcomes.size() == items, "%s outcomes to %s items", outcomes.size(), items);
    }

    private static Rejection reasonOf(InvalidInputException e) {
        return e instanceof ReadOnlyException ? Rejection.FORBIDDEN : Rejection.INVALID;
    }

    private static ItemResult toResult(WriteOutcome outcome) {
        return switch (outcome.status()) {
            case APPLIED, DUPLICATE ->
                new ItemResult.Accepted(outcome.eventId().value(), outcome.message());
            case CONFLICT ->
                new ItemResult.Rejected(
                        outcome.eventId().value(), Rejection.CONFLICT, outcome.message());
            case REFUSED ->
                new ItemResult.Rejected(
                        outcome.eventId().value(),
                        Objects.requireNonNull(outcome.reason()),
                        outcome.message());
        };
    }

    public List<ResultRow> query(
            EnvironmentId environmentId, QueryRequest request, int apiVersion) {
        RuntimeConfiguration config = configurations.configuration(environmentId);
        OnHandQuery query = QueryPlanner.plan(config, request, apiVersion);
        return QueryResults.assemble(config, query, store.query(environmentId, query));
    }
}
