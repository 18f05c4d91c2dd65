package io.ivs.server.environment;

import io.ivs.core.InvalidInputException;
import io.ivs.core.allocation.AllocationStore;
import io.ivs.core.config.ConfigurationValidator;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.ConfigurationChange;
import io.ivs.core.environment.Configurations;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandStore;
import io.ivs.server.postgres.ChangeStamp;
import io.ivs.server.web.ConfigurationRejectedException;
import io.ivs.server.web.Json;
import io.ivs.server.web.UnknownEnvironmentException;

import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Environments and their runtime configuration (DESIGN D10). Parsed configurations are cached per
 * environment. A cached configuration is used without a database round trip only while the
 * store's {@link ConfigurationStore#changeStamp() change stamp}, read before the configuration
 * was, is unchanged: every instance's updates change it (PostgreSQL notifications), and this
 * instance's own updates also change the local stamp as soon as they commit (DESIGN D4). Without
 * a stamp the active version number is read from PostgreSQL on every request.
 */
@Service
public class EnvironmentService implements Configurations {
    private static final String DEFAULT_DOCUMENT = "/ivs/default-configuration.json";

    private final ConfigurationStore store;
    private final OnHandStore onHand;
    private final AllocationStore allocations;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong localChanges = new AtomicLong();

    /** A parsed configuration and the stamps that were current before it was read. */
    private record Cached(ChangeStamp stamp, int version, RuntimeConfiguration configuration) {}

    public EnvironmentService(
            ConfigurationStore store, OnHandStore onHand, AllocationStore allocations) {
        this.store = store;
        this.onHand = onHand;
        this.allocations = allocations;
    }

    public static String requireEnvironmentId(String environmentId) {
        return EnvironmentId.of(environmentId).value();
    }

    /** The active configuration of an existing environment (the core's port). */
    @Override
    public RuntimeConfiguration configuration(EnvironmentId environmentId) {
        return configuration(environmentId.value());
    }

    /** The active configuration of an existing environment, by the id as a path holds it. */
    public RuntimeConfiguration configuration(String environmentId) {
        // Read the stamps first: a change committed from here on makes this entry stale.
        ChangeStamp now = new ChangeStamp(store.changeStamp(), localChanges.get());
        Cached cached = cache.get(environmentId);
        if (cached != null && cached.stamp().stillValidAt(now)) {
            return cached.configuration();
        }
        int version = store.activeVersion(environmentId)
                .orElseThrow(() -> new UnknownEnvironmentException(environmentId));
        if (cached != null && cached.version() == version) {
            cache.put(environmentId, new Cached(now, version, cached.configuration()));
            return cached.configuration();
        }
        ConfigurationStore.Version active = store.active(environmentId)
                .orElseThrow(() -> new UnknownEnvironmentException(environmentId));
        RuntimeConfiguration parsed = ConfigurationDocuments.parse(
                Json.parse(active.document().getBytes(StandardCharsets.UTF_8)));
        cache.put(environmentId, new Cached(now, active.version(), parsed));
        return parsed;
    }

    /**
     * Answers 404 for an unknown environment before a request's body is read, from the cached
     * configuration (no database round trip while it is current).
     */
    public EnvironmentId requireKnown(String environmentId) {
        configuration(environmentId);
        return EnvironmentId.of(environmentId);
    }

    public String document(String environmentId) {
        return store.active(environmentId)
                .orElseThrow(() -> new UnknownEnvironmentException(environmentId))
                .document();
    }

    public List<ConfigurationStore.Version> history(String environmentId, int limit) {
        requireExisting(environmentId);
        return store.history(environmentId, limit);
    }

    /** When each of the newest {@code limit} versions was made and by whom, newest first. */
    public List<ConfigurationStore.Made> made(String environmentId, int limit) {
        requireExisting(environmentId);
        return store.made(environmentId, limit);
    }

    public void requireExisting(String environmentId) {
        if (store.activeVersion(environmentId).isEmpty()) {
            throw new UnknownEnvironmentException(environmentId);
        }
    }

    public List<String> environments() {
        return store.environments();
    }

    /** Creates the environment with the newest default configuration; false if it exists. */
    public boolean create(String environmentId) {
        requireEnvironmentId(environmentId);
        ObjectNode document = (ObjectNode) Json.parse(defaultDocument());
        document.put("environmentId", environmentId);
        boolean created =
                store.createEnvironment(environmentId, Json.mapper().writeValueAsString(document));
        if (created) {
            localChanges.incrementAndGet();
        }
        return created;
    }

    /**
     * Replaces the configuration after validating it as a whole: only a complete configuration
     * (every {@link ConfigurationDocuments#REQUIRED_SECTIONS required section} and something to
     * write) becomes active. The partition rule can change only while the
     * environment holds no data (spec §3.7).
     *
     * @return the new version
     */
    public int hardUpdate(String environmentId, byte[] body) {
        requireEnvironmentId(environmentId);
        ObjectNode document = (ObjectNode) Json.object(Json.parse(body), "configuration");
        RuntimeConfiguration next = ConfigurationDocuments.parse(document);
        ConfigurationDocuments.checkAvailableToAllocateCalculation(document);
        requireSameEnvironment(environmentId, document);
        List<String> problems = ConfigurationDocuments.missingSections(document);
        if (problems.isEmpty()) {
            problems = new ArrayList<>(ConfigurationValidator.validate(next));
            problems.addAll(ConfigurationValidator.servable(next));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationRejectedException(400, problems);
        }
        if (store.createEnvironment(
                environmentId, ConfigurationDocuments.stored(document, environmentId, 1))) {
            localChanges.incrementAndGet();
            return 1;
        }
        RuntimeConfiguration current = configuration(environmentId);
        int version = store.activeVersion(environmentId).orElse(0);
        requireSafeChange(environmentId, current, next);
        int saved = store.save(
                environmentId,
                version,
                ConfigurationDocuments.stored(document, environmentId, version + 1));
        // Committed: entries read before now must not be served on this instance any more.
        localChanges.incrementAndGet();
        return saved;
    }

    /** A document naming another environment was exported elsewhere; it is not applied here. */
    private static void requireSameEnvironment(String environmentId, JsonNode document) {
        String named = ConfigurationDocuments.environmentId(document);
        if (named != null && !named.equalsIgnoreCase(environmentId)) {
            throw new InvalidInputException(
                    "environmentId",
                    "'" + named + "' differs from the environment in the path ('" + environmentId
                            + "'); set it to '" + environmentId + "' or leave it empty");
        }
    }

    /** The core's rules (spec §3.7), asked about this environment's stored data. */
    private void requireSafeChange(
            String environmentId, RuntimeConfiguration current, RuntimeConfiguration next) {
        List<String> problems =
                ConfigurationChange.problems(current, next, new ConfigurationChange.StoredData() {
                    @Override
                    public boolean holdsRecords() {
                        return onHand.hasData(EnvironmentId.of(environmentId));
                    }

                    @Override
                    public boolean holdsAllocations() {
                        return allocations.hasBuckets(EnvironmentId.of(environmentId));
                    }
                });
        if (!problems.isEmpty()) {
            throw new ConfigurationRejectedException(409, problems);
        }
    }

    private static byte[] defaultDocument() {
        try (InputStream in = EnvironmentService.class.getResourceAsStream(DEFAULT_DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_DOCUMENT + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
