package io.ivs.server.allocation;

import java.util.List;

/** What allocation holds in an environment, for an at-a-glance page; every read is bounded. */
public interface AllocationCounts {
    /**
     * A product's dimension set with allocation buckets, and how many of them were read.
     *
     * @param dimensions the dimension set as lines of {@code name = value}, by name
     */
    record AllocatedRecord(
            String organizationId, String productId, String dimensions, long buckets) {}

    /** Allocation buckets, counted up to {@code countMax} ("at least" when it is reached). */
    long buckets(String environmentId, int countMax);

    /**
     * The records (product and dimension set) that the first {@code bucketsMax} buckets belong
     * to, by organization and product, at most {@code listedMax} of them.
     */
    List<AllocatedRecord> records(String environmentId, int bucketsMax, int listedMax);
}
