package io.ivs.server.postgres;

/**
 * What a cache entry kept exact by PostgreSQL notifications was read under (DESIGN D4): the
 * store's change stamp, negative while changes cannot be heard, and this instance's own count of
 * changes, both read before the entry's database read.
 */
public record ChangeStamp(long store, long local) {
    /** Whether an entry read under this stamp may still be used while {@code now} is current. */
    public boolean stillValidAt(ChangeStamp now) {
        return store >= 0 && store == now.store && local == now.local;
    }
}
