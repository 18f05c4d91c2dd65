-- One bulk request of 512 on-hand changes as IVS writes it (JdbcOnHandStore's single
-- statement, which IVS uses up to 32 events; above, the same writes go as three statements in
-- one transaction), with the inventory log's lines when :LOG is replaced by its CTE, on IVS's own
-- tables: random products among 20,000, each at one of 200 warehouse records, one measure.
-- pgbench runs it; write-path.sh makes the variants.
\set b random(1, 2000000000)
with gen as (select g, 'P' || (h % 20000) as product, 'S' || ((h / 20000) % 5) as site,
                    'L' || ((h / 100000) % 10) as loc, 'C' || ((h / 1000000) % 4) as color,
                    (1 + h % 10)::numeric as qty
               from (select g, hashint8(:b::bigint * 1000 + g) & 2147483647 as h
                       from generate_series(1, 512) g) r),
input as (select 'ev-' || :client_id || '-' || :b || '-' || g as id, md5(g::text) as fp,
                 md5('product-' || product)::uuid as pk,
                 'ColorId=' || color || '|locationId=' || loc || '|siteId=' || site as rk,
                 'usmf' as org, product, 'usmf~' || product as part, site, loc,
                 jsonb_build_object('siteId', site, 'locationId', loc, 'ColorId', color)::text
                     as dims,
                 'pos.inbound' as measure, qty
            from gen),
claimed as (insert into processed_event (product_key, environment_id, family, event_id,
                                         fingerprint, partition_id)
            select pk, 'profile', 'onhand', id, fp, part
              from (select distinct on (id) id, fp, part, pk from input order by id) ids
             order by id
                on conflict do nothing returning event_id),
fresh as (select input.* from input join claimed on claimed.event_id = input.id),
records as (insert into onhand_record (product_key, record_key, environment_id, organization_id,
                                       product_id, partition_id, site_id, location_id,
                                       dimensions)
            select distinct on (pk, rk) pk, rk, 'profile', org, product, part, site, loc,
                   dims::jsonb
              from fresh order by pk, rk
                on conflict (product_key, record_key) do nothing),
quantities as (insert into onhand_quantity (product_key, record_key, measure, quantity)
               select pk, rk, measure, sum(qty) from fresh
                group by pk, rk, measure order by pk, rk, measure
                   on conflict (product_key, record_key, measure)
                   do update set quantity = onhand_quantity.quantity + excluded.quantity)
:LOG
select count(*) from claimed;
