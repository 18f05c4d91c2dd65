/**
 * On-hand change and set commands, their resolution to stored records, and query planning and
 * aggregation.
 */
@NullMarked
package io.ivs.core.onhand;

import org.jspecify.annotations.NullMarked;
