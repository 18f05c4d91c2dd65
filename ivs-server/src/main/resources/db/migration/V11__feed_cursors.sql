-- Where IVS's own consumers of the change feed have read to, per environment (issue 9): the
-- immediate summary refresh today. A consumer holds its row locked while it processes a page
-- and moves the position in the same transaction, so a page is processed exactly once even with
-- several instances (the others skip a locked row).
create table feed_cursor (
    consumer       text not null,
    environment_id text not null,
    position       bigint not null,
    updated_at     timestamptz not null default now(),
    primary key (consumer, environment_id)
);
