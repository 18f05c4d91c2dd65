-- Full syncs fed from Kafka. A Kafka producer never sees the sync id a begin answers, so it names
-- its sync itself (header ivs-sync-id); the name is kept on the sync, unique per environment and
-- data source like an event id, so that any IVS instance, before or after a restart, finds the
-- same sync for the same name, and a begin delivered twice opens nothing twice. Null for syncs
-- begun through the API.
alter table erp_sync add column producer_name text;
create unique index erp_sync_producer_name on erp_sync (environment_id, data_source, producer_name)
    where producer_name is not null;

-- The records batches a Kafka sync applied, by the SHA-256 of the message's value: a batch
-- delivered again after its sync ended is then known as a copy (and changes nothing), while a
-- new batch for an ended sync is refused. One small row per batch of up to 1,000 records; under
-- Citus a reference table, like erp_sync.
create table kafka_sync_batch (
    environment_id text not null,
    sync_id        text not null,
    body_sha256    bytea not null,
    primary key (environment_id, sync_id, body_sha256)
);
