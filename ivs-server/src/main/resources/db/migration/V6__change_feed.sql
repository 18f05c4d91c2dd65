-- Change feed (issue 9): one row per on-hand record changed by a transaction, written by
-- triggers in that same transaction, so no write path can commit a change without its row.
--
-- Commit order. Each writing transaction has one change_tx row (per environment) counting its
-- change rows; each change row has its ordinal within the transaction. Nothing numbers a
-- transaction while it runs. After commit, a sequencer (ChangeSequencer; one at a time across
-- instances thanks to the row lock on change_feed_state) gives every committed transaction
-- without positions the next range of positions: first_position .. last_position, one per
-- change row (position = first_position + ordinal). Positions become visible to consumers only
-- with the commit of the sequencer, and always above every position handed out before, so a
-- consumer reading "position > cursor" cannot skip a transaction that committed late: it simply
-- gets higher positions. Within one sequencer batch, transactions are ordered by last_seq, taken
-- from a sequence by each statement: a transaction that waited for another's row lock takes its
-- value after the other committed, so two changes of one record keep their order.
-- The sequencer writes one row per transaction, never one per change row.
--
-- Keyed by (environment, transaction id), not by product: the feed is one ordered log per
-- environment. Under Citus these two tables stay on the coordinator (local tables); the hot-path
-- tables keep their product key.
create sequence change_seq;

create table change_tx (
    environment_id text not null,
    xid            xid8 not null,
    rows           integer not null,
    last_seq       bigint not null,
    first_position bigint,
    last_position  bigint,
    committed_at   timestamptz,
    primary key (environment_id, xid)
);
-- The sequencer's work queue: committed transactions still without positions.
create index change_tx_pending on change_tx (last_seq) where first_position is null;
-- Consumers read an environment's feed in position order.
create index change_tx_feed on change_tx (environment_id, last_position)
    where last_position is not null;
-- Retention removes the oldest first.
create index change_tx_position on change_tx (last_position) where last_position is not null;

create table change_log (
    environment_id  text not null,
    xid             xid8 not null,
    ordinal         integer not null,
    product_key     uuid not null,
    record_key      text not null,
    organization_id text not null,
    product_id      text not null,
    dimensions      jsonb not null,
    -- 'onhand': quantities holds every physical value of the record after the change
    -- 'schedule': schedule holds the record's whole change schedule after the change
    -- 'deleted': the record was deleted (partition or environment data clean-up)
    kind            text not null,
    quantities      jsonb,
    schedule        jsonb,
    primary key (environment_id, xid, ordinal)
);

-- One row: the last position handed out and the newest position removed by retention (over all
-- environments).
create table change_feed_state (
    id              integer primary key check (id = 1),
    last_position   bigint not null,
    pruned_through  bigint not null
);
insert into change_feed_state values (1, 0, 0);

-- Per environment, the newest position removed by retention: a cursor of that environment below
-- it has missed changes (410). An environment with nothing removed has no row.
create table change_feed_pruned (
    environment_id text primary key,
    pruned_through bigint not null
);

create function change_log_quantities() returns trigger language plpgsql as $$
begin
    -- An upsert fires both the insert and the update trigger; one of them usually has no rows.
    if not exists (select 1 from changed) then
        return null;
    end if;
    with touched as (
        select r.environment_id, r.product_key, r.record_key, r.organization_id, r.product_id,
               r.dimensions,
               (select jsonb_object_agg(q.measure, q.quantity) from onhand_quantity q
                 where q.product_key = r.product_key and q.record_key = r.record_key) as quantities,
               row_number() over (partition by r.environment_id
                                  order by r.product_key, r.record_key) as k
          from (select distinct product_key, record_key from changed) c
          join onhand_record r on r.product_key = c.product_key and r.record_key = c.record_key),
    counts as (select environment_id, count(*)::integer as n from touched group by environment_id),
    tx as (insert into change_tx (environment_id, xid, rows, last_seq)
           select environment_id, pg_current_xact_id(), n, nextval('change_seq') from counts
           on conflict (environment_id, xid) do update
               set rows = change_tx.rows + excluded.rows, last_seq = excluded.last_seq
           returning environment_id, xid, rows)
    insert into change_log (environment_id, xid, ordinal, product_key, record_key,
                            organization_id, product_id, dimensions, kind, quantities)
    select t.environment_id, tx.xid, tx.rows - counts.n + t.k - 1, t.product_key, t.record_key,
           t.organization_id, t.product_id, t.dimensions, 'onhand', t.quantities
      from touched t
      join counts on counts.environment_id = t.environment_id
      join tx on tx.environment_id = t.environment_id;
    return null;
end $$;

create trigger change_log_quantity_insert after insert on onhand_quantity
    referencing new table as changed for each statement execute function change_log_quantities();
create trigger change_log_quantity_update after update on onhand_quantity
    referencing new table as changed for each statement execute function change_log_quantities();

create function change_log_schedule() returns trigger language plpgsql as $$
begin
    -- An upsert fires both the insert and the update trigger; one of them usually has no rows.
    if not exists (select 1 from changed) then
        return null;
    end if;
    with touched as (
        select r.environment_id, r.product_key, r.record_key, r.organization_id, r.product_id,
               r.dimensions,
               (select coalesce(jsonb_object_agg(m.measure, m.dates), '{}'::jsonb)
                  from (select s.measure,
                               jsonb_object_agg(to_char(s.schedule_date, 'YYYY-MM-DD'),
                                                s.quantity) as dates
                          from onhand_schedule s
                         where s.product_key = r.product_key and s.record_key = r.record_key
                         group by s.measure) m) as schedule,
               row_number() over (partition by r.environment_id
                                  order by r.product_key, r.record_key) as k
          from (select distinct product_key, record_key from changed) c
          join onhand_record r on r.product_key = c.product_key and r.record_key = c.record_key),
    counts as (select environment_id, count(*)::integer as n from touched group by environment_id),
    tx as (insert into change_tx (environment_id, xid, rows, last_seq)
           select environment_id, pg_current_xact_id(), n, nextval('change_seq') from counts
           on conflict (environment_id, xid) do update
               set rows = change_tx.rows + excluded.rows, last_seq = excluded.last_seq
           returning environment_id, xid, rows)
    insert into change_log (environment_id, xid, ordinal, product_key, record_key,
                            organization_id, product_id, dimensions, kind, schedule)
    select t.environment_id, tx.xid, tx.rows - counts.n + t.k - 1, t.product_key, t.record_key,
           t.organization_id, t.product_id, t.dimensions, 'schedule', t.schedule
      from touched t
      join counts on counts.environment_id = t.environment_id
      join tx on tx.environment_id = t.environment_id;
    return null;
end $$;

create trigger change_log_schedule_insert after insert on onhand_schedule
    referencing new table as changed for each statement execute function change_log_schedule();
create trigger change_log_schedule_update after update on onhand_schedule
    referencing new table as changed for each statement execute function change_log_schedule();

create function change_log_deleted() returns trigger language plpgsql as $$
begin
    -- An upsert fires both the insert and the update trigger; one of them usually has no rows.
    if not exists (select 1 from removed) then
        return null;
    end if;
    with touched as (
        select environment_id, product_key, record_key, organization_id, product_id, dimensions,
               row_number() over (partition by environment_id
                                  order by product_key, record_key) as k
          from removed),
    counts as (select environment_id, count(*)::integer as n from touched group by environment_id),
    tx as (insert into change_tx (environment_id, xid, rows, last_seq)
           select environment_id, pg_current_xact_id(), n, nextval('change_seq') from counts
           on conflict (environment_id, xid) do update
               set rows = change_tx.rows + excluded.rows, last_seq = excluded.last_seq
           returning environment_id, xid, rows)
    insert into change_log (environment_id, xid, ordinal, product_key, record_key,
                            organization_id, product_id, dimensions, kind)
    select t.environment_id, tx.xid, tx.rows - counts.n + t.k - 1, t.product_key, t.record_key,
           t.organization_id, t.product_id, t.dimensions, 'deleted'
      from touched t
      join counts on counts.environment_id = t.environment_id
      join tx on tx.environment_id = t.environment_id;
    return null;
end $$;

create trigger change_log_record_delete after delete on onhand_record
    referencing old table as removed for each statement execute function change_log_deleted();
