package io.ivs.server.security;

import io.ivs.server.postgres.ChangeStamp;
import io.ivs.server.postgres.ConfigurationChangeListener;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API clients in table {@code api_client}; grants and roles are text arrays.
 *
 * <p>{@link #find} is on every API call (the caller's client is checked each time), so found
 * clients are cached the way configurations are: an entry is used only while the change stamp of
 * {@link ConfigurationChangeListener}, read before the entry was, is unchanged. Every statement
 * that changes {@code api_client} — through IVS on any instance, or by hand — sends {@code NOTIFY
 * ivs_clients} from a trigger (V12), which changes the stamp; this instance's own writes also
 * change a local stamp as soon as they return. So a revoked client is refused by the next call on
 * this instance, and on the others once the notification is delivered (well under a millisecond
 * on a live connection); without a listening connection nothing is cached (DESIGN D4).
 */
@Repository
public class JdbcClientStore implements ClientStore {
    /** More distinct clients than this in the cache empties it (they are few in practice). */
    static final int CACHED_CLIENTS_MAX = 10_000;

    private static final String COLUMNS = "client_id, secret_hash, issuer, environments, roles,"
            + " description, created_at, revoked_at";

    private static final RowMapper<ClientRecord> CLIENT = (rs, n) -> new ClientRecord(
            rs.getString("client_id"),
            rs.getString("secret_hash"),
            rs.getString("issuer"),
            List.of(strings(rs.getArray("environments"))),
            roles(strings(rs.getArray("roles"))),
            rs.getString("description"),
            rs.getTimestamp("created_at").toInstant(),
            instant(rs.getTimestamp("revoked_at")));

    private final JdbcClient jdbc;
    private final ConfigurationChangeListener changes;
    private final AtomicLong localChanges = new AtomicLong();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** A look-up's answer and the stamps that were current before it was read. */
    private record Cached(ChangeStamp stamp, Optional<ClientRecord> client) {}

    public JdbcClientStore(JdbcClient jdbc, ConfigurationChangeListener changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    private <T> T changed(T result) {
        localChanges.incrementAndGet();
        return result;
    }

    @Override
    public boolean create(ClientRecord client) {
        return changed(
                jdbc.sql("insert into api_client (client_id, secret_hash, issuer, environments,"
                                        + " roles, description, created_at)"
                                        + " values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
                                // One at a time: a client has either a secret or an issuer, and
                                // only param takes a null.
                                .param(client.clientId())
                                .param(client.secretHash())
                                .param(client.issuer())
                                .param(client.environments().toArray(String[]::new))
                                .param(roleNames(client.roles()))
                                .param(client.description())
                                .param(Timestamp.from(client.createdAt()))
                                .update()
                        == 1);
    }

    @Override
    public Optional<ClientRecord> find(String clientId) {
        // Read the stamps first: a change committed from here on makes this entry stale.
        ChangeStamp now = new ChangeStamp(changes.stamp(), localChanges.get());
        Cached cached = cache.get(clientId);
        if (cached != null && cached.stamp().stillValidAt(now)) {
            return cached.client();
        }
        Optional<ClientRecord> found = jdbc.sql(
                        "select " + COLUMNS + " from api_client where client_id = ?")
                .param(clientId)
                .query(CLIENT)
                .optional();
        if (now.store() >= 0) {
            if (cache.size() >= CACHED_CLIENTS_MAX) {
                cache.clear();
            }
            cache.put(clientId, new Cached(now, found));
        }
        return found;
    }

    @Override
    public List<ClientRecord> list(int limit) {
        return jdbc.sql("select " + COLUMNS + " from api_client order by client_id limit ?")
                .param(limit)
                .query(CLIENT)
                .list();
    }

    @Override
    public boolean revoke(String clientId, Instant at) {
        return changed(jdbc.sql("update api_client set revoked_at = ?"
                                + " where client_id = ? and revoked_at is null")
                        .params(Timestamp.from(at), clientId)
                        .update()
                == 1);
    }

    @Override
    public void saveBootstrap(ClientRecord client) {
        changed(jdbc.sql("insert into api_client (client_id, secret_hash, issuer,"
                        + " environments, roles, description, created_at)"
                        + " values (?, ?, null, ?, ?, ?, ?)"
                        + " on conflict (client_id) do update set"
                        + " secret_hash = excluded.secret_hash, issuer = null,"
                        + " environments = excluded.environments, roles = excluded.roles,"
                        + " description = excluded.description, revoked_at = null")
                .params(
                        client.clientId(),
                        secretOf(client),
                        client.environments().toArray(String[]::new),
                        roleNames(client.roles()),
                        client.description(),
                        Timestamp.from(client.createdAt()))
                .update());
    }

    @Override
    public boolean anyActiveAdministrator() {
        return Boolean.TRUE.equals(jdbc.sql("select exists (select 1 from api_client"
                        + " where revoked_at is null and ? = any (environments)"
                        + " and ? = any (roles))")
                .params(ClientRecord.ALL_ENVIRONMENTS, Role.CONFIG_ADMIN.wireName())
                .query(Boolean.class)
                .single());
    }

    /** The bootstrap client signs in with a secret; it never has an issuer. */
    private static String secretOf(ClientRecord client) {
        String secretHash = client.secretHash();
        if (secretHash == null) {
            throw new IllegalArgumentException("the bootstrap client needs a secret");
        }
        return secretHash;
    }

    private static String[] roleNames(Set<Role> roles) {
        return roles.stream().map(Role::wireName).sorted().toArray(String[]::new);
    }

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }

    /** Roles by name; a name this version does not know (written by a newer one) is skipped. */
    private static Set<Role> roles(String[] names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            Role.parse(name).ifPresent(roles::add);
        }
        return roles;
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
