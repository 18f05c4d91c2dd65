-- The change feed's triggers on one PostgreSQL (not on a Citus shard) write all the records of
-- a statement with one insert ... select, as V6's did. V33's triggers read the records through
-- a product list (product_key = any(...)) in every statement, which Citus needs to keep a
-- trigger's statements on its own shard; on one PostgreSQL that list holds every product of the
-- statement and is checked for every quantity row read: a 200,000-row import ran at 0.69 times
-- the speed it had without the triggers, against 0.92 with V6's (docs/performance.md, "The
-- change feed by product on the write path"). On a shard the functions do what V33's did.
create or replace function change_log_quantities() returns trigger language plpgsql as $$
declare
    on_shard boolean := tg_table_name ~ '_[0-9]+$';
    g record;
    rows_ record;
begin
    -- An upsert fires both the insert and the update trigger; one of them usually has no rows.
    -- One PostgreSQL: one statement for all the records, without the product list that lets
    -- Citus keep a trigger's statements on its shard (below). That list is a filter evaluated
    -- for every quantity row read, which made a 512-record statement's read 3.7 times slower.
    if not on_shard then
        insert into feed_change (product_key, environment_id, record_key, organization_id,
                                 product_id, dimensions, kind, quantities)
        select r.product_key, r.environment_id, r.record_key, r.organization_id, r.product_id,
               r.dimensions, 'onhand',
               (select jsonb_object_agg(q.measure, q.quantity) from onhand_quantity q
                 where q.product_key = r.product_key and q.record_key = r.record_key)
          from (select distinct product_key, record_key from changed) k
          join onhand_record r on r.product_key = k.product_key and r.record_key = k.record_key
         order by r.product_key, r.record_key;
        return null;
    end if;
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
    -- One PostgreSQL: one statement for all the records (see change_log_quantities).
    if not on_shard then
        insert into feed_change (product_key, environment_id, record_key, organization_id,
                                 product_id, dimensions, kind, schedule)
        select r.product_key, r.environment_id, r.record_key, r.organization_id, r.product_id,
               r.dimensions, 'schedule',
               (select coalesce(jsonb_object_agg(m.measure, m.dates), '{}'::jsonb)
                  from (select s.measure,
                               jsonb_object_agg(to_char(s.schedule_date, 'YYYY-MM-DD'),
                                                s.quantity) as dates
                          from onhand_schedule s
                         where s.product_key = r.product_key and s.record_key = r.record_key
                         group by s.measure) m)
          from (select distinct product_key, record_key from changed) k
          join onhand_record r on r.product_key = k.product_key and r.record_key = k.record_key
         order by r.product_key, r.record_key;
        return null;
    end if;
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
