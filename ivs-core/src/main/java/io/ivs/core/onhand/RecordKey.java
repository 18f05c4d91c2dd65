package io.ivs.core.onhand;

import io.ivs.core.NameUuids;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;

import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies one stored record: environment, organization, product and resolved base dimensions.
 * {@link #productKey()} is the distribution key of DESIGN D5: all records of one product share it.
 * It is computed once, when the key is made: a write uses it several times per event.
 */
public final class RecordKey {
    private final EnvironmentId environmentId;
    private final String organizationId;
    private final String productId;
    private final DimensionSet dimensions;
    private final UUID productKey;

    public RecordKey(
            EnvironmentId environmentId,
            String organizationId,
            String productId,
            DimensionSet dimensions) {
        this.environmentId = Objects.requireNonNull(environmentId, "environmentId");
        this.organizationId = Objects.requireNonNull(organizationId, "organizationId");
        this.productId = Objects.requireNonNull(productId, "productId");
        this.dimensions = Objects.requireNonNull(dimensions, "dimensions");
        this.productKey = productKey(environmentId, organizationId, productId);
    }

    public EnvironmentId environmentId() {
        return environmentId;
    }

    public String organizationId() {
        return organizationId;
    }

    public String productId() {
        return productId;
    }

    public DimensionSet dimensions() {
        return dimensions;
    }

    public UUID productKey() {
        return productKey;
    }

    /** A name-based UUID of (environment, organization, product); stable across instances. */
    public static UUID productKey(
            EnvironmentId environmentId, String organizationId, String productId) {
        String name = environmentId.value() + '\u0000' + organizationId + '\u0000' + productId;
        return NameUuids.of(name);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof RecordKey key
                && productKey.equals(key.productKey)
                && environmentId.equals(key.environmentId)
                && organizationId.equals(key.organizationId)
                && productId.equals(key.productId)
                && dimensions.equals(key.dimensions);
    }

    @Override
    public int hashCode() {
        return productKey.hashCode() * 31 + dimensions.hashCode();
    }

    @Override
    public String toString() {
        return "RecordKey[" + environmentId + ", " + organizationId + ", " + productId + ", "
                + dimensions + "]";
    }
}
