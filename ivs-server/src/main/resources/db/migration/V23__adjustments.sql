-- Adjustment transactions: business documents that change on-hand (at once, or by the periodic
-- sync) and that the ERP collects per journal and acknowledges. Keyed by the client's id per
-- environment, the key of their idempotency; a small business table, not a hot-path one.
create table adjustment (
    environment_id              text not null references environment (id) on delete cascade,
    adjustment_id               text not null,
    -- Order of arrival, for paging and for collecting the oldest first.
    seq                         bigint generated always as identity,
    product_key                 uuid not null,
    organization_id             text not null,
    product_id                  text not null,
    quantity_data_source        text not null,
    physical_measure            text not null,
    site_id                     text not null,
    location_id                 text not null,
    dimensions                  jsonb not null,
    quantity                    numeric not null,
    external_reference_category text,
    external_reference_id       text,
    journal_name_id             text not null,
    cost_price                  numeric,
    trans_date                  date,
    -- The content a replay of the same id must carry to get the same answer.
    fingerprint                 text not null,
    -- Created -> IVPosted (applied to on-hand) -> Collected (by the ERP) -> Acknowledged;
    -- Failed when the periodic sync cannot apply it (its configuration changed meanwhile).
    status                      text not null,
    -- Why the periodic sync could not apply an adjustment (status Failed), else ''.
    message                     text not null default '',
    created_at                  timestamptz not null default now(),
    posted_at                   timestamptz,
    collection_id               text,
    collected_at                timestamptz,
    acknowledged_at             timestamptz,
    client_id                   text not null,
    request_id                  text not null,
    primary key (environment_id, adjustment_id)
);
create index adjustment_by_seq on adjustment (environment_id, seq);
create index adjustment_by_status on adjustment (environment_id, status, seq);
create index adjustment_by_product on adjustment (environment_id, product_id, seq);
create index adjustment_by_collection on adjustment (environment_id, collection_id)
    where collection_id is not null;
