package io.ivs.core.config;

/** How data is partitioned (spec §3.7), which decides the mandatory inputs of every call. */
public enum PartitionRule {
    /** Site and location are mandatory on writes; queries need products or sites and locations. */
    BY_LOCATION,
    /** Site and location are optional; queries need at least one product. */
    BY_PRODUCT
}
