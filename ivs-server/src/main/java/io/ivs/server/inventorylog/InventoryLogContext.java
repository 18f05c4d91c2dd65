package io.ivs.server.inventorylog;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * Who is changing inventory on this thread: the API (route), the client and the request id. The
 * stores that commit inventory changes read it and write log lines only while one is open, so
 * that the core's ports stay as they are; a write outside any call (the hold sweeper, for one)
 * logs nothing. While requests run together (a combined transaction, {@link
 * RequestCarrier}), each event's line takes the context of the request that sent the event.
 */
public record InventoryLogContext(String api, String clientId, String requestId) {
    private static final ThreadLocal<@Nullable InventoryLogContext> CURRENT = new ThreadLocal<>();

    /** While requests run together: the context of each of their event ids (null: no line). */
    private static final ThreadLocal<@Nullable Map<String, @Nullable InventoryLogContext>>
            BY_EVENT = new ThreadLocal<>();

    /**
     * The context open on this thread, or null when changes are not to be logged. While requests
     * run together, the first one's that has one: lines of no event of theirs (holds that lapsed
     * in their transaction) are logged with it.
     */
    public static @Nullable InventoryLogContext current() {
        return CURRENT.get();
    }

    /** The context of the line of {@code eventId}, or null when it is not to be logged. */
    public static @Nullable InventoryLogContext of(String eventId) {
        Map<String, @Nullable InventoryLogContext> byEvent = BY_EVENT.get();
        if (byEvent != null && byEvent.containsKey(eventId)) {
            return byEvent.get(eventId);
        }
        return CURRENT.get();
    }

    /** Opens this context on the thread until the returned scope is closed. */
    public Scope open() {
        return open(this, null);
    }

    /**
     * Opens the contexts of requests run together until the returned scope is closed.
     *
     * @param first what {@link #current()} answers meanwhile
     * @param byEvent what {@link #of} answers for these event ids
     */
    static Scope open(
            @Nullable InventoryLogContext first,
            @Nullable Map<String, @Nullable InventoryLogContext> byEvent) {
        InventoryLogContext previous = CURRENT.get();
        Map<String, @Nullable InventoryLogContext> previousByEvent = BY_EVENT.get();
        set(CURRENT, first);
        set(BY_EVENT, byEvent);
        return () -> {
            set(CURRENT, previous);
            set(BY_EVENT, previousByEvent);
        };
    }

    private static <T> void set(ThreadLocal<@Nullable T> local, @Nullable T value) {
        if (value == null) {
            local.remove();
        } else {
            local.set(value);
        }
    }

    /** Closes a context, restoring the one it replaced. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
