-- Inventory summary (spec §4.1) and preloaded on-hand (spec §4.2): tables that BI tools read
-- directly. Each dimension is a typed, nullable text column named like the base dimension
-- (siteid, colorid, ...; null when the row has no value), because BI tools filter, group and join
-- on plain columns without JSON functions. quantities holds IV's documented JSON,
-- {"<data source>": {"<measure>": number}}, physical and calculated measures, exact numerics.
-- updated_at changes only when the quantities do, so change tracking by timestamp works.
-- Both are keyed by product_key first, like every hot-path table (DESIGN D5).

-- One row per stored on-hand record (the most specific dimension set).
create table inventory_summary (
    product_key       uuid not null,
    record_key        text not null,
    environment_id    text not null,
    organization_id   text not null,
    product_id        text not null,
    partition_id      text not null,
    siteid            text,
    locationid        text,
    colorid           text,
    sizeid            text,
    styleid           text,
    configid          text,
    batchid           text,
    serialid          text,
    statusid          text,
    wmslocationid     text,
    wmspalletid       text,
    licenseplateid    text,
    versionid         text,
    customdimension1  text,
    customdimension2  text,
    customdimension3  text,
    customdimension4  text,
    customdimension5  text,
    customdimension6  text,
    customdimension7  text,
    customdimension8  text,
    customdimension9  text,
    customdimension10 text,
    customdimension11 text,
    customdimension12 text,
    extendeddimension1 text,
    extendeddimension2 text,
    extendeddimension3 text,
    extendeddimension4 text,
    extendeddimension5 text,
    extendeddimension6 text,
    extendeddimension7 text,
    extendeddimension8 text,
    quantities        jsonb not null,
    updated_at        timestamptz not null,
    primary key (product_key, record_key)
);
create index inventory_summary_environment
    on inventory_summary (environment_id, organization_id, product_id);
create index inventory_summary_updated on inventory_summary (environment_id, updated_at);

-- One row per result of an index query grouped by the preload group-by dimensions (site and
-- location always included); group_key is the canonical encoding of the group's values.
create table onhand_preload (
    product_key       uuid not null,
    group_key         text not null,
    environment_id    text not null,
    organization_id   text not null,
    product_id        text not null,
    siteid            text,
    locationid        text,
    colorid           text,
    sizeid            text,
    styleid           text,
    configid          text,
    batchid           text,
    serialid          text,
    statusid          text,
    wmslocationid     text,
    wmspalletid       text,
    licenseplateid    text,
    versionid         text,
    customdimension1  text,
    customdimension2  text,
    customdimension3  text,
    customdimension4  text,
    customdimension5  text,
    customdimension6  text,
    customdimension7  text,
    customdimension8  text,
    customdimension9  text,
    customdimension10 text,
    customdimension11 text,
    customdimension12 text,
    extendeddimension1 text,
    extendeddimension2 text,
    extendeddimension3 text,
    extendeddimension4 text,
    extendeddimension5 text,
    extendeddimension6 text,
    extendeddimension7 text,
    extendeddimension8 text,
    quantities        jsonb not null,
    updated_at        timestamptz not null,
    primary key (product_key, group_key)
);
create index onhand_preload_environment
    on onhand_preload (environment_id, organization_id, product_id);
create index onhand_preload_updated on onhand_preload (environment_id, updated_at);

-- The periodic refresh of each environment: when it last completed, and a lease that one
-- instance takes (a conditional update, so two instances never run it at once, DESIGN D4) and
-- that lapses if that instance dies. A reference table, one row per environment.
create table summary_refresh (
    environment_id text primary key references environment (id) on delete cascade,
    refreshed_at   timestamptz,
    lease_until    timestamptz
);
