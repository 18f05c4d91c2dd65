-- The product catalogue that product search reads: products by organization, with attributes.
-- product_key is the name-based UUID of (environment, organization, item number), the same key
-- onhand_record carries for that product (item number = product id), so that under Citus the
-- catalogue rows of a product can live beside its on-hand records. It is the primary key: the
-- unique (environment, organization, item number) follows from it, and a unique constraint
-- without the distribution column could not exist on a distributed table.
-- Text fields that were not sent are '' (never null), so that IsNot and DoesNotContain need no
-- null logic.
create extension if not exists pg_trgm;

create table product (
    product_key          uuid not null primary key,
    environment_id       text not null,
    organization_id      text not null,
    item_number          text not null,
    product_name         text not null,
    product_search_name  text not null,
    product_type         text not null,
    product_description  text not null,
    inventory_unit_symbol text not null,
    sales_unit_symbol    text not null,
    purchase_unit_symbol text not null,
    updated_at           timestamptz not null default now()
);

-- Exact, prefix and range conditions compare lower(field) in the "C" collation, which a plain
-- btree on that expression serves for =, <, > and LIKE 'prefix%' alike.
create index product_item on product (environment_id, (lower(item_number) collate "C"));
create index product_name_exact on product (environment_id, (lower(product_name) collate "C"));
create index product_search_name_exact
    on product (environment_id, (lower(product_search_name) collate "C"));
create index product_type_exact on product (environment_id, (lower(product_type) collate "C"));

-- Contains and DoesNotContain are ILIKE '%text%': trigram indexes on the free-text fields. The
-- unit symbols and the type are short codes, searched by equality.
create index product_item_trgm on product using gin (item_number gin_trgm_ops);
create index product_name_trgm on product using gin (product_name gin_trgm_ops);
create index product_search_name_trgm on product using gin (product_search_name gin_trgm_ops);
create index product_description_trgm on product using gin (product_description gin_trgm_ops);

-- One row per attribute value; an attribute with several values (the colours a product comes
-- in) has several rows. area is the wire name's lower case (productattribute, ...).
create table product_attribute (
    product_key     uuid not null references product (product_key) on delete cascade,
    environment_id  text not null,
    area            text not null,
    type_name       text not null,
    name            text not null,
    value           text not null,
    position        integer not null,  -- the order the attributes and values were sent in
    primary key (product_key, area, type_name, name, value)
);
create index product_attribute_value
    on product_attribute (environment_id, (lower(name) collate "C"), (lower(value) collate "C"));
create index product_attribute_value_trgm on product_attribute using gin (value gin_trgm_ops);
