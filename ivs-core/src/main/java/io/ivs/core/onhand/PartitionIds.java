package io.ivs.core.onhand;

import io.ivs.core.config.PartitionRule;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.dimension.DimensionSet;

/**
 * Partition ids, as listed by {@code allpartitionids} and accepted by the clean-up endpoints.
 * Under by-location a partition is one warehouse of one organization:
 * {@code organizationId~siteId~locationId}; under by-product it is one product of one
 * organization: {@code organizationId~productId}. Under by location and product a partition is a
 * warehouse again (a change without site or location falls in {@code organizationId~~}). A
 * {@code ~} or {@code %} inside a value is percent-encoded, so ids split unambiguously.
 */
public final class PartitionIds {
    private PartitionIds() {}

    public static String of(
            PartitionRule rule, String organizationId, String productId, DimensionSet dims) {
        if (!rule.byLocation()) {
            return encode(organizationId) + "~" + encode(productId);
        }
        return encode(organizationId)
                + "~"
                + encode(valueOrEmpty(dims, BaseDimension.SITE))
                + "~"
                + encode(valueOrEmpty(dims, BaseDimension.LOCATION));
    }

    private static String valueOrEmpty(DimensionSet dims, String name) {
        String value = dims.get(name);
        return value == null ? "" : value;
    }

    private static String encode(String value) {
        return value.replace("%", "%25").replace("~", "%7E");
    }
}
