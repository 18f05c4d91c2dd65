/**
 * Database plumbing shared by the features: the embedded server, the data source, transaction
 * retry, LISTEN/NOTIFY and the change stamps of caches it keeps exact. Stores live with their
 * features.
 */
@NullMarked
package io.ivs.server.postgres;

import org.jspecify.annotations.NullMarked;
