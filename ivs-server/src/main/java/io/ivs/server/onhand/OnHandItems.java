package io.ivs.server.onhand;

import io.ivs.core.onhand.OnHandChange;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;

/**
 * Reads one on-hand item of the API's JSON (a change event or a set-on-hand record) with the
 * same rules as the API's endpoints, for features that take the same JSON from elsewhere (Kafka
 * ingestion), so that both ways in accept and refuse exactly the same items.
 */
@Component
public final class OnHandItems {
    private final ModifiedTimeWindow modifiedTimes;

    OnHandItems(ModifiedTimeWindow modifiedTimes) {
        this.modifiedTimes = modifiedTimes;
    }

    /**
     * @param path where the item sits in its message, like {@code [3]}; "" for a lone object
     * @param set a set-on-hand record (reads {@code modifiedDateTimeUTC}) rather than a change
     * @throws io.ivs.core.InvalidInputException naming the field that is wrong
     */
    public OnHandChange read(JsonNode item, String path, boolean set) {
        return modifiedTimes.check(OnHandRequests.change(item, path, set), path);
    }
}
