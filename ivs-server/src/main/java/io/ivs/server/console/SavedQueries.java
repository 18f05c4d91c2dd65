package io.ivs.server.console;

import io.ivs.core.InvalidInputException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Explorer queries that console users saved by name, per client and environment. A saved query
 * is the explorer URL's query string, so opening it runs the same query; reads go through the
 * primary key (client, environment) and are bounded.
 */
@Component
class SavedQueries {
    static final int PER_USER_MAX = 50;
    static final int NAME_LENGTH_MAX = 100;
    static final int QUERY_LENGTH_MAX = 4_000;

    record Saved(String name, String query) {}

    private final JdbcClient jdbc;

    SavedQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Saved> list(String clientId, String environmentId) {
        return jdbc.sql("select name, query from console_saved_query where client_id = ?"
                        + " and environment_id = ? order by name limit " + PER_USER_MAX)
                .params(clientId, environmentId)
                .query((rs, n) -> new Saved(rs.getString(1), rs.getString(2)))
                .list();
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
        int count = jdbc.sql("select count(*) from console_saved_query where client_id = ?"
                        + " and environment_id = ? and name <> ?")
                .params(clientId, environmentId, clean)
                .query(Integer.class)
                .single();
        if (count >= PER_USER_MAX) {
            throw new InvalidInputException(
                    "name", "you have " + PER_USER_MAX + " saved queries, the most; delete one");
        }
        jdbc.sql("insert into console_saved_query (client_id, environment_id, name, query)"
                        + " values (?, ?, ?, ?) on conflict (client_id, environment_id, name)"
                        + " do update set query = excluded.query, created_at = now()")
                .params(clientId, environmentId, clean, query)
                .update();
    }

    void delete(String clientId, String environmentId, String name) {
        jdbc.sql("delete from console_saved_query where client_id = ? and environment_id = ?"
                        + " and name = ?")
                .params(clientId, environmentId, name)
                .update();
    }
}
