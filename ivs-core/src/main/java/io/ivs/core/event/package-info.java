/**
 * Event-id idempotency (spec A1), decided in one place for every write family: an event id seen
 * before with the same content answers its original result; with other content, a conflict.
 */
@NullMarked
package io.ivs.core.event;

import org.jspecify.annotations.NullMarked;
