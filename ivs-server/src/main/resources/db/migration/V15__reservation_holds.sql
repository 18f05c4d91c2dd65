-- Holds that expire (docs/api-notes.md, "Holds that expire"): a reservation with an expiry is a
-- hold; when the expiry passes, the sweeper (or the next reservation transaction on the product)
-- releases what it still holds, once, and clears the expiry. Null: the reservation does not
-- expire (reserved without a hold, or confirmed). Kept in PostgreSQL so that a hold survives a
-- restart or a crash of every instance.
alter table reservation add column expires_at timestamptz;

-- The sweeper's work queue: holds soonest first. Partial, so reservations without an expiry
-- (the common case) cost writes nothing here.
create index reservation_hold_due on reservation (expires_at) where expires_at is not null;

-- Every reservation transaction first releases the lapsed holds of the products it locks: one
-- probe per product into this index, which holds hold rows only.
create index reservation_hold_product on reservation (product_key, expires_at)
    where expires_at is not null;

-- The holds each transaction released, keyed like change_tx (environment, transaction id), so
-- that the console can mark the change-feed rows of a lapse apart from a client's unreserve.
-- Like the change feed's own tables it stays on the coordinator under Citus. The sweeper
-- removes rows after a week, about as long as a console shows them.
create table hold_release (
    environment_id text not null,
    xid            xid8 not null default pg_current_xact_id(),
    product_key    uuid not null,
    record_key     text not null,
    reservation_id text not null,
    expires_at     timestamptz not null,
    released       numeric not null,
    released_at    timestamptz not null default now(),
    primary key (environment_id, xid, product_key, reservation_id)
);
create index hold_release_age on hold_release (released_at);
