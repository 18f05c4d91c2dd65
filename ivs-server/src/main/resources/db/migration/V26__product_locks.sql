-- Per-product serialisation of reservations and allocation (DESIGN D4) by a row lock: one row
-- per product that was ever locked, keyed like every hot-path table, so that under Citus the
-- lock lives on the product's shard and holds whichever node or instance a transaction comes
-- through. (Advisory locks, used before, live on the node that takes them.) A transaction locks
-- its products' rows by upserting them in sorted order (postgres/ProductLocks).
create table product_lock (
    product_key uuid primary key
);
