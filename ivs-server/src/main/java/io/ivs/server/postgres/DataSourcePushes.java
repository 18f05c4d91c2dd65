package io.ivs.server.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When on-hand writes last reached each data source of an environment ({@code
 * data_source_push}), for the console's Integrations page and the sync status. Noted after the
 * write's transaction has committed, in a statement of its own, and at most once per {@link
 * #RESOLUTION} per data source and instance: a push of every minute costs one short statement,
 * and a busy data source never makes its writers queue for one row. Best effort: a failure here
 * is logged, never answered, because the write it notes has already happened.
 */
@Component
public class DataSourcePushes {
    private static final Logger log = LoggerFactory.getLogger(DataSourcePushes.class);

    /** How stale the noted time may be. */
    public static final Duration RESOLUTION = Duration.ofSeconds(1);

    /** Bounds the instance's memory of what it noted; forgetting only costs a statement. */
    private static final int REMEMBERED_MAX = 10_000;

    private final JdbcTemplate jdbc;
    private final Map<String, Instant> noted = new ConcurrentHashMap<>();

    public DataSourcePushes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Notes that the data sources (lower-case keys) of the environment were written at {@code
     * at}.
     */
    public void record(String environmentId, Collection<String> dataSources, Instant at) {
        List<String> due = dataSources.stream()
                .distinct()
                .sorted()
                .filter(ds -> isDue(environmentId, ds, at))
                .toList();
        if (due.isEmpty()) {
            return;
        }
        try {
            jdbc.update(
                    "insert into data_source_push as p (environment_id, data_source, last_push_at)"
                            + " select ?, d, ? from unnest(?::text[]) as d order by d"
                            + " on conflict (environment_id, data_source) do update"
                            + " set last_push_at = excluded.last_push_at"
                            + " where p.last_push_at < excluded.last_push_at",
                    ps -> {
                        ps.setString(1, environmentId);
                        ps.setTimestamp(2, Timestamp.from(at));
                        ps.setArray(3, ps.getConnection().createArrayOf("text", due.toArray()));
                    });
        } catch (DataAccessException e) {
            log.debug(
                    "could not note the last push to {} of {}: {}",
                    due,
                    environmentId,
                    e.toString());
        }
    }

    private boolean isDue(String environmentId, String dataSource, Instant at) {
        if (noted.size() > REMEMBERED_MAX) {
            noted.clear();
        }
        String key = environmentId + '\u0000' + dataSource;
        Instant last = noted.get(key);
        if (last != null && at.isBefore(last.plus(RESOLUTION))) {
            return false;
        }
        noted.put(key, at);
        return true;
    }

    /** The last push to each data source of the environment, by lower-case key. */
    public Map<String, Instant> lastPushes(String environmentId) {
        Map<String, Instant> pushes = new java.util.HashMap<>();
        jdbc.query(
                "select data_source, last_push_at from data_source_push where environment_id = ?",
                rs -> {
                    pushes.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                },
                environmentId);
        return pushes;
    }
}
