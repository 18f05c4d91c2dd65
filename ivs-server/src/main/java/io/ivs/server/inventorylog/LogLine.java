package io.ivs.server.inventorylog;

import java.time.Instant;

/** One line of the inventory log as a report holds it. */
record LogLine(
        Instant loggedAt,
        String api,
        String clientId,
        String requestId,
        String eventId,
        String organizationId,
        String productId,
        String siteId,
        String locationId,
        String dimensionsJson,
        String quantitiesJson) {}
