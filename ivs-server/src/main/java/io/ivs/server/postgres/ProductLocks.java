package io.ivs.server.postgres;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Per-product serialisation (DESIGN D4) for every feature that checks and writes one product's
 * stock: transaction-scoped advisory locks keyed by the first 64 bits of the product key, taken
 * in sorted order. Every instance on the database sees the same locks, sorted order means two
 * transactions never wait on each other in a cycle, and a rare key collision only serialises
 * two products that did not need it.
 */
@Component
public class ProductLocks {
    /** Work inside the locked transaction, on its connection. */
    public interface LockedWork<T> {
        T run(Connection con) throws SQLException;
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public ProductLocks(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * Runs {@code work} in a transaction holding the product locks, again if PostgreSQL aborts it
     * as a deadlock victim ({@link TransactionRetry}): {@code work} must keep its state inside
     * the transaction.
     */
    public <T> T locked(SortedSet<UUID> productKeys, LockedWork<T> work) {
        return TransactionRetry.run(() ->
                tx.execute(status -> jdbc.execute((ConnectionCallback<T>) con -> {
                    lock(con, productKeys);
                    return work.run(con);
                })));
    }

    private static void lock(Connection con, SortedSet<UUID> productKeys) throws SQLException {
        SortedSet<Long> keys = new TreeSet<>();
        for (UUID key : productKeys) {
            keys.add(key.getMostSignificantBits());
        }
        try (PreparedStatement ps = con.prepareStatement("select pg_advisory_xact_lock(k)"
                + " from unnest(?::bigint[]) with ordinality as l(k, n) order by n")) {
            ps.setArray(1, con.createArrayOf("bigint", keys.toArray()));
            ps.executeQuery().close();
        }
    }
}
