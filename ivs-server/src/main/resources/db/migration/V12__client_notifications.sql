-- Every statement that changes api_client notifies channel ivs_clients, whoever runs it (IVS on
-- any instance, or an operator by hand): instances cache the clients they check on every API
-- call and drop the cache on this notification (JdbcClientStore, DESIGN D4).
create function ivs_notify_client_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('ivs_clients', '');
    return null;
end
$$;

create trigger api_client_changed
    after insert or update or delete or truncate on api_client
    for each statement execute function ivs_notify_client_change();
