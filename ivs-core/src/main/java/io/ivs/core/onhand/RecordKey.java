package io.ivs.core.onhand;

import io.ivs.core.dimension.DimensionSet;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Identifies one stored record: environment, organization, product and resolved base dimensions.
 * {@link #productKey()} is the distribution key of DESIGN D5: all records of one product share it.
 */
public record RecordKey(
        String environmentId, String organizationId, String productId, DimensionSet dimensions) {

    public UUID productKey() {
        return productKey(environmentId, organizationId, productId);
    }

    /** A name-based UUID of (environment, organization, product); stable across instances. */
    public static UUID productKey(String environmentId, String organizationId, String productId) {
        String name = environmentId + '\u0000' + organizationId + '\u0000' + productId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
