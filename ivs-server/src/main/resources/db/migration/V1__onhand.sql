-- Environments and their versioned runtime configuration documents (DESIGN D10).
-- Configuration tables are small reference tables (DESIGN D5).
create table environment (
    id          text primary key,
    created_at  timestamptz not null default now()
);

create table configuration_version (
    environment_id text not null references environment (id) on delete cascade,
    version        integer not null,
    document       json not null,  -- kept verbatim: fields IVS does not use are returned unchanged
    created_at     timestamptz not null default now(),
    primary key (environment_id, version)
);

-- One row per stored record: (environment, organization, product, resolved base dimensions).
-- product_key is a name-based UUID of (environment, organization, product): the distribution
-- column under Citus, first in every key, so all rows of one product live together.
create table onhand_record (
    product_key     uuid not null,
    record_key      text not null,
    environment_id  text not null,
    organization_id text not null,
    product_id      text not null,
    partition_id    text not null,
    -- The partition dimensions as real columns ('' when absent) for warehouse-level queries.
    site_id         text not null,
    location_id     text not null,
    dimensions      jsonb not null,
    primary key (product_key, record_key)
);
create index onhand_record_partition on onhand_record (environment_id, partition_id);
create index onhand_record_warehouse
    on onhand_record (environment_id, organization_id, site_id, location_id);

-- One row per (record, physical measure). Changes add to quantity; set on-hand overwrites it and
-- stamps set_at, the observation time that guards against stale overwrites (spec A5).
create table onhand_quantity (
    product_key uuid not null,
    record_key  text not null,
    measure     text not null,
    quantity    numeric not null,
    set_at      timestamptz,
    primary key (product_key, record_key, measure),
    foreign key (product_key, record_key) references onhand_record (product_key, record_key)
        on delete cascade
);

-- Processed event ids and the answer each got (spec A1): a retry returns that answer.
-- Keyed by the event id (not the product) because uniqueness is per environment and family.
create table processed_event (
    environment_id text not null,
    family         text not null,
    event_id       text not null,
    fingerprint    text not null,
    message        text not null default '',
    processed_at   timestamptz not null default now(),
    primary key (environment_id, family, event_id)
);
create index processed_event_age on processed_event (processed_at);
