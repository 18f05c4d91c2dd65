/**
 * Publishing the change feed to Apache Kafka (optional, off unless
 * {@code ivs.kafka.bootstrap-servers} is set): every change of every environment, keyed by
 * environment, organization and product so that one product's changes stay in order on one
 * partition. Cursors and leases per environment live in PostgreSQL (migration V10).
 */
@NullMarked
package io.ivs.server.kafka;

import org.jspecify.annotations.NullMarked;
