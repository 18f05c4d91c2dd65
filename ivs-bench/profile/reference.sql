-- The same 512 changes on the reference schema (ivs-bench's ReferenceCeiling): one idempotency
-- insert per event and one upsert per (record, measure), in one statement.
\set b random(1, 2000000000)
with gen as (select g, 'P' || (h % 20000) as product, 'S' || ((h / 20000) % 5) as site,
                    'L' || ((h / 100000) % 10) as loc, 'C' || ((h / 1000000) % 4) as color,
                    (1 + h % 10)::numeric as qty
               from (select g, hashint8(:b::bigint * 1000 + g) & 2147483647 as h
                       from generate_series(1, 512) g) r),
input as (select 'ev-' || :client_id || '-' || :b || '-' || g as id,
                 md5('product-' || product)::uuid as pk,
                 'ColorId=' || color || '|locationId=' || loc || '|siteId=' || site as rk,
                 'pos.inbound' as measure, qty
            from gen),
seen as (insert into ref.seen_event (event_id)
         select id from input order by id on conflict do nothing),
up as (insert into ref.stock (product_key, record_key, measure, quantity)
       select pk, rk, measure, sum(qty) from input group by pk, rk, measure order by 1, 2, 3
           on conflict (product_key, record_key, measure)
           do update set quantity = ref.stock.quantity + excluded.quantity)
select 1;
