package io.ivs.server.adjustment;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.ChangeResolver;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.ItemResult;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.ResolvedChange;
import io.ivs.server.adjustment.JdbcAdjustmentStore.NewAdjustment;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.inventorylog.InventoryLogContext;
import io.ivs.server.postgres.TransactionRetry;
import io.ivs.server.web.ItemEnvelopes;
import io.ivs.server.web.IvEnvelope;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Adjustment use cases. Posting keeps each new adjustment and, with immediate sync, applies its
 * on-hand change through the on-hand change path in the same transaction, so a document and its
 * change commit together; a replayed id answers as before and changes nothing. The periodic sync
 * applies the adjustments posted without it. The ERP collects posted adjustments per journal and
 * acknowledges each collection; one it does not acknowledge in time is collected again.
 */
@Service
public class Adjustments {
    /** The API name the periodic sync's log lines carry. */
    static final String SYNC_API = "transaction/adjustment/sync";

    /** Adjustments one collection holds at most (the original's lines per journal). */
    static final int COLLECT_ADJUSTMENTS_MAX = 10_000;

    private final EnvironmentService environments;
    private final OnHandService onHand;
    private final JdbcAdjustmentStore store;
    private final TransactionTemplate tx;
    private final Duration collectionTimeout;

    Adjustments(
            EnvironmentService environments,
            OnHandService onHand,
            JdbcAdjustmentStore store,
            TransactionTemplate tx,
            @Value("${ivs.adjustments.collection-timeout:PT1H}") Duration collectionTimeout) {
        this.environments = environments;
        this.onHand = onHand;
        this.store = store;
        this.tx = tx;
        this.collectionTimeout = collectionTimeout;
    }

    /** Who posted: kept with each adjustment, for the log lines of the periodic sync. */
    public record Poster(String clientId, String requestId) {}

    /** Posts adjustments; answers one envelope per item, in order. */
    List<IvEnvelope> post(
            EnvironmentId environment, List<Adjustment> items, boolean sync, Poster poster) {
        RuntimeConfiguration config = environments.configuration(environment);
        IvEnvelope[] answers = new IvEnvelope[items.size()];
        List<NewAdjustment> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Adjustment item = items.get(i);
            try {
                valid.add(new NewAdjustment(
                        item,
                        resolve(environment, config, item),
                        Fingerprints.of(item.fingerprint())));
                positions.add(i);
            } catch (InvalidInputException e) {
                answers[i] = IvEnvelope.failure(item.id(), 400, e.getMessage());
            }
        }
        if (!valid.isEmpty()) {
            List<IvEnvelope> stored = TransactionRetry.run(
                    () -> tx.execute(status -> store(environment.value(), valid, sync, poster)));
            for (int k = 0; k < positions.size(); k++) {
                answers[positions.get(k)] = stored.get(k);
            }
        }
        return List.of(answers);
    }

    private static ResolvedChange resolve(
            EnvironmentId environment, RuntimeConfiguration config, Adjustment item) {
        if (config.dataSource(item.quantityDataSource()).isEmpty()) {
            throw new InvalidInputException(
                    "quantityDataSource",
                    "data source '" + item.quantityDataSource() + "' is not configured");
        }
        if (!config.isPhysical(new MeasureRef(item.quantityDataSource(), item.physicalMeasure()))) {
            throw new InvalidInputException(
                    "physicalMeasure",
                    "'" + item.physicalMeasure() + "' is not a physical measure of data source '"
                            + item.quantityDataSource() + "'");
        }
        return ChangeResolver.resolve(environment, config, item.change(), null);
    }

    /** Inside the posting transaction: keeps the new adjustments and applies them if asked. */
    private List<IvEnvelope> store(
            String env, List<NewAdjustment> valid, boolean sync, Poster poster) {
        Set<String> inserted = store.insert(env, valid, poster.clientId(), poster.requestId());
        Map<String, String> fingerprints = store.fingerprints(
                env, valid.stream().map(n -> n.adjustment().id()).toList());
        Map<String, IvEnvelope> applied = sync ? apply(env, valid, inserted) : Map.of();
        List<IvEnvelope> answers = new ArrayList<>(valid.size());
        for (NewAdjustment n : valid) {
            String id = n.adjustment().id();
            IvEnvelope failure = applied.get(id);
            if (failure != null) {
                answers.add(failure);
            } else if (!n.fingerprint().equals(fingerprints.get(id))) {
                answers.add(IvEnvelope.failure(
                        id, 409, "id: adjustment '" + id + "' exists with different content"));
            } else {
                answers.add(IvEnvelope.success(id, ""));
            }
        }
        return answers;
    }

    /**
     * Applies the adjustments this request inserted, once each; answers the failures by id. A
     * failed one is not kept, so that a corrected retry can use its id.
     */
    private Map<String, IvEnvelope> apply(
            String env, List<NewAdjustment> valid, Set<String> inserted) {
        Map<String, Adjustment> fresh = new LinkedHashMap<>();
        for (NewAdjustment n : valid) {
            if (inserted.contains(n.adjustment().id())) {
                fresh.putIfAbsent(n.adjustment().id(), n.adjustment());
            }
        }
        if (fresh.isEmpty()) {
            return Map.of();
        }
        List<Adjustment> adjustments = List.copyOf(fresh.values());
        List<ItemResult> results = onHand.write(
                EnvironmentId.of(env),
                adjustments.stream().map(Adjustment::change).toList(),
                null);
        Map<String, IvEnvelope> failures = new HashMap<>();
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            String id = adjustments.get(i).id();
            if (results.get(i) instanceof ItemResult.Rejected) {
                IvEnvelope answer = ItemEnvelopes.of(results.get(i));
                failures.put(id, IvEnvelope.failure(id, answer.statusCode(), answer.message()));
            } else {
                posted.add(id);
            }
        }
        if (!failures.isEmpty()) {
            store.delete(env, List.copyOf(failures.keySet()));
        }
        store.markPosted(env, posted);
        return failures;
    }

    /**
     * Applies up to {@code limit} of an environment's adjustments posted without immediate sync,
     * each under the log context of the call that posted it; answers how many it applied.
     */
    int syncCreated(EnvironmentId environment, int limit) {
        Integer synced = TransactionRetry.run(() -> tx.execute(status -> {
            List<StoredAdjustment> waiting = store.lockCreated(environment.value(), limit);
            Map<Poster, List<StoredAdjustment>> byPoster = new LinkedHashMap<>();
            waiting.forEach(s -> byPoster.computeIfAbsent(
                            new Poster(s.clientId(), s.requestId()), p -> new ArrayList<>())
                    .add(s));
            int applied = 0;
            for (Map.Entry<Poster, List<StoredAdjustment>> entry : byPoster.entrySet()) {
                applied += syncOnePoster(environment, entry.getKey(), entry.getValue());
            }
            return applied;
        }));
        return synced == null ? 0 : synced;
    }

    private int syncOnePoster(
            EnvironmentId environment, Poster poster, List<StoredAdjustment> waiting) {
        RuntimeConfiguration config = environments.configuration(environment);
        List<Adjustment> valid = new ArrayList<>();
        for (StoredAdjustment s : waiting) {
            try {
                resolve(environment, config, s.adjustment());
                valid.add(s.adjustment());
            } catch (InvalidInputException e) {
                store.markFailed(environment.value(), s.adjustment().id(), e.getMessage());
            }
        }
        if (valid.isEmpty()) {
            return 0;
        }
        InventoryLogContext context =
                new InventoryLogContext(SYNC_API, poster.clientId(), poster.requestId());
        List<ItemResult> results;
        try (InventoryLogContext.Scope scope = context.open()) {
            results = onHand.write(
                    environment, valid.stream().map(Adjustment::change).toList(), null);
        }
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof ItemResult.Rejected rejected) {
                store.markFailed(environment.value(), valid.get(i).id(), rejected.message());
            } else {
                posted.add(valid.get(i).id());
            }
        }
        store.markPosted(environment.value(), posted);
        return posted.size();
    }

    /** A collection: its id and its adjustments (empty when nothing was collectable). */
    record Collection(String collectionId, List<StoredAdjustment> adjustments) {}

    Collection collect(EnvironmentId environment, int limit) {
        String collectionId = UUID.randomUUID().toString();
        List<StoredAdjustment> collected = TransactionRetry.run(() -> store.collect(
                environment.value(), collectionId, collectionTimeout.toSeconds(), limit));
        return new Collection(collectionId, collected);
    }

    /** Acknowledges a collection; answers how many of its adjustments are acknowledged. */
    int acknowledge(EnvironmentId environment, String collectionId) {
        store.acknowledge(environment.value(), collectionId);
        return store.acknowledged(environment.value(), collectionId);
    }

    List<StoredAdjustment> list(EnvironmentId environment, AdjustmentFilter filter, int limit) {
        return store.list(environment.value(), filter, limit);
    }

    /** Posts one adjustment given as JSON (the console's form); answers its envelope. */
    public IvEnvelope postOne(
            EnvironmentId environment, JsonNode item, boolean sync, Poster poster) {
        Adjustment adjustment;
        try {
            adjustment = AdjustmentRequests.adjustment(item, "");
        } catch (InvalidInputException e) {
            return IvEnvelope.failure(null, 400, e.getMessage());
        }
        return post(environment, List.of(adjustment), sync, poster).get(0);
    }

    /**
     * The newest adjustments as the API lists them, filtered (null filters nothing); the status
     * is matched case-insensitively and must be a known one.
     */
    public List<Map<String, @Nullable Object>> listed(
            EnvironmentId environment,
            @Nullable String status,
            @Nullable String productId,
            @Nullable LocalDate from,
            @Nullable LocalDate to,
            int limit) {
        AdjustmentFilter filter = new AdjustmentFilter(
                StoredAdjustment.parseStatus(status),
                null,
                productId,
                from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                null);
        return list(environment, filter, limit).stream()
                .map(AdjustmentJson::adjustment)
                .toList();
    }

    /** The statuses an adjustment can have, in the order of its way. */
    public static List<String> statuses() {
        return StoredAdjustment.STATUSES;
    }

    List<String> environmentsWithCreated(int limit) {
        return store.environmentsWithCreated(limit);
    }
}
