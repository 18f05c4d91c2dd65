/**
 * Inventory allocation (spec part B): allocate, unallocate, reallocate and consume quotas of
 * group hierarchies against the available-to-allocate pool, and query them.
 */
@NullMarked
package io.ivs.core.allocation;

import org.jspecify.annotations.NullMarked;
