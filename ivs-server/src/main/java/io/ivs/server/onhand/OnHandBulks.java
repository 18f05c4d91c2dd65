package io.ivs.server.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.WriteAccess;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.BulkRequests;
import io.ivs.server.web.ItemCounters;
import io.ivs.server.web.ItemCounters.Operation;
import io.ivs.server.web.ItemEnvelopes;
import io.ivs.server.web.IvEnvelope;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.function.Consumer;

/**
 * A bulk of change events ({@code …/onhand/bulk}) or set on-hand records ({@code
 * …/setonhand/{dataSource}/bulk}): each item read on its own, the readable ones written
 * together, one envelope per item in order (spec A3, A4). Full syncs send their batches through
 * here too, so that a sync record is exactly a set on-hand record.
 */
@Component
public class OnHandBulks {
    private final EnvironmentService environments;
    private final OnHandService onHand;
    private final ModifiedTimeWindow modifiedTimes;
    private final ItemCounters counters;

    OnHandBulks(
            EnvironmentService environments,
            OnHandService onHand,
            ModifiedTimeWindow modifiedTimes,
            ItemCounters counters) {
        this.environments = environments;
        this.onHand = onHand;
        this.modifiedTimes = modifiedTimes;
        this.counters = counters;
    }

    /**
     * @param inventorySystem the data source of a set on-hand bulk; null for change events
     * @param beforeWrite sees the readable items before they are written
     */
    public List<IvEnvelope> handle(
            String environmentId,
            @Nullable String inventorySystem,
            byte @Nullable [] body,
            WriteAccess access,
            Consumer<List<OnHandChange>> beforeWrite) {
        RuntimeConfiguration config = environments.configuration(environmentId);
        if (inventorySystem != null && config.dataSource(inventorySystem).isEmpty()) {
            throw new InvalidInputException(
                    "inventorySystem", "data source '" + inventorySystem + "' is not configured");
        }
        Operation operation = inventorySystem == null ? Operation.ONHAND : Operation.SET_ONHAND;
        // Set on-hand takes the ERP's batches of up to 1,000 records; change events 512.
        int itemsMax = inventorySystem == null ? Limits.BULK_ITEMS_MAX : Limits.SET_BULK_ITEMS_MAX;
        return BulkRequests.handle(
                body,
                itemsMax,
                (item, path) -> modifiedTimes.check(
                        OnHandRequests.change(item, path, inventorySystem != null), path),
                events -> {
                    beforeWrite.accept(events);
                    return counters.onHand(
                            operation,
                            onHand.write(
                                    EnvironmentId.of(environmentId),
                                    events,
                                    inventorySystem,
                                    access));
                },
                ItemEnvelopes::of,
                (id, message) -> {
                    counters.unreadable(operation);
                    return IvEnvelope.failure(id, 400, message);
                });
    }
}
