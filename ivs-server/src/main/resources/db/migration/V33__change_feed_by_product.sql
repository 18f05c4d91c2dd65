-- The change feed, kept with the products it describes (docs/scale-out.md, "The change feed").
--
-- V6 wrote one change_tx row per transaction and environment and numbered change rows inside
-- it. Under Citus the hot-path tables are distributed by product_key and their triggers run on
-- the workers' shards, where a table keyed by transaction does not exist. A change row is now
-- keyed like the record it describes, (product_key, seq), so the trigger that writes it writes
-- the shard it runs on, and nothing on the write path is shared between products.
--
-- Order. seq comes from change_seq, taken by the statement that changed the record, after that
-- statement locked the record's rows: a transaction that waited for another's row lock takes
-- its value after the other committed, so the changes of one record are in commit order by seq.
-- (Under Citus every node draws from its own range of change_seq, the node in the top 16 bits;
-- the rows of one product live on one node, so its changes compare by seq all the same.)
--
-- Positions. After commit, the sequencer (ChangeSequencer; one at a time) gives committed rows
-- without a position the next positions, ordered by seq within a node, and then publishes the
-- highest position whose rows are all visible (change_feed_state.visible_through). Consumers read
-- "position > cursor and position <= visible_through", so a change that commits late gets a
-- position above every cursor instead of being skipped, and a reader never sees a position
-- before every row below it is visible on every node.
create table feed_change (
    product_key     uuid not null,
    seq             bigint not null default nextval('change_seq'),
    environment_id  text not null,
    -- When the change was written (the node's clock): interleaves the nodes in a sequencer step.
    written_at      timestamptz not null default clock_timestamp(),
    -- Null until the sequencer gives the committed row its position.
    position        bigint,
    committed_at    timestamptz,
    record_key      text not null,
    organization_id text not null,
    product_id      text not null,
    dimensions      jsonb not null,
    -- 'onhand': quantities holds every physical value of the record after the change
    -- 'schedule': schedule holds the record's whole change schedule after the change
    -- 'deleted': the record was deleted (partition or environment data clean-up)
    -- 'alert': a stock alert (record_key 'alert:<rule>'), written by the alert evaluator
    kind            text not null,
    quantities      jsonb,
    schedule        jsonb,
    alert           jsonb,
    primary key (product_key, seq)
);
-- The sequencer's work queue (and the hold notes' look-up): committed rows still without one.
create index feed_change_pending on feed_change (product_key, seq) where position is null;
-- Consumers read an environment's feed in position order.
create index feed_change_feed on feed_change (environment_id, position)
    where position is not null;
-- Retention removes the oldest first.
create index feed_change_position on feed_change (position) where position is not null;

-- The rows of V6's tables keep their positions (consumers' cursors point into them); rows not
-- yet sequenced get theirs from the sequencer, in their order of writing.
insert into feed_change (product_key, seq, environment_id, written_at, position, committed_at,
                         record_key, organization_id, product_id, dimensions, kind, quantities,
                         schedule, alert)
select c.product_key, nextval('change_seq'), c.environment_id, coalesce(t.committed_at, now()),
       t.first_position + c.ordinal, t.committed_at, c.record_key, c.organization_id,
       c.product_id, c.dimensions, c.kind, c.quantities, c.schedule, c.alert
  from change_log c
  join change_tx t on t.environment_id = c.environment_id and t.xid = c.xid
 order by t.first_position nulls last, t.last_seq, c.ordinal;

-- The highest position whose rows are all committed on every node; readers stop there.
alter table change_feed_state add column visible_through bigint;
update change_feed_state set visible_through = last_position;
alter table change_feed_state alter column visible_through set not null;

-- A hold note points at the change row its release wrote (same product, same record), filled
-- in by a trigger from the row this transaction wrote last for the record: the release's
-- quantities were applied just before, and the record stays locked until commit.
alter table hold_release add column change_seq bigint;

create function hold_release_change() returns trigger language plpgsql as $$
begin
    select max(seq) into new.change_seq from feed_change
     where product_key = new.product_key and record_key = new.record_key
       and position is null;
    return new;
end $$;

create trigger hold_release_change before insert on hold_release
    for each row execute function hold_release_change();

-- The triggers of V6 keep their names and tables; their functions now write feed_change. Each
-- reads what it needs into arrays first and inserts from those, one group of products at a time:
-- all of them on plain PostgreSQL, one product at a time when the trigger runs on a Citus shard
-- (its table's name then ends in the shard id). There, every statement must name the products it
-- reads (product_key = any(...)) so that Citus can run it on this shard alone: a query that might
-- reach another node cannot run inside a query on a shard.
create or replace function change_log_quantities() returns trigger language plpgsql as $$
declare
    on_shard boolean := tg_table_name ~ '_[0-9]+$';
    g record;
    rows_ record;
begin
    -- An upsert fires both the insert and the update trigger; one of them usually has no rows.
    for g in select array_agg(product_key order by product_key, record_key) as keys,
                    array_agg(record_key order by product_key, record_key) as records
               from (select distinct product_key, record_key from changed) c
              group by case when on_shard then product_key end loop
        select array_agg(r.product_key order by r.product_key, r.record_key) as keys,
               array_agg(r.environment_id order by r.product_key, r.record_key) as envs,
               array_agg(r.record_key order by r.product_key, r.record_key) as records,
               array_agg(r.organization_id order by r.product_key, r.record_key) as orgs,
               array_agg(r.product_id order by r.product_key, r.record_key) as products,
               array_agg(r.dimensions order by r.product_key, r.record_key) as dims,
               array_agg((select jsonb_object_agg(q.measure, q.quantity) from onhand_quantity q
                           where q.product_key = any(g.keys) and q.product_key = r.product_key
                             and q.record_key = r.record_key)
                         order by r.product_key, r.record_key) as quantities
          into rows_
          from unnest(g.keys, g.records) k(product_key, record_key)
          join onhand_record r on r.product_key = k.product_key and r.record_key = k.record_key
         where r.product_key = any(g.keys);
        insert into feed_change (product_key, environment_id, record_key, organization_id,
                                 product_id, dimensions, kind, quantities)
        select k, e, rk, o, p, d, 'onhand', q
          from unnest(rows_.keys, rows_.envs, rows_.records, rows_.orgs, rows_.products,
                      rows_.dims, rows_.quantities) u(k, e, rk, o, p, d, q);
    end loop;
    return null;
end $$;

create or replace function change_log_schedule() returns trigger language plpgsql as $$
declare
    on_shard boolean := tg_table_name ~ '_[0-9]+$';
    g record;
    rows_ record;
begin
    -- An upsert fires both the insert and the update trigger; one of them usually has no rows.
    for g in select array_agg(product_key order by product_key, record_key) as keys,
                    array_agg(record_key order by product_key, record_key) as records
               from (select distinct product_key, record_key from changed) c
              group by case when on_shard then product_key end loop
        select array_agg(r.product_key order by r.product_key, r.record_key) as keys,
               array_agg(r.environment_id order by r.product_key, r.record_key) as envs,
               array_agg(r.record_key order by r.product_key, r.record_key) as records,
               array_agg(r.organization_id order by r.product_key, r.record_key) as orgs,
               array_agg(r.product_id order by r.product_key, r.record_key) as products,
               array_agg(r.dimensions order by r.product_key, r.record_key) as dims,
               array_agg((select coalesce(jsonb_object_agg(m.measure, m.dates), '{}'::jsonb)
                            from (select s.measure,
                                         jsonb_object_agg(to_char(s.schedule_date, 'YYYY-MM-DD'),
                                                          s.quantity) as dates
                                    from onhand_schedule s
                                   where s.product_key = any(g.keys)
                                     and s.product_key = r.product_key
                                     and s.record_key = r.record_key
                                   group by s.measure) m)
                         order by r.product_key, r.record_key) as schedules
          into rows_
          from unnest(g.keys, g.records) k(product_key, record_key)
          join onhand_record r on r.product_key = k.product_key and r.record_key = k.record_key
         where r.product_key = any(g.keys);
        insert into feed_change (product_key, environment_id, record_key, organization_id,
                                 product_id, dimensions, kind, schedule)
        select k, e, rk, o, p, d, 'schedule', s
          from unnest(rows_.keys, rows_.envs, rows_.records, rows_.orgs, rows_.products,
                      rows_.dims, rows_.schedules) u(k, e, rk, o, p, d, s);
    end loop;
    return null;
end $$;

create or replace function change_log_deleted() returns trigger language plpgsql as $$
declare
    on_shard boolean := tg_table_name ~ '_[0-9]+$';
    g record;
begin
    for g in select array_agg(product_key order by product_key, record_key) as keys,
                    array_agg(environment_id order by product_key, record_key) as envs,
                    array_agg(record_key order by product_key, record_key) as records,
                    array_agg(organization_id order by product_key, record_key) as orgs,
                    array_agg(product_id order by product_key, record_key) as products,
                    array_agg(dimensions order by product_key, record_key) as dims
               from removed
              group by case when on_shard then product_key end loop
        insert into feed_change (product_key, environment_id, record_key, organization_id,
                                 product_id, dimensions, kind)
        select k, e, rk, o, p, d, 'deleted'
          from unnest(g.keys, g.envs, g.records, g.orgs, g.products, g.dims)
               u(k, e, rk, o, p, d);
    end loop;
    return null;
end $$;

drop table change_log;
drop table change_tx;
