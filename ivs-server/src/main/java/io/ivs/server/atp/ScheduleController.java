package io.ivs.server.atp;

import io.ivs.core.InvalidInputException;
import io.ivs.core.atp.AtpService;
import io.ivs.core.atp.QuantitiesByDate;
import io.ivs.core.atp.ScheduleCommand;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.Quantities;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.BulkRequests;
import io.ivs.server.web.ItemEnvelopes;
import io.ivs.server.web.IvEnvelope;
import io.ivs.server.web.Json;
import io.ivs.server.web.QuantitiesJson;

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
 * On-hand change schedules (spec A.3): dated, uncommitted changes that ATP queries project. The
 * 2022 path spelling {@code on-hand} is accepted too (C-A9). Answers mirror the on-hand writes
 * (C-A4): one envelope, or one per item of a bulk.
 */
@RestController
public class ScheduleController {
    private static final String BASE = "/api/environment/{environmentId}";

    private final EnvironmentService environments;
    private final AtpService atp;

    public ScheduleController(EnvironmentService environments, AtpService atp) {
        this.environments = environments;
        this.atp = atp;
    }

    @PostMapping({BASE + "/onhand/changeschedule", BASE + "/on-hand/changeschedule"})
    ResponseEntity<IvEnvelope> schedule(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        JsonNode node = Json.parse(body);
        if (node.isArray()) {
            throw new InvalidInputException(
                    "body",
                    "must be one schedule object; post arrays to"
                            + " .../onhand/changeschedule/bulk");
        }
        ScheduleCommand command = command(node, "");
        IvEnvelope answer =
                ItemEnvelopes.of(atp.schedule(environment, List.of(command)).get(0));
        return ResponseEntity.status(answer.statusCode()).body(answer);
    }

    @PostMapping({BASE + "/onhand/changeschedule/bulk", BASE + "/on-hand/changeschedule/bulk"})
    List<IvEnvelope> scheduleBulk(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        return BulkRequests.handle(
                body,
                ScheduleController::command,
                commands -> atp.schedule(environment, commands),
                ItemEnvelopes::of,
                (id, message) -> IvEnvelope.failure(id, 400, message));
    }

    /** Reads a schedule; {@code quantityByDate} is accepted as the older name (C-A9). */
    private static ScheduleCommand command(JsonNode node, String path) {
        Json.object(node, path.isEmpty() ? "body" : path);
        JsonNode byDate = Json.field(node, "quantitiesByDate", path);
        String field = Json.join(path, "quantitiesByDate");
        if (byDate == null) {
            byDate = Json.field(node, "quantityByDate", path);
        }
        if (byDate == null) {
            throw new InvalidInputException(field, "is required");
        }
        Json.object(byDate, field);
        Map<String, Quantities> dates = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> day : byDate.properties()) {
            dates.put(
                    day.getKey(), QuantitiesJson.read(day.getValue(), field + "." + day.getKey()));
        }
        return new ScheduleCommand(
                Json.requiredText(node, "id", path),
                Json.requiredText(node, "organizationId", path),
                Json.requiredText(node, "productId", path),
                Json.optionalText(node, "dimensionDataSource", path),
                Json.stringMap(Json.field(node, "dimensions", path), Json.join(path, "dimensions")),
                QuantitiesByDate.of(dates));
    }
}
