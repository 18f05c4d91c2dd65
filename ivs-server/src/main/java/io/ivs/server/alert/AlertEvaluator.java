package io.ivs.server.alert;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResultRow;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.Alert;
import io.ivs.server.feed.BackgroundLoop;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeFeedStore;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.feed.EventTypes;
import io.ivs.server.feed.FeedConsumers;
import io.ivs.server.feed.FeedCursor;
import io.ivs.server.web.UnknownEnvironmentException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Follows the change feed of every environment with alert rules and records each crossing once.
 * For a page of changes it evaluates every rule whose organization (and product) changed, at the
 * rule's level, through the on-hand query (so calculated measures mean what a query answers),
 * compares with the state the rule last saw, and writes the alerts, the new states and the moved
 * cursor in one transaction: a page is evaluated exactly once, by one instance (the others skip
 * the locked cursor row of {@code feed_cursor}), and a crash before the commit leaves nothing.
 *
 * <p>Values are read when the page is evaluated, not as of each change: a dip and its recovery
 * that both commit between two evaluations (about {@code ivs.alerts.poll-interval} apart) cross
 * nothing. Alerts themselves are not changes, so the evaluator never reads them.
 */
@Component
public class AlertEvaluator implements SmartLifecycle, FeedConsumers {
    static final int PAGE = ChangeFeed.LIMIT_MAX;
    /** Query answers use API version 2, which takes several organizations and larger filters. */
    private static final int API_VERSION = 2;

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);

    private final ChangeFeed feed;
    private final ChangeFeedStore feedStore;
    private final JdbcAlertStore store;
    private final OnHandService onhand;
    private final EnvironmentService environments;
    private final TransactionTemplate tx;
    private final BackgroundLoop loop;

    public AlertEvaluator(
            ChangeFeed feed,
            ChangeFeedStore feedStore,
            ChangeSignal signal,
            JdbcAlertStore store,
            OnHandService onhand,
            EnvironmentService environments,
            TransactionTemplate tx,
            @Value("${ivs.alerts.poll-interval:PT0.2S}") Duration poll) {
        this.feed = feed;
        this.feedStore = feedStore;
        this.store = store;
        this.onhand = onhand;
        this.environments = environments;
        this.tx = tx;
        this.loop = new BackgroundLoop("ivs-alert-evaluator", log, Duration.ofSeconds(1), () -> {
            evaluateNow();
            signal.await(poll);
        });
    }

    /** One round over every environment with rules; answers the alerts recorded. */
    public int evaluateNow() {
        int recorded = 0;
        for (String environmentId : store.environmentsWithRules()) {
            try {
                recorded += follow(environmentId);
            } catch (UnknownEnvironmentException deletedMeanwhile) {
                // Nothing to follow.
            }
        }
        return recorded;
    }

    private int follow(String environmentId) {
        int recorded = 0;
        while (true) {
            Integer done = tx.execute(status -> page(environmentId));
            if (done == null || done < 0) {
                return recorded;
            }
            recorded += done;
        }
    }

    /**
     * One page in one transaction: answers the alerts recorded, or -1 when there was nothing to
     * read or another instance holds the cursor.
     */
    private int page(String environmentId) {
        Optional<Long> cursor = store.lockCursor(environmentId);
        if (cursor.isEmpty()) {
            return -1;
        }
        ChangeFeed.Page page;
        try {
            page = feed.read(environmentId, cursor.get(), PAGE, Duration.ZERO);
        } catch (ChangeFeed.CursorExpiredException e) {
            // Crossings in what retention removed can no longer be seen; go on from the end.
            log.warn(
                    "alerts of {}: {}; continuing at the feed's end",
                    environmentId,
                    e.getMessage());
            store.moveCursor(environmentId, feedStore.head());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (page.next() == cursor.get()) {
            return -1;
        }
        List<JdbcAlertStore.NewAlert> alerts = evaluate(environmentId, changed(page));
        store.record(environmentId, alerts);
        store.moveCursor(environmentId, page.next());
        return alerts.size();
    }

    /** The products the page changed, by organization. */
    private static Map<String, Set<String>> changed(ChangeFeed.Page page) {
        Map<String, Set<String>> products = new LinkedHashMap<>();
        for (ChangeFeed.Change change : page.changes()) {
            products.computeIfAbsent(change.organizationId(), org -> new LinkedHashSet<>())
                    .add(change.productId());
        }
        return products;
    }

    private List<JdbcAlertStore.NewAlert> evaluate(
            String environmentId, Map<String, Set<String>> changed) {
        List<JdbcAlertStore.NewAlert> alerts = new ArrayList<>();
        List<JdbcAlertStore.NewState> states = new ArrayList<>();
        RuntimeConfiguration config = environments.configuration(environmentId);
        for (AlertRule rule : store.rules(environmentId)) {
            List<String> products = changed.getOrDefault(rule.organizationId(), Set.of()).stream()
                    .filter(product -> rule.appliesTo(rule.organizationId(), product))
                    .toList();
            if (products.isEmpty()) {
                continue;
            }
            // A configuration changed since the rule was stored may have dropped its measure or
            // dimension: reading 0 then would report every product out of stock, and failing
            // the page would stop every other rule. Such a rule is skipped until it is fixed.
            if (!config.isPhysical(rule.measure())
                    && config.calculated(rule.measure()).isEmpty()) {
                log.warn(
                        "alert rule {} of {}: measure {} is no longer in the configuration;"
                                + " skipped",
                        rule.name(),
                        environmentId,
                        rule.measure());
                continue;
            }
            try {
                evaluate(environmentId, rule, products, alerts, states);
            } catch (InvalidInputException e) {
                log.warn(
                        "alert rule {} of {}: {}; skipped",
                        rule.name(),
                        environmentId,
                        e.getMessage());
            }
        }
        store.saveStates(environmentId, states);
        return alerts;
    }

    private void evaluate(
            String environmentId,
            AlertRule rule,
            List<String> products,
            List<JdbcAlertStore.NewAlert> alerts,
            List<JdbcAlertStore.NewState> states) {
        EnvironmentId environment = EnvironmentId.of(environmentId);
        Map<String, BigDecimal> values = values(environment, rule, products);
        Map<String, UUID> keys = new LinkedHashMap<>();
        for (String product : products) {
            keys.put(product, RecordKey.productKey(environment, rule.organizationId(), product));
        }
        Map<UUID, AlertState> seen =
                store.states(environmentId, rule.name(), List.copyOf(keys.values()));
        for (Map.Entry<String, UUID> product : keys.entrySet()) {
            AlertState before = seen.get(product.getValue());
            BigDecimal value = values.getOrDefault(product.getKey(), BigDecimal.ZERO);
            AlertState.Step step = AlertState.next(before, value, rule);
            if (before != null && before.equals(step.state())) {
                continue;
            }
            states.add(new JdbcAlertStore.NewState(
                    rule.name(),
                    product.getValue(),
                    rule.organizationId(),
                    product.getKey(),
                    step.state()));
            for (String type : step.alerts()) {
                alerts.add(new JdbcAlertStore.NewAlert(
                        product.getValue(),
                        product.getKey(),
                        rule,
                        new Alert(
                                type,
                                rule.name(),
                                rule.measure().qualified(),
                                levelCrossed(type, rule),
                                value,
                                before == null ? null : before.value())));
            }
        }
    }

    /** The level an alert crossed: 0 for out and back, the rule's threshold otherwise. */
    private static BigDecimal levelCrossed(String type, AlertRule rule) {
        return type.equals(EventTypes.STOCK_OUT) || type.equals(EventTypes.STOCK_BACK)
                ? BigDecimal.ZERO
                : rule.threshold();
    }

    /** The rule's measure at its level for each product; a product without records is absent. */
    private Map<String, BigDecimal> values(
            EnvironmentId environment, AlertRule rule, List<String> products) {
        Map<String, BigDecimal> values = new HashMap<>();
        for (ResultRow row : onhand.query(environment, request(rule, products), API_VERSION)) {
            values.merge(row.productId(), measure(row.quantities(), rule), BigDecimal::add);
        }
        return values;
    }

    private static BigDecimal measure(Quantities quantities, AlertRule rule) {
        for (Quantities.Entry entry : quantities) {
            if (entry.dataSource().equalsIgnoreCase(rule.measure().dataSource())
                    && entry.measure().equalsIgnoreCase(rule.measure().measure())) {
                return entry.quantity();
            }
        }
        return BigDecimal.ZERO;
    }

    /** The index query that sums the rule's level for the given products, negatives kept. */
    static QueryRequest request(AlertRule rule, List<String> products) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        filters.put("organizationId", List.of(rule.organizationId()));
        filters.put("productId", products);
        rule.dimensions().forEach((name, value) -> filters.put(name, List.of(value)));
        return new QueryRequest(null, filters, List.of(), true, null, List.of());
    }

    @Override
    public List<FeedCursor> cursors(int max) {
        return feed.cursors(JdbcAlertStore.CONSUMER, max);
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
