package io.ivs.server.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandStore;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.IvEnvelope;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Operational endpoints of spec §1.2. Partition ids are defined in
 * {@link io.ivs.core.onhand.PartitionIds}.
 */
@RestController
public class OperationsController {
    private static final String BASE = "/api/environment/{environmentId}";
    private static final String PARTITIONS_DELETED =
            " records deleted; the event ids of these partitions are forgotten";

    private final EnvironmentService environments;
    private final OnHandStore store;
    private final JdbcTemplate jdbc;

    public OperationsController(
            EnvironmentService environments, OnHandStore store, JdbcTemplate jdbc) {
        this.environments = environments;
        this.store = store;
        this.jdbc = jdbc;
    }

    /** 200 when the service can serve, that is when the database answers; 503 otherwise. */
    @GetMapping("/health/ping")
    ResponseEntity<Map<String, String>> ping() {
        try {
            jdbc.queryForObject("select 1", Integer.class);
            return ResponseEntity.ok(Map.of("status", "UP"));
        } catch (RuntimeException e) {
            return ResponseEntity.status(503)
                    .body(Map.of("status", "DOWN", "message", "the database is unavailable"));
        }
    }

    @GetMapping(BASE + "/allpartitionids")
    List<String> partitionIds(@PathVariable String environmentId) {
        environments.requireExisting(environmentId);
        return store.partitionIds(EnvironmentId.of(environmentId));
    }

    /**
     * Deletes the data of the listed partitions (a non-empty JSON array of partition ids) and
     * forgets the event ids whose effects lay in them, so that a client's test run that starts
     * with a clean-up can post its events again under the same ids.
     */
    @DeleteMapping(BASE + "/partitions/cleanupalldata")
    IvEnvelope cleanupPartitions(
            @PathVariable String environmentId,
            @RequestBody(required = false) byte @Nullable [] body) {
        environments.requireExisting(environmentId);
        List<String> ids = Json.stringList(Json.parse(body), "body");
        if (ids.isEmpty()) {
            throw new InvalidInputException("body", "must list at least one partition id");
        }
        int deleted = store.deletePartitions(EnvironmentId.of(environmentId), ids);
        return IvEnvelope.success(null, deleted + PARTITIONS_DELETED);
    }

    /**
     * The original service caps the records of one warehouse under its first cache partition
     * schema and offers this call to move to the second (spec §3.7). IVS stores every partition
     * rule in one schema without such a cap, so there is nothing to switch: scripts that call it
     * get 200 and a message saying so, and nothing changes.
     */
    @PostMapping(BASE + "/updatePartitionSchema")
    IvEnvelope updatePartitionSchema(
            @PathVariable String environmentId,
            @RequestParam(name = "newversion", required = false) @Nullable String newVersion) {
        environments.requireExisting(environmentId);
        if (newVersion != null && !newVersion.strip().matches("[0-9]{1,9}")) {
            throw new InvalidInputException(
                    "newversion", "'" + newVersion + "' is not a schema version number");
        }
        return IvEnvelope.success(
                null,
                "IVS needs no partition schema switch: one schema serves every partition rule"
                        + " without a per-warehouse record limit, so nothing was changed");
    }

    /**
     * Deletes inventory data, keeping the configuration: the listed partitions, or, with no body
     * or an empty array, all data of the environment including processed event ids.
     */
    @DeleteMapping(BASE + "/cleanupalldata")
    IvEnvelope cleanupAll(
            @PathVariable String environmentId,
            @RequestBody(required = false) byte @Nullable [] body) {
        environments.requireExisting(environmentId);
        List<String> ids = body == null || body.length == 0
                ? List.of()
                : Json.stringList(Json.parse(body), "body");
        if (ids.isEmpty()) {
            int deleted = store.deleteAll(EnvironmentId.of(environmentId));
            return IvEnvelope.success(null, deleted + " records deleted; all event ids forgotten");
        }
        int deleted = store.deletePartitions(EnvironmentId.of(environmentId), ids);
        return IvEnvelope.success(null, deleted + PARTITIONS_DELETED);
    }
}
