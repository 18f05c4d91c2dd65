package io.ivs.server.environment;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Environments and their versioned configuration documents (JSON text, kept verbatim). */
public interface ConfigurationStore {
    record Version(int version, String document) {}

    /**
     * When a version was made and by whom (the caller's name; null for versions made without a
     * caller or before authors were recorded).
     */
    record Made(int version, Instant createdAt, @Nullable String createdBy) {}

    /** The newest {@code limit} versions' times and authors, newest first. */
    List<Made> made(String environmentId, int limit);

    /** Creates the environment with its first configuration; false when it already exists. */
    boolean createEnvironment(String environmentId, String document);

    List<String> environments();

    Optional<Integer> activeVersion(String environmentId);

    Optional<Version> active(String environmentId);

    /** Stores the next version; fails when the active version is no longer {@code expected}. */
    int save(String environmentId, int expectedVersion, String document);

    List<Version> history(String environmentId, int limit);

    /**
     * A value that changes whenever any instance may have changed a configuration, and is
     * negative while such changes cannot be heard; what was read from the store while it had one
     * value may be reused while it keeps that value.
     */
    long changeStamp();
}
