/**
 * Feeding IVS from Apache Kafka (optional, off unless {@code ivs.kafka.ingest.sources} names a
 * topic): on-hand change events, set-on-hand records and sync batches in the API's JSON, applied
 * through the same core services and validation as the API, with each source's configured roles.
 * Offsets are committed only after IVS committed the writes, and event ids make a redelivered
 * message change nothing twice, so the effect is exactly once; messages that cannot be applied
 * go to a dead-letter topic with the reason in headers.
 */
@NullMarked
package io.ivs.server.ingest;

import org.jspecify.annotations.NullMarked;
