/**
 * The inventory log: a line per successful inventory-changing event, written by the stores in
 * the transaction of the change while a request's {@link InventoryLogContext} is open, and the
 * log requests (jobs) that read it back as JSON pages or CSV.
 */
@NullMarked
package io.ivs.server.inventorylog;

import org.jspecify.annotations.NullMarked;
