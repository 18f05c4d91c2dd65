-- Allocation buckets (spec B.5): the quota of one group path (values by level, Group0 first)
-- at one exact dimension set of a product. The @iv measures of the on-hand record carry the sums.
create table allocation_bucket (
    product_key          uuid not null,
    record_key           text not null,
    group_path           text not null,
    environment_id       text not null,
    organization_id      text not null,
    product_id           text not null,
    dimensions           jsonb not null,
    groups               jsonb not null,
    allocated            numeric not null,
    consumed             numeric not null,
    cumulative_allocated numeric not null,
    cumulative_consumed  numeric not null,
    updated_at           timestamptz not null default now(),
    primary key (product_key, record_key, group_path),
    foreign key (product_key, record_key) references onhand_record (product_key, record_key)
        on delete cascade
);
create index allocation_bucket_environment on allocation_bucket (environment_id);
