package io.ivs.server.kafka;

import io.ivs.server.postgres.Columns;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Table {@code kafka_cursor} of migration V10; leases timed by the database clock. */
@Repository
public class JdbcKafkaCursorStore implements KafkaCursorStore {
    private final JdbcClient jdbc;

    public JdbcKafkaCursorStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void ensure(Collection<String> environmentIds, long cursor) {
        jdbc.sql("insert into kafka_cursor (environment_id, cursor)"
                        + " select e, ? from unnest(?::text[]) e on conflict do nothing")
                .params(cursor, environmentIds.toArray(String[]::new))
                .update();
    }

    @Override
    public List<String> claim(String owner, Duration lease, int max) {
        return Columns.notNull(jdbc.sql("update kafka_cursor set lease_owner = ?,"
                        + " lease_until = now() + make_interval(secs => ?)"
                        + " where environment_id in (select environment_id from kafka_cursor"
                        + " where lease_until is null or lease_until < now()"
                        + " order by environment_id limit ? for update skip locked)"
                        + " returning environment_id")
                .params(owner, lease.toMillis() / 1000.0, max)
                .query(String.class)
                .list());
    }

    @Override
    public List<String> renew(String owner, Duration lease) {
        return Columns.notNull(
                jdbc.sql("update kafka_cursor set lease_until = now() + make_interval(secs => ?)"
                                + " where lease_owner = ? returning environment_id")
                        .params(lease.toMillis() / 1000.0, owner)
                        .query(String.class)
                        .list());
    }

    @Override
    public void release(String owner, String environmentId) {
        jdbc.sql("update kafka_cursor set lease_owner = null, lease_until = null"
                        + " where environment_id = ? and lease_owner = ?")
                .params(environmentId, owner)
                .update();
    }

    @Override
    public OptionalLong cursor(String environmentId) {
        return jdbc.sql("select cursor from kafka_cursor where environment_id = ?")
                .param(environmentId)
                .query(Long.class)
                .optional()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }

    @Override
    public Map<String, Long> cursors(int max) {
        Map<String, Long> cursors = new LinkedHashMap<>();
        jdbc.sql("select environment_id, cursor from kafka_cursor order by environment_id limit ?")
                .param(max)
                .query(rs -> {
                    cursors.put(rs.getString(1), rs.getLong(2));
                });
        return cursors;
    }

    @Override
    public boolean advance(String owner, String environmentId, long expected, long cursor) {
        return jdbc.sql("update kafka_cursor set cursor = ? where environment_id = ?"
                                + " and lease_owner = ? and lease_until > now() and cursor = ?")
                        .params(cursor, environmentId, owner, expected)
                        .update()
                == 1;
    }
}
