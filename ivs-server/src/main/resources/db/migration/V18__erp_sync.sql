-- Full syncs of a data source (docs/api-notes.md, "Feeding IVS from an ERP"): an ERP begins one,
-- sends its whole picture in batches of set on-hand records, and completes it; on completion the
-- records of the data source that the sync did not mention are set to zero. At most one sync per
-- environment and data source is open at a time. Small and written once per batch: under Citus a
-- reference table, like the configuration.
create table erp_sync (
    environment_id  text not null,
    sync_id         text not null,
    data_source     text not null,
    -- open, completed, aborted (by the client) or expired (not completed in time)
    status          text not null,
    started_at      timestamptz not null,
    -- An open sync expires timeout_seconds after its last batch.
    timeout_seconds integer not null,
    expires_at      timestamptz not null,
    finished_at     timestamptz,
    -- Set on completion: records mentioned and measures set to zero.
    records         bigint,
    zeroed          bigint,
    primary key (environment_id, sync_id)
);
create unique index erp_sync_one_open on erp_sync (environment_id, data_source)
    where status = 'open';
create index erp_sync_finished on erp_sync (environment_id, data_source, finished_at)
    where status <> 'open';

-- The records a sync mentioned, with the measures of the data source each carried: what its
-- completion keeps. Keyed by product first, like every hot-path table (DESIGN D5), so that the
-- completion's anti-join against on-hand quantities stays on one shard per product. Rows go when
-- their sync ends, whatever the end.
create table sync_mention (
    product_key uuid not null,
    sync_id     text not null,
    record_key  text not null,
    measures    text[] not null,
    primary key (product_key, sync_id, record_key)
);
create index sync_mention_sync on sync_mention (sync_id);

-- When on-hand changes or sets last wrote each data source (any route): what the console's
-- Integrations page shows as the last push. Written at most about once a second per data
-- source and instance, after the write's own transaction, so it never serialises writers.
create table data_source_push (
    environment_id text not null,
    data_source    text not null,
    last_push_at   timestamptz not null,
    primary key (environment_id, data_source)
);
