-- The inventory log: one line per successful inventory-changing event, written in the
-- transaction of the change. product_key (V1) leads the key, so the table can be distributed
-- with the records it describes.
create table inventory_log (
    product_key     uuid not null,
    log_id          bigint generated always as identity,
    environment_id  text not null,
    -- The time of the transaction that made the change.
    logged_at       timestamptz not null default now(),
    api             text not null,
    client_id       text not null,
    request_id      text not null,
    event_id        text not null,
    organization_id text not null,
    product_id      text not null,
    site_id         text not null,
    location_id     text not null,
    dimensions      jsonb not null,
    -- Physical measures as {"dataSource.measure": quantity}: deltas, or values for a set.
    quantities      jsonb not null,
    primary key (product_key, log_id)
);
-- The log request's filters: organization and product (optional site, location) over dates;
-- an organization-wide request and the retention delete use the time index.
create index inventory_log_by_product
    on inventory_log (environment_id, organization_id, product_id, logged_at);
create index inventory_log_by_time on inventory_log (logged_at);

-- A log request's result, copied when the job runs (as the original fills its report table),
-- so that its pages do not move while a client reads them.
create table inventory_log_report (
    job_id         text primary key,
    environment_id text not null references environment (id) on delete cascade,
    request        jsonb not null,
    line_count     integer not null,
    created_at     timestamptz not null default now()
);
create index inventory_log_report_age on inventory_log_report (created_at);

create table inventory_log_report_line (
    job_id          text not null references inventory_log_report (job_id) on delete cascade,
    line_no         integer not null,
    logged_at       timestamptz not null,
    api             text not null,
    client_id       text not null,
    request_id      text not null,
    event_id        text not null,
    organization_id text not null,
    product_id      text not null,
    site_id         text not null,
    location_id     text not null,
    dimensions      jsonb not null,
    quantities      jsonb not null,
    primary key (job_id, line_no)
);
