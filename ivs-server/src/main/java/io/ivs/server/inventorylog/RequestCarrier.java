package io.ivs.server.inventorylog;

import io.ivs.core.event.EventId;
import io.ivs.core.event.RequestContexts;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries a request's inventory-log context to the thread that runs it when the core combines
 * concurrent requests into one transaction (reservations, small change requests), so that each
 * line names the client and the request of its own event, not those of the request that led the
 * transaction. A thread inside a transaction of its own (an adjustment applied as it is posted)
 * is never combined: its writes belong to that transaction.
 */
@Component
public class RequestCarrier implements RequestContexts {
    @Override
    public @Nullable Object capture() {
        return InventoryLogContext.current();
    }

    @Override
    public boolean inCallersTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive();
    }

    @Override
    public Scope open(List<@Nullable Object> contexts, List<List<EventId>> eventIds) {
        if (contexts.size() == 1) {
            // A request alone: every event of it is its own, so no map of events is needed.
            return InventoryLogContext.open((InventoryLogContext) contexts.getFirst(), null)::close;
        }
        InventoryLogContext first = null;
        Map<String, @Nullable InventoryLogContext> byEvent = new HashMap<>();
        for (int i = 0; i < contexts.size(); i++) {
            InventoryLogContext context = (InventoryLogContext) contexts.get(i);
            if (first == null) {
                first = context;
            }
            // An id sent again by a later request is a duplicate of the first: its line, if
            // any, is the first request's.
            for (EventId id : eventIds.get(i)) {
                if (!byEvent.containsKey(id.value())) {
                    byEvent.put(id.value(), context);
                }
            }
        }
        return InventoryLogContext.open(first, byEvent)::close;
    }
}
