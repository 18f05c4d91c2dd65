/**
 * Inventory summary and preloaded on-hand (spec §4.1, §4.2): PostgreSQL tables that BI tools read
 * directly, kept up to date by a periodic refresh (one instance at a time), by an immediate
 * refresh of changed products, and by a backfill; and their export as CSV and Parquet.
 */
@NullMarked
package io.ivs.server.summary;

import org.jspecify.annotations.NullMarked;
