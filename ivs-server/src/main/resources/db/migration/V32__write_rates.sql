-- Per-minute counts behind the console's rate charts, shared by every instance and kept only
-- for a few hours (the code deletes older minutes as it writes new ones).
--
-- Accepted events per environment, write family and minute, counted once from processed_event
-- (through its index processed_event_age) when a minute has ended, so that a page showing the
-- last hour reads at most sixty rows per family instead of every event of the hour. The
-- watermark says up to where an environment's minutes are counted; a minute without events has
-- no row. Small and off the write path: under Citus both stay on the coordinator.
create table event_minute (
    environment_id text not null,
    minute         timestamptz not null,
    family         text not null,
    events         bigint not null,
    primary key (environment_id, minute, family)
);

create table event_minute_watermark (
    environment_id text primary key,
    counted_until  timestamptz not null
);

-- Refused items (they claim no event id, so processed_event does not know them) per minute and
-- rejection reason, over all environments: each instance adds what its counters gained since
-- its last flush, once a minute, so the figures are those of every instance.
create table refused_item_minute (
    minute  timestamptz not null,
    reason  text not null,
    items   bigint not null,
    primary key (minute, reason)
);
