package io.ivs.core.event;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * What a request's thread knows about the request (who sent it, its request id) and the writes
 * need, carried to the thread that runs it: a {@link Combiner} runs several requests on the
 * thread of one of them. The server's implementation carries the inventory log's context, so
 * that each line names the client and the request of its own event.
 */
public interface RequestContexts {
    /** Carries nothing: for callers whose writes depend on no context. */
    RequestContexts NONE = new RequestContexts() {
        @Override
        public @Nullable Object capture() {
            return null;
        }

        @Override
        public boolean inCallersTransaction() {
            return false;
        }

        @Override
        public Scope open(List<@Nullable Object> contexts, List<List<EventId>> eventIds) {
            return () -> {};
        }
    };

    /** The context of the request on this thread, or null when it has none. */
    @Nullable
    Object capture();

    /**
     * Whether this thread is inside a transaction of its caller. Its writes must then run on
     * this thread, inside that transaction, so a {@link Combiner} runs them alone at once.
     */
    boolean inCallersTransaction();

    /**
     * Opens, on this thread, the contexts of requests run together until the scope is closed:
     * {@code contexts.get(i)} (captured on request i's thread) for the events of
     * {@code eventIds.get(i)}.
     */
    Scope open(List<@Nullable Object> contexts, List<List<EventId>> eventIds);

    /** Closes what {@link #open} opened, restoring what was open before. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
