-- Soft reservations (spec §2.4, §2.5). One ledger row per reservation id: what it holds net, on
-- which physical measure and at which record (the requested dimension level). Rows stay at 0
-- after a full release so a later unreserve is answered as A9 says rather than "not found".
create table reservation (
    product_key     uuid not null,
    reservation_id  text not null,
    environment_id  text not null,
    organization_id text not null,
    product_id      text not null,
    measure         text not null,
    record_key      text not null,
    dimensions      jsonb not null,
    quantity        numeric not null,
    updated_at      timestamptz not null default now(),
    primary key (product_key, reservation_id),
    -- Deleting inventory data (clean-up endpoints) deletes the reservations held on it.
    foreign key (product_key, record_key) references onhand_record (product_key, record_key)
        on delete cascade
);
create index reservation_product on reservation (environment_id, organization_id, product_id);
create index reservation_by_id on reservation (environment_id, reservation_id);

-- The answer to a reserve or unreserve event, replayed when the event id is retried.
alter table processed_event add column result text;

-- Asynchronous jobs (spec §2.6): reservation clean-up; polled with getJobProgress.
create table job (
    id             text primary key,
    environment_id text not null,
    kind           text not null,
    status         text not null,
    message        text not null default '',
    created_at     timestamptz not null default now(),
    finished_at    timestamptz
);
create index job_environment on job (environment_id, created_at);
