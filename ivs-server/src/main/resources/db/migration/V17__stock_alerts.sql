-- Stock alerts (docs/alerts.md): rules that watch a measure at a level, the state each rule last
-- saw per product, and the alerts themselves as a fourth kind of change-log row.
--
-- An alert is written into change_log (kind 'alert', payload in the new column 'alert') by the
-- alert evaluator, in the transaction that moves its feed_cursor row and its alert_state rows:
-- a crossing is recorded exactly once, and the sequencer then gives it a position like any
-- other change, so webhooks, Kafka and the HTTP feed deliver it with their own cursors and
-- guarantees. Adding a nullable column to change_log rewrites nothing. Readers that do not ask
-- for alerts never see them: the feed filters by event type, and its default is changes only.
alter table change_log add column alert jsonb;

-- Webhook subscriptions choose event types; the default keeps what existing subscribers get.
alter table webhook_subscription add column event_types text[] not null default '{change}';

-- One rule per (environment, name). A rule without product_id applies to every product of the
-- organization; dimensions narrow the level (base dimension names, lower-case, e.g. siteid).
-- A configuration table: under Citus a reference table.
create table alert_rule (
    environment_id  text not null,
    name            text not null,
    measure         text not null,
    organization_id text not null,
    product_id      text,
    dimensions      jsonb not null,
    threshold       numeric not null,
    hysteresis      numeric not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (environment_id, name)
);

-- The state a rule last saw for one product: the value and whether it was out (<= 0) and at or
-- below the threshold. No row: the rule has not seen the product yet, which counts as in stock
-- and above the threshold. Keyed by product, so under Citus the rows of a product live together.
create table alert_state (
    product_key     uuid not null,
    environment_id  text not null,
    rule_name       text not null,
    organization_id text not null,
    product_id      text not null,
    value           numeric not null,
    is_out          boolean not null,
    is_below        boolean not null,
    updated_at      timestamptz not null default now(),
    primary key (product_key, environment_id, rule_name)
);
create index alert_state_rule on alert_state (environment_id, rule_name);
