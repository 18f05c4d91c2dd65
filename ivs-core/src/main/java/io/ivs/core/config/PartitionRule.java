package io.ivs.core.config;

import java.util.Optional;

/**
 * How data is partitioned (spec §3.7), which decides the mandatory inputs of every call. The
 * runtime document's {@code partitionConfiguration} flags select the rule: {@code useDimensions}
 * alone is by location, {@code useProductId} alone by product, and both together (as the original
 * service's newer environments have them) by location and product.
 */
public enum PartitionRule {
    /** Site and location are mandatory on writes; queries need products or sites and locations. */
    BY_LOCATION,
    /** Site and location are optional; queries need at least one product. */
    BY_PRODUCT,
    /**
     * Both flags: on-hand changes need no site or location, but reservations, allocations and
     * change schedules do; queries need products or sites and locations, as by location.
     */
    BY_LOCATION_AND_PRODUCT;

    /** The rule the two {@code partitionConfiguration} flags select; empty when neither is on. */
    public static Optional<PartitionRule> of(boolean useDimensions, boolean useProductId) {
        if (useDimensions && useProductId) {
            return Optional.of(BY_LOCATION_AND_PRODUCT);
        }
        if (useDimensions) {
            return Optional.of(BY_LOCATION);
        }
        return useProductId ? Optional.of(BY_PRODUCT) : Optional.empty();
    }

    /** Whether site and location are partition dimensions (partition ids, result groups). */
    public boolean byLocation() {
        return this != BY_PRODUCT;
    }

    /** Whether an on-hand change (post or set) must name a site and a location. */
    public boolean locationRequiredOnChanges() {
        return this == BY_LOCATION;
    }

    /** Whether reservations, allocations and change schedules must name a site and a location. */
    public boolean locationRequiredOnCommitments() {
        return this != BY_PRODUCT;
    }

    /** Whether a query must list products (by product), instead of products or site+location. */
    public boolean productsRequiredOnQueries() {
        return this == BY_PRODUCT;
    }

    /** How error messages name the rule. */
    public String label() {
        return switch (this) {
            case BY_LOCATION -> "by-location";
            case BY_PRODUCT -> "by-product";
            case BY_LOCATION_AND_PRODUCT -> "by-location-and-product";
        };
    }
}
