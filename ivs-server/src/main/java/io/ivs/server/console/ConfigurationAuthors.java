package io.ivs.server.console;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * When each configuration version was made and by whom, for the history page: a backward scan
 * of the primary key (environment, version), at most {@code limit} rows.
 */
@Component
class ConfigurationAuthors {
    /** One version: its number, when it became active, and who wrote it (null: unknown). */
    record Entry(int version, Instant createdAt, @Nullable String createdBy) {}

    private final JdbcClient jdbc;

    ConfigurationAuthors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Entry> newestFirst(String environmentId, int limit) {
        return jdbc.sql("select version, created_at, created_by from configuration_version"
                        + " where environment_id = ? order by version desc limit ?")
                .params(environmentId, limit)
                .query((rs, n) ->
                        new Entry(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3)))
                .list();
    }
}
