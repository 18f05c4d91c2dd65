package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.server.onhand.SavedQueryStore;

import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Explorer queries that console users saved by name, per client and environment. A saved query
 * is the explorer URL's query string, so opening it runs the same query; this class checks what
 * a user sends and the store ({@link SavedQueryStore}) keeps the queries.
 */
@Component
class SavedQueries {
    static final int PER_USER_MAX = 50;
    static final int NAME_LENGTH_MAX = 100;
    static final int QUERY_LENGTH_MAX = 4_000;

    private final SavedQueryStore store;

    SavedQueries(SavedQueryStore store) {
        this.store = store;
    }

    List<SavedQueryStore.Saved> list(String clientId, String environmentId) {
        return store.list(clientId, environmentId, PER_USER_MAX);
    }

    /** Saves or replaces a query by name; refuses a new name past {@link #PER_USER_MAX}. */
    void save(String clientId, String environmentId, String name, String query) {
        String clean = name.strip();
        if (clean.isEmpty() || clean.length() > NAME_LENGTH_MAX) {
            throw new InvalidInputException(
                    "name", "must be 1 to " + NAME_LENGTH_MAX + " characters");
        }
        if (query.isBlank() || query.length() > QUERY_LENGTH_MAX) {
            throw new InvalidInputException(
                    "query", "must be a query of at most " + QUERY_LENGTH_MAX + " characters");
        }
        if (!store.save(clientId, environmentId, clean, query, PER_USER_MAX)) {
            throw new InvalidInputException(
                    "name", "you have " + PER_USER_MAX + " saved queries, the most; delete one");
        }
    }

    void delete(String clientId, String environmentId, String name) {
        store.delete(clientId, environmentId, name);
    }
}
