package io.ivs.core.testing;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.job.JobStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Jobs in a map; ids are numbered rather than random, so that a seeded run replays them. */
public final class InMemoryJobStore implements JobStore {
    private record Entry(String environmentId, Job job) {}

    private final Map<String, Entry> jobs = new LinkedHashMap<>();
    private long started;

    @Override
    public synchronized String start(EnvironmentId environment, String kind) {
        String environmentId = environment.value();
        String id = kind + ":" + new UUID(0, ++started);
        jobs.put(id, new Entry(environmentId, new Job(id, kind, "Running", "")));
        return id;
    }

    @Override
    public synchronized void finish(String jobId, String status, String message) {
        Entry entry = jobs.get(jobId);
        if (entry != null) {
            Job job = entry.job();
            jobs.put(
                    jobId,
                    new Entry(
                            entry.environmentId(), new Job(job.id(), job.kind(), status, message)));
        }
    }

    @Override
    public synchronized Optional<Job> find(EnvironmentId environment, String jobId) {
        String environmentId = environment.value();
        Entry entry = jobs.get(jobId);
        return entry == null || !entry.environmentId().equals(environmentId)
                ? Optional.empty()
                : Optional.of(entry.job());
    }
}
