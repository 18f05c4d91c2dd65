package io.ivs.server.reservation;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.job.JobStore;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;
import java.util.UUID;

/** Jobs in PostgreSQL, so that any instance can answer a progress poll. */
@Repository
public class JdbcJobStore implements JobStore {
    private final JdbcClient jdbc;

    public JdbcJobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String start(EnvironmentId environment, String kind) {
        String environmentId = environment.value();
        String id = kind + ":" + UUID.randomUUID();
        jdbc.sql("insert into job (id, environment_id, kind, status) values (?, ?, ?, 'Running')")
                .params(id, environmentId, kind)
                .update();
        return id;
    }

    @Override
    public void finish(String jobId, String status, String message) {
        jdbc.sql("update job set status = ?, message = ?, finished_at = now() where id = ?")
                .params(status, message, jobId)
                .update();
    }

    @Override
    public Optional<Job> find(EnvironmentId environment, String jobId) {
        String environmentId = environment.value();
        return jdbc.sql("select id, kind, status, message from job"
                        + " where environment_id = ? and id = ?")
                .params(environmentId, jobId)
                .query((rs, n) ->
                        new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .optional();
    }
}
