-- Webhooks and the Kafka publisher (issue 9, item 3): consumers of the change feed that IVS
-- drives itself. Each keeps its cursor (the last feed position it has handled) here, so delivery
-- resumes after a restart, and holds a lease while an instance delivers for it, so that two
-- instances never deliver the same subscription at once (DESIGN D4). A lease is taken with
-- FOR UPDATE SKIP LOCKED when it is free or expired, renewed while the owner works, and every
-- cursor update is fenced by the owner, so an instance that lost its lease cannot move it.
create table webhook_subscription (
    subscription_id text primary key,
    environment_id  text not null,
    url             text not null,
    -- The signing key. Kept as given: IVS needs it to sign, so it cannot be stored hashed.
    secret          text not null,
    description     text not null default '',
    -- Filters; an empty array means "any".
    product_ids     text[] not null default '{}',
    data_sources    text[] not null default '{}',
    measures        text[] not null default '{}',
    -- 'active' or 'paused'
    status          text not null,
    cursor          bigint not null,
    created_at      timestamptz not null default now(),
    last_success_at timestamptz,
    last_error      text,
    last_error_at   timestamptz,
    lease_owner     text,
    lease_until     timestamptz
);
create index webhook_subscription_environment on webhook_subscription (environment_id);

-- Deliveries that failed every attempt. The body is kept byte for byte so that a replay sends
-- exactly what was signed the first time (with a fresh timestamp and signature).
create table webhook_dead_letter (
    subscription_id  text not null references webhook_subscription on delete cascade,
    position         bigint not null,
    delivery_id      text not null,
    organization_id  text not null,
    product_id       text not null,
    body             text not null,
    attempts         integer not null,
    last_status      integer,
    last_error       text not null,
    failed_at        timestamptz not null default now(),
    -- Set by the replay operation; the subscription's owner re-delivers such rows first.
    replay_requested boolean not null default false,
    primary key (subscription_id, position)
);

-- The Kafka publisher's cursor and lease, one row per environment.
create table kafka_cursor (
    environment_id text primary key,
    cursor         bigint not null,
    lease_owner    text,
    lease_until    timestamptz
);
