-- Who made each configuration version: the signed-in API client (or console user) whose request
-- wrote it, as the security context names it. Versions written before this column existed, and
-- those written without a caller (start-up, tests calling the store directly), stay null.
alter table configuration_version add column created_by text;

-- Explorer queries a console user saved by name: the query's parameters as the explorer's URL
-- carries them, so that opening one runs it again. Per client (the console's user) and
-- environment; the console lists at most a bounded number of them.
create table console_saved_query (
    client_id      text not null,
    environment_id text not null,
    name           text not null,
    query          text not null,
    created_at     timestamptz not null default now(),
    primary key (client_id, environment_id, name)
);
