/**
 * Stock alerts: rules that watch a measure (physical or calculated) at a level, and the
 * evaluator that follows the change feed and records each crossing of a rule's level once, as an
 * {@code alert} entry of the feed, which webhooks and Kafka then deliver (docs/alerts.md).
 */
@NullMarked
package io.ivs.server.alert;

import org.jspecify.annotations.NullMarked;
