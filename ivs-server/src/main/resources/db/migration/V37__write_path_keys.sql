-- Keys that let a write append instead of touching a random page (docs/performance.md, "The
-- write path against the reference schema (2026-12-07)").
--
-- A B-tree whose key starts with a random product key takes each new row on a random leaf
-- page: under a steady stream of new rows nearly every insert dirties a page of its own, and
-- the first change of a page after a checkpoint writes the whole page to the WAL. A 512-event
-- request wrote 1.8 MB of WAL for its event ids and 2.4 MB for its inventory-log lines, most of
-- it such page images. Citus needs the product key in every unique key (the tables are
-- distributed by it), not first; so these keys keep it, last.

-- A hold note's change row is the one its transaction wrote last for the record (V33): it is
-- now found among the rows written since shortly before the transaction began, through the
-- index by time below, instead of through a key that started with the product. (Rows the
-- transaction wrote are never older than its start; the minute's margin covers a clock that
-- stepped back.) It comes first: under Citus a function cannot be replaced in a transaction
-- after a parallel command on a distributed table, such as the key changes below.
create or replace function hold_release_change() returns trigger language plpgsql as $$
begin
    select max(seq) into new.change_seq from feed_change
     where product_key = new.product_key and record_key = new.record_key
       and position is null and written_at >= now() - interval '1 minute';
    return new;
end $$;

-- Event ids: looked up by environment, family and id (and the product, which routes the
-- look-up under Citus). Ids a client sends in order (a counter, a time-ordered id) now append.
alter table processed_event drop constraint processed_event_pkey;
alter table processed_event add primary key (environment_id, family, event_id, product_key);

-- Inventory-log lines: numbered by an identity; read through inventory_log_by_product and
-- inventory_log_by_time, never by this key.
alter table inventory_log drop constraint inventory_log_pkey;
alter table inventory_log add primary key (log_id, product_key);

-- The change feed's rows, keyed by seq first: a new row and the new version the sequencer
-- writes when it gives the row its position both land at the right edge of the key.
alter table feed_change drop constraint feed_change_pkey;
alter table feed_change add primary key (seq, product_key);

-- The rows waiting for a position. The sequencer reads them oldest first (by time of writing)
-- and then, on each node, as a range of seq; V33's index (product_key, seq) served neither, so
-- every step read and sorted the whole backlog (a step of 1,000 rows took 0.8 s with 256,000
-- waiting, and under a steady bulk load the backlog grew), and it took each new row on a random
-- page. Both new keys grow with time.
drop index feed_change_pending;
create index feed_change_pending on feed_change (seq) where position is null;
create index feed_change_pending_by_time on feed_change (written_at, seq)
    where position is null;
