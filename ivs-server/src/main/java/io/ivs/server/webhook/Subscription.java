package io.ivs.server.webhook;

import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.EventTypes;
import io.ivs.server.feed.StoredChange;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A webhook subscription as stored.
 *
 * @param productIds deliver only changes of these products; empty: every product
 * @param dataSources deliver only changes whose values include one of these data sources
 * @param measures deliver only changes whose values include one of these {@code ds.measure}
 * @param cursor the last feed position this subscription has handled (delivered, filtered out
 *     or dead-lettered)
 * @param eventTypes deliver only entries of these event types ({@link EventTypes}); record
 *     changes only unless the subscription asked for stock alerts
 */
public record Subscription(
        String id,
        String environmentId,
        String url,
        String secret,
        String description,
        List<String> productIds,
        List<String> dataSources,
        List<String> measures,
        String status,
        long cursor,
        Instant createdAt,
        @Nullable Instant lastSuccessAt,
        @Nullable String lastError,
        @Nullable Instant lastErrorAt,
        List<String> eventTypes) {
    public static final String ACTIVE = "active";
    public static final String PAUSED = "paused";

    public Subscription {
        productIds = List.copyOf(productIds);
        dataSources = List.copyOf(dataSources);
        measures = List.copyOf(measures);
        eventTypes = eventTypes.isEmpty()
                ? List.copyOf(EventTypes.DEFAULT)
                : eventTypes.stream().sorted().toList();
    }

    /** A subscription to record changes only, as every subscription was before alerts. */
    public Subscription(
            String id,
            String environmentId,
            String url,
            String secret,
            String description,
            List<String> productIds,
            List<String> dataSources,
            List<String> measures,
            String status,
            long cursor,
            Instant createdAt,
            @Nullable Instant lastSuccessAt,
            @Nullable String lastError,
            @Nullable Instant lastErrorAt) {
        this(
                id,
                environmentId,
                url,
                secret,
                description,
                productIds,
                dataSources,
                measures,
                status,
                cursor,
                createdAt,
                lastSuccessAt,
                lastError,
                lastErrorAt,
                List.copyOf(EventTypes.DEFAULT));
    }

    public boolean active() {
        return status.equals(ACTIVE);
    }

    /**
     * Whether a change goes to this subscription: its event type is one the subscription chose,
     * its product is in the product filter (if any), and its values touch a listed data source
     * or measure (if any are listed; a stock alert passes these, its rule chose the measure). A
     * change
     * "touches" what its values after the change contain: the feed carries a record's whole
     * state, not a difference. A {@code deleted} change has no values and passes the data
     * source and measure filters, so that a receiver learns that a record it holds is gone.
     */
    public boolean matches(ChangeFeed.Change change) {
        if (!eventTypes.contains(EventTypes.of(change))) {
            return false;
        }
        if (!productIds.isEmpty() && !productIds.contains(change.productId())) {
            return false;
        }
        if (dataSources.isEmpty() && measures.isEmpty()) {
            return true;
        }
        if (change.kind().equals(StoredChange.KIND_DELETED)
                || change.kind().equals(StoredChange.KIND_ALERT)) {
            return true;
        }
        Map<String, ? extends Map<String, ?>> values = change.quantities();
        if (values == null) {
            values = change.schedule();
        }
        if (values == null) {
            return false;
        }
        for (String dataSource : dataSources) {
            if (values.containsKey(dataSource)) {
                return true;
            }
        }
        for (String measure : measures) {
            int dot = measure.indexOf('.');
            Map<String, ?> ofSource = values.get(measure.substring(0, dot));
            if (ofSource != null && ofSource.containsKey(measure.substring(dot + 1))) {
                return true;
            }
        }
        return false;
    }
}
