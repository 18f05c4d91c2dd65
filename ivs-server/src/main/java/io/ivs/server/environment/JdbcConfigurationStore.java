package io.ivs.server.environment;

import io.ivs.server.postgres.Columns;
import io.ivs.server.postgres.ConfigurationChangeListener;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

/**
 * Configuration versions in PostgreSQL; the highest version of an environment is active. Every
 * transaction that adds a version notifies {@link ConfigurationChangeListener#CHANNEL}, so every
 * instance hears of it.
 */
@Repository
public class JdbcConfigurationStore implements ConfigurationStore {
    private final JdbcClient jdbc;
    private final ConfigurationChangeListener changes;

    public JdbcConfigurationStore(JdbcClient jdbc, ConfigurationChangeListener changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    @Override
    public long changeStamp() {
        return changes.stamp();
    }

    private void notifyChange(String environmentId) {
        jdbc.sql("select pg_notify(?, ?)")
                .params(ConfigurationChangeListener.CHANNEL, environmentId)
                .query()
                .singleRow();
    }

    @Override
    @Transactional
    public boolean createEnvironment(String environmentId, String document) {
        int created = jdbc.sql("insert into environment (id) values (?) on conflict do nothing")
                .param(environmentId)
                .update();
        if (created == 0) {
            return false;
        }
        jdbc.sql("insert into configuration_version (environment_id, version, document,"
                        + " created_by) values (?, 1, ?::json, nullif(?, ''))")
                .params(environmentId, document, caller())
                .update();
        notifyChange(environmentId);
        return true;
    }

    @Override
    public List<String> environments() {
        return Columns.notNull(jdbc.sql("select id from environment order by id")
                .query(String.class)
                .list());
    }

    @Override
    public Optional<Integer> activeVersion(String environmentId) {
        return jdbc.sql("select max(version) from configuration_version where environment_id = ?")
                .param(environmentId)
                .query(Integer.class)
                .optional();
    }

    @Override
    public Optional<Version> active(String environmentId) {
        return jdbc.sql("select version, document::text from configuration_version"
                        + " where environment_id = ? order by version desc limit 1")
                .param(environmentId)
                .query((rs, n) -> new Version(rs.getInt(1), rs.getString(2)))
                .optional();
    }

    @Override
    @Transactional
    public int save(String environmentId, int expectedVersion, String document) {
        // Lock the environment row so two concurrent updates serialise on it.
        jdbc.sql("select id from environment where id = ? for update")
                .param(environmentId)
                .query()
                .singleRow();
        int current = activeVersion(environmentId).orElse(0);
        if (current != expectedVersion) {
            throw new ConcurrencyFailureException("the configuration of '" + environmentId
                    + "' changed concurrently (now version " + current + "); retry");
        }
        jdbc.sql("insert into configuration_version (environment_id, version, document,"
                        + " created_by) values (?, ?, ?::json, nullif(?, ''))")
                .params(environmentId, current + 1, document, caller())
                .update();
        notifyChange(environmentId);
        return current + 1;
    }

    /**
     * Who is writing: the name of the request's authentication (the API client, or the client
     * signed in to the console); empty, stored as null, when the write has no caller (start-up,
     * a direct call).
     */
    private static String caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated()
                ? ""
                : authentication.getName();
    }

    /** A backward scan of the primary key (environment, version), at most {@code limit} rows. */
    @Override
    public List<Made> made(String environmentId, int limit) {
        return jdbc.sql("select version, created_at, created_by from configuration_version"
                        + " where environment_id = ? order by version desc limit ?")
                .params(environmentId, limit)
                .query((rs, n) ->
                        new Made(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3)))
                .list();
    }

    @Override
    public List<Version> history(String environmentId, int limit) {
        return jdbc.sql("select version, document::text from configuration_version"
                        + " where environment_id = ? order by version desc limit ?")
                .params(environmentId, limit)
                .query((rs, n) -> new Version(rs.getInt(1), rs.getString(2)))
                .list();
    }
}
