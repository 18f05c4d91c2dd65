-- Per-product serialisation of reservations and allocation (DESIGN D4) by a row lock: one row
-- per product that was ever locked, keyed like every hot-path table, so that under Citus the
-- lock lives on the product's shard and holds whichever node or instance a transaction comes
-- through. (Advisory locks, used before, live on the node that takes them.) A transaction locks
-- its products' rows by upserting them in sorted order (postgres/ProductLocks).
create table product_lock (
    product_key uuid primary key
);

-- Processed event ids are kept with the product their event names, first in the key like every
-- hot-path table, so that under Citus an id lives on its product's shard and a write with its
-- id stays on one node (docs/scale-out.md, "Event ids"). A retry carries the same body, so the
-- same product, and finds its id there; an id reused for another product is a new event.
-- Rows recorded before get the nil product: look-ups search it as well while such rows are
-- left (ProcessedEventsSql), until retention has removed them.
alter table processed_event
    add column product_key uuid not null default '00000000-0000-0000-0000-000000000000';
alter table processed_event alter column product_key drop default;
alter table processed_event drop constraint processed_event_pkey;
alter table processed_event add primary key (product_key, environment_id, family, event_id);
