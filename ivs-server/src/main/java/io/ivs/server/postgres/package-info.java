/**
 * Database plumbing shared by the features: the embedded server, the data source, transaction
 * retry, LISTEN/NOTIFY, the change stamps of caches it keeps exact, and the pieces every stock
 * writer shares: per-product locks, processed event ids and on-hand deltas, and the batched
 * deletion by age the retention jobs share. Stores live with their features; nothing here knows
 * a feature.
 */
@NullMarked
package io.ivs.server.postgres;

import org.jspecify.annotations.NullMarked;
