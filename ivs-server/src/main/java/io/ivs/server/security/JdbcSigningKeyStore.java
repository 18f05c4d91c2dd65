package io.ivs.server.security;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Signing keys in table {@code signing_key}. */
@Repository
public class JdbcSigningKeyStore implements SigningKeyStore {
    private static final String COLUMNS =
            "kid, algorithm, jwk, created_at, retired_at, verify_until";
    /** Serialises key changes across instances; released when the transaction ends. */
    private static final String LOCK = "select pg_advisory_xact_lock(hashtext('ivs.signing_key'))";

    private static final RowMapper<StoredKey> KEY = (rs, n) -> new StoredKey(
            rs.getString("kid"),
            rs.getString("algorithm"),
            rs.getString("jwk"),
            rs.getTimestamp("created_at").toInstant(),
            instant(rs.getTimestamp("retired_at")),
            instant(rs.getTimestamp("verify_until")));

    private final JdbcClient jdbc;

    public JdbcSigningKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<StoredKey> signing() {
        return jdbc.sql("select " + COLUMNS + " from signing_key where retired_at is null"
                        + " order by created_at desc, kid limit 1")
                .query(KEY)
                .optional();
    }

    @Override
    public Optional<StoredKey> find(String kid) {
        return jdbc.sql("select " + COLUMNS + " from signing_key where kid = ?")
                .param(kid)
                .query(KEY)
                .optional();
    }

    @Override
    public List<StoredKey> verifying(Instant now) {
        return jdbc.sql("select " + COLUMNS + " from signing_key"
                        + " where verify_until is null or verify_until > ?"
                        + " order by created_at desc, kid")
                .param(Timestamp.from(now))
                .query(KEY)
                .list();
    }

    @Override
    @Transactional
    public boolean addFirst(StoredKey key) {
        jdbc.sql(LOCK).query().singleRow();
        if (signing().isPresent()) {
            return false;
        }
        insert(key);
        return true;
    }

    @Override
    @Transactional
    public void rotate(StoredKey next, Instant verifyUntil, Instant now) {
        jdbc.sql(LOCK).query().singleRow();
        jdbc.sql("update signing_key set retired_at = ?, verify_until = ?"
                        + " where retired_at is null")
                .params(Timestamp.from(now), Timestamp.from(verifyUntil))
                .update();
        insert(next);
        jdbc.sql("delete from signing_key where verify_until <= ?")
                .param(Timestamp.from(now))
                .update();
    }

    private void insert(StoredKey key) {
        jdbc.sql("insert into signing_key (kid, algorithm, jwk, created_at)"
                        + " values (?, ?, ?, ?)")
                .params(key.kid(), key.algorithm(), key.jwk(), Timestamp.from(key.createdAt()))
                .update();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
