package io.ivs.server.onhand;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * Saved queries in {@code console_saved_query} (V30), read and written through its primary key
 * (client, environment, name). The bound on a client's queries is checked by the statement that
 * saves; two saves of new names at the very same moment may both pass it, one query over.
 */
@Repository
class JdbcSavedQueryStore implements SavedQueryStore {
    private final JdbcClient jdbc;

    JdbcSavedQueryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Saved> list(String clientId, String environmentId, int max) {
        return jdbc.sql("select name, query from console_saved_query where client_id = ?"
                        + " and environment_id = ? order by name limit ?")
                .params(clientId, environmentId, max)
                .query((rs, n) -> new Saved(rs.getString(1), rs.getString(2)))
                .list();
    }

    @Override
    public boolean save(String clientId, String environmentId, String name, String query, int max) {
        return jdbc.sql("insert into console_saved_query (client_id, environment_id, name, query)"
                                + " select ?, ?, ?, ? where (select count(*)"
                                + " from console_saved_query where client_id = ?"
                                + " and environment_id = ? and name <> ?) < ?"
                                + " on conflict (client_id, environment_id, name)"
                                + " do update set query = excluded.query, created_at = now()")
                        .params(
                                clientId,
                                environmentId,
                                name,
                                query,
                                clientId,
                                environmentId,
                                name,
                                max)
                        .update()
                == 1;
    }

    @Override
    public void delete(String clientId, String environmentId, String name) {
        jdbc.sql("delete from console_saved_query where client_id = ? and environment_id = ?"
                        + " and name = ?")
                .params(clientId, environmentId, name)
                .update();
    }
}
