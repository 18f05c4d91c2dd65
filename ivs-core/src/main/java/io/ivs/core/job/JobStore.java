package io.ivs.core.job;

import java.util.Optional;

/** Asynchronous jobs that clients poll (spec §2.6). */
public interface JobStore {
    record Job(String id, String kind, String status, String message) {}

    /** Creates a running job of {@code kind}; answers its id, {@code kind:<uuid>}. */
    String start(String environmentId, String kind);

    void finish(String jobId, String status, String message);

    Optional<Job> find(String environmentId, String jobId);
}
