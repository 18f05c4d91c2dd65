/**
 * Webhooks: subscriptions per environment that IVS drives from the change feed. Each change that
 * matches a subscription's filters is POSTed to its URL, signed as the Standard Webhooks
 * specification says, at least once, in order per product, retried with exponential backoff and
 * dead-lettered after the last attempt.
 * {@link io.ivs.server.webhook.WebhookDispatcher} runs the deliveries; cursors and leases live in
 * PostgreSQL (migration V10). Internal targets are refused by
 * {@link io.ivs.server.webhook.WebhookTargets}, when a subscription is created and again for every
 * delivery after DNS resolution.
 */
@NullMarked
package io.ivs.server.webhook;

import org.jspecify.annotations.NullMarked;
