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
