package io.ivs.server.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.WriteAccess;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.ItemCounters;
import io.ivs.server.web.ItemCounters.Operation;
import io.ivs.server.web.ItemEnvelopes;
import io.ivs.server.web.IvEnvelope;
import io.ivs.server.web.Json;
import io.ivs.server.web.JsonAnswers;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;

/**
 * On-hand change events and set on-hand (spec §2.2, §2.3). A single event answers with its
 * envelope and the matching HTTP status; a bulk request answers 200 with one envelope per item,
 * in order, unless the request as a whole is invalid (A3, A4).
 */
@RestController
public class OnHandController {
    private static final String BASE = "/api/environment/{environmentId}";

    private final EnvironmentService environments;
    private final OnHandService onHand;
    private final ItemCounters counters;
    private final OnHandBulks bulks;

    OnHandController(
            EnvironmentService environments,
            OnHandService onHand,
            ItemCounters counters,
            OnHandBulks bulks) {
        this.environments = environments;
        this.onHand = onHand;
        this.counters = counters;
        this.bulks = bulks;
    }

    @PostMapping(BASE + "/onhand")
    void change(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            WriteAccess access,
            HttpServletResponse response)
            throws IOException {
        ApiVersion.parse(version);
        EnvironmentId environment = environments.requireKnown(environmentId);
        JsonNode node = Json.parse(body);
        if (node.isArray()) {
            throw new InvalidInputException(
                    "body", "must be one event object; post arrays to" + " .../onhand/bulk");
        }
        OnHandChange event = OnHandRequests.change(node, "", false);
        IvEnvelope envelope = ItemEnvelopes.of(counters.onHand(
                        Operation.ONHAND, onHand.write(environment, List.of(event), null, access))
                .get(0));
        JsonAnswers.write(response, envelope.statusCode(), envelope);
    }

    @PostMapping(BASE + "/onhand/bulk")
    void changeBulk(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            WriteAccess access,
            HttpServletResponse response)
            throws IOException {
        JsonAnswers.write(response, 200, bulk(environmentId, version, body, null, access));
    }

    @PostMapping(BASE + "/setonhand/{inventorySystem}/bulk")
    void setBulk(
            @PathVariable String environmentId,
            @PathVariable String inventorySystem,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            WriteAccess access,
            HttpServletResponse response)
            throws IOException {
        JsonAnswers.write(
                response, 200, bulk(environmentId, version, body, inventorySystem, access));
    }

    private List<IvEnvelope> bulk(
            String environmentId,
            @Nullable String version,
            byte @Nullable [] body,
            @Nullable String inventorySystem,
            WriteAccess access) {
        ApiVersion.parse(version);
        return bulks.handle(environmentId, inventorySystem, body, access, events -> {});
    }
}
