/**
 * Full syncs of a data source: an ERP (or a file import, or a Kafka topic) begins one, sends its
 * whole picture in batches of set on-hand records, and completes it; completion sets to zero, in
 * one transaction, what the sync did not mention. Also the status of every data source's feed
 * (last full sync, open sync, last push) that the console's Integrations page shows.
 */
@NullMarked
package io.ivs.server.sync;

import org.jspecify.annotations.NullMarked;
