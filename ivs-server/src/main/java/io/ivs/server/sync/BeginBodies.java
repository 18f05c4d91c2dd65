package io.ivs.server.sync;

import io.ivs.core.InvalidInputException;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * The optional body of a begin, from the API or a Kafka message: {@code {"timeoutSeconds": n}},
 * or nothing for the default timeout.
 */
final class BeginBodies {
    private BeginBodies() {}

    static int timeoutSeconds(byte @Nullable [] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return SyncService.TIMEOUT_SECONDS_DEFAULT;
        }
        JsonNode node = Json.object(Json.parse(body), "body");
        JsonNode timeout = Json.field(node, "timeoutSeconds", "");
        if (timeout == null) {
            return SyncService.TIMEOUT_SECONDS_DEFAULT;
        }
        if (!timeout.isIntegralNumber() || !timeout.canConvertToInt()) {
            throw new InvalidInputException("timeoutSeconds", "must be a whole number of seconds");
        }
        return timeout.intValue();
    }
}
