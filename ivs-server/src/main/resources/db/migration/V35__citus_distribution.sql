-- Distributed mode (DESIGN D5, docs/scale-out.md): on a Citus coordinator, the hot-path tables
-- are distributed by product_key, all colocated with onhand_record, so that every row of one
-- product lives on one shard and every write, check and per-product query touches that shard;
-- configuration, client and key tables become reference tables (a copy on every node); the
-- tables of IVS's own bookkeeping stay on the coordinator. On plain PostgreSQL this does
-- nothing. The setting ivs.database.citus (placeholder citus) chooses: auto (distribute when
-- the citus extension is installed), true (require it), false (stay single-node).
do $$
declare
    mode text := lower('${citus}');
    has_citus boolean := exists (select 1 from pg_extension where extname = 'citus');
    t text;
    fk name;
begin
    if mode = 'true' and not has_citus then
        raise exception 'ivs.database.citus=true but the citus extension is not installed'
            ' in this database (create extension citus)';
    end if;
    if mode = 'false' or not has_citus then
        return;
    end if;
    -- Citus refuses tables with triggers unless told that the triggers only touch the shard
    -- group they run on, which the change-feed and hold-note triggers do (V33).
    perform set_config('citus.enable_unsafe_triggers', 'on', true);
    -- Distributing in one transaction several tables that reference each other needs the
    -- commands run one connection at a time.
    perform set_config('citus.multi_shard_modify_mode', 'sequential', true);

    -- The summary's refresh lease stays a plain coordinator table: its upserts use now(), which
    -- Citus refuses in a reference or Citus-managed table, and a local table that references a
    -- reference table becomes Citus-managed. So it loses its foreign key: the row of a deleted
    -- environment stays behind (a lease and a time, read by nobody).
    select conname into fk from pg_constraint
     where conrelid = 'summary_refresh'::regclass and contype = 'f';
    if fk is not null then
        execute format('alter table summary_refresh drop constraint %I', fk);
    end if;

    -- Reference tables: small, read on every request, joined with anything. (api_client stays
    -- on the coordinator: its trigger notifies the instances, and Citus cannot prepare a
    -- transaction that notified, which every write to a reference table needs.) The tables
    -- with a foreign key to environment and no product key (adjustment, inventory_log_report
    -- and, by its key, inventory_log_report_line) become Citus-managed tables on the
    -- coordinator; every other table stays a plain coordinator table.
    foreach t in array array['environment', 'configuration_version', 'signing_key',
                             'alert_rule'] loop
        perform create_reference_table(t);
    end loop;

    -- The hot path, by product: records first, everything else colocated with them, so that
    -- a product's stock, ledgers, buckets, change rows, lock, event ids, log lines, sync notes
    -- and catalogue entry share one shard group (product before product_attribute, whose
    -- foreign key needs its target distributed first).
    perform create_distributed_table('onhand_record', 'product_key');
    foreach t in array array['onhand_quantity', 'onhand_schedule', 'reservation',
                             'allocation_bucket', 'inventory_summary', 'onhand_preload',
                             'alert_state', 'hold_release', 'feed_change', 'product_lock',
                             'processed_event', 'inventory_log', 'sync_mention', 'product',
                             'product_attribute'] loop
        perform create_distributed_table(t, 'product_key', colocate_with => 'onhand_record');
    end loop;
end $$;
