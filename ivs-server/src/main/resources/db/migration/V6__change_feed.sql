-- Change feed (issue 9): one row per on-hand record changed by a transaction, written by
-- triggers in that same transaction, so no write path can commit a change without its row.
--
-- Commit order: change_id comes from a sequence when the row is inserted, which is NOT commit
-- order (a transaction holding id 5 may commit after one holding id 7). Consumers therefore never
-- read change_id. After commit, a sequencer (ChangeSequencer, one at a time across instances
-- thanks to the row lock on change_feed_state) gives every committed row without a position the
-- next positions, in one transaction. A row becomes visible to consumers only with its position,
-- and positions only ever grow, so a consumer reading "position > cursor" cannot skip a row that
-- committed late: that row simply gets a higher position than anything handed out before.
create sequence change_log_id;

create table change_log (
    product_key     uuid not null,
    change_id       bigint not null default nextval('change_log_id'),
    environment_id  text not null,
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
    recorded_at     timestamptz not null default clock_timestamp(),
    position        bigint,
    committed_at    timestamptz,
    primary key (product_key, change_id)
);
-- The sequencer's work queue: committed rows still without a position.
create index change_log_pending on change_log (change_id) where position is null;
-- Consumers read an environment's feed in position order.
create index change_log_feed on change_log (environment_id, position) where position is not null;
-- Retention deletes by position.
create index change_log_position on change_log (position) where position is not null;

-- One row: the last position handed out and the newest position removed by retention.
create table change_feed_state (
    id              integer primary key check (id = 1),
    last_position   bigint not null,
    pruned_through  bigint not null
);
insert into change_feed_state values (1, 0, 0);

create function change_log_quantities() returns trigger language plpgsql as $$
begin
    insert into change_log (product_key, environment_id, record_key, organization_id,
                            product_id, dimensions, kind, quantities)
    select r.product_key, r.environment_id, r.record_key, r.organization_id, r.product_id,
           r.dimensions, 'onhand',
           (select jsonb_object_agg(q.measure, q.quantity) from onhand_quantity q
             where q.product_key = r.product_key and q.record_key = r.record_key)
      from (select distinct product_key, record_key from changed) c
      join onhand_record r on r.product_key = c.product_key and r.record_key = c.record_key
     order by r.product_key, r.record_key;
    return null;
end $$;

create trigger change_log_quantity_insert after insert on onhand_quantity
    referencing new table as changed for each statement execute function change_log_quantities();
create trigger change_log_quantity_update after update on onhand_quantity
    referencing new table as changed for each statement execute function change_log_quantities();

create function change_log_schedule() returns trigger language plpgsql as $$
begin
    insert into change_log (product_key, environment_id, record_key, organization_id,
                            product_id, dimensions, kind, schedule)
    select r.product_key, r.environment_id, r.record_key, r.organization_id, r.product_id,
           r.dimensions, 'schedule',
           (select coalesce(jsonb_object_agg(m.measure, m.dates), '{}'::jsonb)
              from (select s.measure,
                           jsonb_object_agg(to_char(s.schedule_date, 'YYYY-MM-DD'), s.quantity)
                           as dates
                      from onhand_schedule s
                     where s.product_key = r.product_key and s.record_key = r.record_key
                     group by s.measure) m)
      from (select distinct product_key, record_key from changed) c
      join onhand_record r on r.product_key = c.product_key and r.record_key = c.record_key
     order by r.product_key, r.record_key;
    return null;
end $$;

create trigger change_log_schedule_insert after insert on onhand_schedule
    referencing new table as changed for each statement execute function change_log_schedule();
create trigger change_log_schedule_update after update on onhand_schedule
    referencing new table as changed for each statement execute function change_log_schedule();

create function change_log_deleted() returns trigger language plpgsql as $$
begin
    insert into change_log (product_key, environment_id, record_key, organization_id,
                            product_id, dimensions, kind)
    select product_key, environment_id, record_key, organization_id, product_id, dimensions,
           'deleted'
      from removed
     order by product_key, record_key;
    return null;
end $$;

create trigger change_log_record_delete after delete on onhand_record
    referencing old table as removed for each statement execute function change_log_deleted();
