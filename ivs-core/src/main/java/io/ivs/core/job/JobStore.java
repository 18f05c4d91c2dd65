package io.ivs.core.job;

import io.ivs.core.environment.EnvironmentId;

import java.util.Optional;

/** Asynchronous jobs that clients poll (spec §2.6). */
public interface JobStore {
    record Job(String id, String kind, String status, String message) {}

    /** Creates a running job of {@code kind}; answers its id, {@code kind:<uuid>}. */
    String start(EnvironmentId environmentId, String kind);

    void finish(String jobId, String status, String message);

    Optional<Job> find(EnvironmentId environmentId, String jobId);
}
