package io.ivs.server.allocation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.allocation.AllocationCommand;
import io.ivs.core.allocation.AllocationCommand.Operation;
import io.ivs.core.allocation.AllocationResult;
import io.ivs.core.allocation.AllocationService;
import io.ivs.core.allocation.Bucket;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.QueryResults;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.Json;
import io.ivs.server.web.RejectionStatus;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inventory allocation (spec part B): allocate, unallocate, reallocate, consume and query. Writes
 * answer {@code {id, processingStatus, message, statusCode}} (C-B4), with the reservation id when
 * a consume raised a reservation measure; the HTTP status equals {@code statusCode}. Refusals for
 * lack of stock or quota are 409.
 */
@RestController
public class AllocationController {
    private static final String BASE = "/api/environment/{environmentId}/allocation";

    private final EnvironmentService environments;
    private final AllocationService allocations;

    public AllocationController(EnvironmentService environments, AllocationService allocations) {
        this.environments = environments;
        this.allocations = allocations;
    }

    @PostMapping(BASE + "/allocate")
    ResponseEntity<Map<String, Object>> allocate(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        return write(environmentId, version, body, Operation.ALLOCATE);
    }

    @PostMapping(BASE + "/unallocate")
    ResponseEntity<Map<String, Object>> unallocate(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        return write(environmentId, version, body, Operation.UNALLOCATE);
    }

    @PostMapping(BASE + "/reallocate")
    ResponseEntity<Map<String, Object>> reallocate(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        return write(environmentId, version, body, Operation.REALLOCATE);
    }

    @PostMapping(BASE + "/consume")
    ResponseEntity<Map<String, Object>> consume(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        return write(environmentId, version, body, Operation.CONSUME);
    }

    /** Buckets at exactly the given dimensions; groups match as a prefix ({} = all, C-B5). */
    @PostMapping(BASE + "/query")
    List<Map<String, Object>> query(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        ApiVersion.parse(version);
        RuntimeConfiguration config = environments.configuration(environmentId);
        JsonNode node = Json.object(Json.parse(body), "body");
        List<Bucket> buckets = allocations.query(
                EnvironmentId.of(environmentId),
                Json.requiredText(node, "organizationId", ""),
                Json.requiredText(node, "productId", ""),
                Json.optionalText(node, "dimensionDataSource", ""),
                Json.stringMap(Json.field(node, "dimensions", ""), "dimensions"),
                groups(node, "groups"));
        return buckets.stream().map(b -> json(config, b)).toList();
    }

    private ResponseEntity<Map<String, Object>> write(
            String environmentId, @Nullable String version, byte @Nullable [] body, Operation op) {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        JsonNode node = Json.parse(body);
        if (node.isArray()) {
            throw new InvalidInputException("body", "must be one request object");
        }
        AllocationResult result = allocations.write(environment, command(node, op));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", result.eventId());
        int status;
        switch (result) {
            case AllocationResult.Done done -> {
                status = 200;
                answer.put("processingStatus", "success");
                answer.put("message", "");
                if (done.reservationId() != null) {
                    answer.put("reservationId", done.reservationId());
                }
            }
            case AllocationResult.Rejected rejected -> {
                status = RejectionStatus.of(rejected.reason(), RejectionStatus.IV_REJECTION_STATUS);
                answer.put("processingStatus", "failure");
                answer.put("message", rejected.message());
            }
        }
        answer.put("statusCode", status);
        return ResponseEntity.status(status).body(answer);
    }

    private static AllocationCommand command(JsonNode node, Operation op) {
        Json.object(node, "body");
        JsonNode quantity = Json.field(node, "quantity", "");
        if (quantity == null) {
            throw new InvalidInputException("quantity", "is required");
        }
        Map<String, Map<String, String>> measures = new LinkedHashMap<>();
        JsonNode measuresNode = Json.field(node, "physicalMeasures", "");
        if (measuresNode != null) {
            Json.object(measuresNode, "physicalMeasures");
            for (Map.Entry<String, JsonNode> source : measuresNode.properties()) {
                measures.put(
                        source.getKey(),
                        Json.stringMap(source.getValue(), "physicalMeasures." + source.getKey()));
            }
        }
        return new AllocationCommand(
                op,
                Json.requiredText(node, "id", ""),
                Json.requiredText(node, "organizationId", ""),
                Json.requiredText(node, "productId", ""),
                Json.optionalText(node, "dimensionDataSource", ""),
                Json.stringMap(Json.field(node, "dimensions", ""), "dimensions"),
                groups(node, "groups"),
                op == Operation.REALLOCATE ? groups(node, "sourceGroups") : Map.of(),
                Json.decimal(quantity, "quantity"),
                measures);
    }

    /** {@code groups}, or its early name {@code targetGroups} (C-B9). */
    private static Map<String, String> groups(JsonNode node, String name) {
        JsonNode groups = Json.field(node, name, "");
        if (groups == null && name.equals("groups")) {
            return Json.stringMap(Json.field(node, "targetGroups", ""), "targetGroups");
        }
        return Json.stringMap(groups, name);
    }

    private static Map<String, Object> json(RuntimeConfiguration config, Bucket bucket) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("organizationId", bucket.organizationId());
        row.put("productId", bucket.productId());
        row.put("dimensions", bucket.dimensions());
        Map<String, String> groups = new LinkedHashMap<>();
        List<String> names = config.allocation().groups();
        for (int level = 0; level < bucket.path().size(); level++) {
            groups.put(
                    level < names.size() ? names.get(level) : "g" + level,
                    bucket.path().get(level));
        }
        row.put("groups", groups);
        row.put("allocated", QueryResults.plain(bucket.allocated()));
        row.put("consumed", QueryResults.plain(bucket.consumed()));
        row.put("cumulativeAllocated", QueryResults.plain(bucket.cumulativeAllocated()));
        row.put("cumulativeConsumed", QueryResults.plain(bucket.cumulativeConsumed()));
        return row;
    }
}
