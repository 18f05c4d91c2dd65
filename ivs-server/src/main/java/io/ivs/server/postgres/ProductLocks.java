package io.ivs.server.postgres;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.SortedSet;
import java.util.UUID;

/**
 * Per-product serialisation (DESIGN D4) for every feature that checks and writes one product's
 * stock: the transaction locks each product's {@code product_lock} row (migration V34) by
 * upserting it, in sorted order. The row lives with the product's other rows (on its shard
 * under Citus), so the lock holds for every instance and whichever node a transaction comes
 * through, which an advisory lock (held by the node that takes it) would not; sorted order
 * means two transactions never wait on each other in a cycle.
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

    /**
     * One statement per product, each touching one row (a single-shard statement under Citus),
     * sent as one batch. The update of an existing row changes no indexed value, so it stays a
     * heap-only update that page pruning cleans up.
     */
    static void lock(Connection con, SortedSet<UUID> productKeys) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("insert into product_lock"
                + " (product_key) values (?) on conflict (product_key)"
                + " do update set product_key = excluded.product_key")) {
            for (UUID key : productKeys) {
                ps.setObject(1, key);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
