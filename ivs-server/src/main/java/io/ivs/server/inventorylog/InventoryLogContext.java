package io.ivs.server.inventorylog;

import org.jspecify.annotations.Nullable;

/**
 * Who is changing inventory on this thread: the API (route), the client and the request id. The
 * stores that commit inventory changes read it and write log lines only while one is open, so
 * that the core's ports stay as they are; a write outside any call (the hold sweeper, for one)
 * logs nothing.
 */
public record InventoryLogContext(String api, String clientId, String requestId) {
    private static final ThreadLocal<@Nullable InventoryLogContext> CURRENT = new ThreadLocal<>();

    /** The context open on this thread, or null when changes are not to be logged. */
    public static @Nullable InventoryLogContext current() {
        return CURRENT.get();
    }

    /** Opens this context on the thread until the returned scope is closed. */
    public Scope open() {
        InventoryLogContext previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Closes a context, restoring the one it replaced. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
