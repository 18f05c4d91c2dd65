package io.ivs.server.web;

import io.ivs.core.Rejection;
import io.ivs.core.onhand.ItemResult;
import io.ivs.core.reservation.ReservationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;

/**
 * Counts the items of on-hand writes and reservations by outcome, as counter
 * {@code ivs.api.items} with tags {@code operation}, {@code outcome} ({@code accepted} or
 * {@code refused}) and {@code reason} (the rejection code, {@code none} when accepted): the
 * ingest, reservation and refusal rates of docs/operations.md. An item counts once it is
 * answered, single or in a bulk request; an item of a bulk request that cannot be read counts as
 * refused {@code invalid}, as the rules would refuse it. A request refused as a whole (not JSON,
 * unknown environment, too many items) is no item and shows in {@code http.server.requests}
 * only. Every series is registered at start, so that a rate reads 0 rather than nothing before
 * the first item.
 */
@Component
public class ItemCounters {
    /** What an item asked for. */
    public enum Operation {
        ONHAND,
        SET_ONHAND,
        RESERVE,
        UNRESERVE;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace("_", "");
        }
    }

    static final String NAME = "ivs.api.items";

    /** By operation ordinal. */
    private final Counter[] accepted = new Counter[Operation.values().length];
    /** By operation ordinal, then rejection ordinal. */
    private final Counter[][] refused =
            new Counter[Operation.values().length][Rejection.values().length];

    ItemCounters(MeterRegistry meters) {
        for (Operation operation : Operation.values()) {
            accepted[operation.ordinal()] = counter(meters, operation, "accepted", "none");
            for (Rejection reason : Rejection.values()) {
                refused[operation.ordinal()][reason.ordinal()] = counter(
                        meters, operation, "refused", reason.name().toLowerCase(Locale.ROOT));
            }
        }
    }

    private static Counter counter(
            MeterRegistry meters, Operation operation, String outcome, String reason) {
        return Counter.builder(NAME)
                .description("Items of on-hand writes and reservations, by outcome")
                .tag("operation", operation.tag())
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(meters);
    }

    /** Counts on-hand results and answers them unchanged. */
    public List<ItemResult> onHand(Operation operation, List<ItemResult> results) {
        for (ItemResult result : results) {
            count(operation, result instanceof ItemResult.Rejected r ? r.reason() : null);
        }
        return results;
    }

    /** Counts reservation results and answers them unchanged. */
    public List<ReservationResult> reservations(
            Operation operation, List<ReservationResult> results) {
        for (ReservationResult result : results) {
            count(operation, result instanceof ReservationResult.Rejected r ? r.reason() : null);
        }
        return results;
    }

    /** Counts an item of a bulk request that could not be read. */
    public void unreadable(Operation operation) {
        count(operation, Rejection.INVALID);
    }

    private void count(Operation operation, @Nullable Rejection reason) {
        (reason == null
                        ? accepted[operation.ordinal()]
                        : refused[operation.ordinal()][reason.ordinal()])
                .increment();
    }
}
