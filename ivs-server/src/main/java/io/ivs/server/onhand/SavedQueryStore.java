package io.ivs.server.onhand;

import java.util.List;

/**
 * Index queries that a console user saved by name, per client and environment: the explorer
 * URL's query string, so that opening one runs the same on-hand query again. The caller checks
 * names and lengths; the store keeps the bound on how many a client has.
 */
public interface SavedQueryStore {
    record Saved(String name, String query) {}

    /** The client's saved queries in the environment by name, at most {@code max}. */
    List<Saved> list(String clientId, String environmentId, int max);

    /**
     * Saves or replaces the query named {@code name}; answers false, saving nothing, when the
     * client already has {@code max} other queries in the environment.
     */
    boolean save(String clientId, String environmentId, String name, String query, int max);

    void delete(String clientId, String environmentId, String name);
}
