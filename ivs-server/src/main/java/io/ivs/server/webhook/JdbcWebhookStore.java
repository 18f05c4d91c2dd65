package io.ivs.server.webhook;

import io.ivs.server.feed.FeedCursor;
import io.ivs.server.postgres.Columns;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhook subscriptions, their cursors and leases, and dead letters (migration V10). Leases are
 * timed by the database clock, so instances with skewed clocks agree on when one expired.
 */
@Repository
public class JdbcWebhookStore implements WebhookStore {
    private static final String COLUMNS = "subscription_id, environment_id, url, secret,"
            + " description, product_ids, data_sources, measures, status, cursor, created_at,"
            + " last_success_at, last_error, last_error_at, event_types";
    private static final String DEAD_COLUMNS = "subscription_id, position, delivery_id,"
            + " organization_id, product_id, body, attempts, last_status, last_error, failed_at,"
            + " replay_requested";

    private static final RowMapper<Subscription> SUBSCRIPTION = (rs, n) -> new Subscription(
            rs.getString("subscription_id"),
            rs.getString("environment_id"),
            rs.getString("url"),
            rs.getString("secret"),
            rs.getString("description"),
            strings(rs.getArray("product_ids")),
            strings(rs.getArray("data_sources")),
            strings(rs.getArray("measures")),
            rs.getString("status"),
            rs.getLong("cursor"),
            rs.getTimestamp("created_at").toInstant(),
            instant(rs.getTimestamp("last_success_at")),
            rs.getString("last_error"),
            instant(rs.getTimestamp("last_error_at")),
            strings(rs.getArray("event_types")));

    private static final RowMapper<DeadLetter> DEAD_LETTER = (rs, n) -> new DeadLetter(
            rs.getString("subscription_id"),
            rs.getLong("position"),
            rs.getString("delivery_id"),
            rs.getString("organization_id"),
            rs.getString("product_id"),
            rs.getString("body"),
            rs.getInt("attempts"),
            (Integer) rs.getObject("last_status"),
            rs.getString("last_error"),
            rs.getTimestamp("failed_at").toInstant(),
            rs.getBoolean("replay_requested"));

    private final JdbcClient jdbc;

    public JdbcWebhookStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(Subscription s) {
        jdbc.sql("insert into webhook_subscription (subscription_id, environment_id, url,"
                        + " secret, description, product_ids, data_sources, measures, status,"
                        + " cursor, created_at, event_types)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        s.id(),
                        s.environmentId(),
                        s.url(),
                        s.secret(),
                        s.description(),
                        s.productIds().toArray(String[]::new),
                        s.dataSources().toArray(String[]::new),
                        s.measures().toArray(String[]::new),
                        s.status(),
                        s.cursor(),
                        Timestamp.from(s.createdAt()),
                        s.eventTypes().toArray(String[]::new))
                .update();
    }

    @Override
    public List<Subscription> list(String environmentId) {
        return jdbc.sql("select " + COLUMNS + " from webhook_subscription"
                        + " where environment_id = ? order by created_at, subscription_id")
                .param(environmentId)
                .query(SUBSCRIPTION)
                .list();
    }

    @Override
    public int count(String environmentId) {
        return jdbc.sql("select count(*) from webhook_subscription where environment_id = ?")
                .param(environmentId)
                .query(Integer.class)
                .single();
    }

    @Override
    public Optional<Subscription> get(String environmentId, String subscriptionId) {
        return jdbc.sql("select " + COLUMNS + " from webhook_subscription"
                        + " where environment_id = ? and subscription_id = ?")
                .params(environmentId, subscriptionId)
                .query(SUBSCRIPTION)
                .optional();
    }

    @Override
    public List<FeedCursor> cursors(int max) {
        return jdbc.sql("select environment_id, subscription_id, cursor from webhook_subscription"
                        + " order by environment_id, subscription_id limit ?")
                .param(max)
                .query((rs, n) -> new FeedCursor(
                        WebhookFeedConsumers.CONSUMER,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3)))
                .list();
    }

    @Override
    public Optional<Subscription> load(String subscriptionId) {
        return jdbc.sql("select " + COLUMNS + " from webhook_subscription"
                        + " where subscription_id = ?")
                .param(subscriptionId)
                .query(SUBSCRIPTION)
                .optional();
    }

    @Override
    public boolean delete(String environmentId, String subscriptionId) {
        return jdbc.sql("delete from webhook_subscription"
                                + " where environment_id = ? and subscription_id = ?")
                        .params(environmentId, subscriptionId)
                        .update()
                == 1;
    }

    @Override
    public boolean status(String environmentId, String subscriptionId, String status) {
        return jdbc.sql("update webhook_subscription set status = ?"
                                + " where environment_id = ? and subscription_id = ?")
                        .params(status, environmentId, subscriptionId)
                        .update()
                == 1;
    }

    @Override
    public boolean rewind(String environmentId, String subscriptionId, long cursor) {
        return jdbc.sql("update webhook_subscription set cursor = ?"
                                + " where environment_id = ? and subscription_id = ?")
                        .params(cursor, environmentId, subscriptionId)
                        .update()
                == 1;
    }

    @Override
    public List<String> claim(String owner, Duration lease, int max) {
        return Columns.notNull(jdbc.sql("update webhook_subscription set lease_owner = ?,"
                        + " lease_until = now() + make_interval(secs => ?)"
                        + " where subscription_id in (select subscription_id"
                        + " from webhook_subscription where status = 'active'"
                        + " and (lease_until is null or lease_until < now())"
                        + " order by subscription_id limit ? for update skip locked)"
                        + " returning subscription_id")
                .params(owner, seconds(lease), max)
                .query(String.class)
                .list());
    }

    @Override
    public List<String> renew(String owner, Duration lease) {
        return Columns.notNull(jdbc.sql("update webhook_subscription"
                        + " set lease_until = now() + make_interval(secs => ?)"
                        + " where lease_owner = ? and status = 'active'"
                        + " returning subscription_id")
                .params(seconds(lease), owner)
                .query(String.class)
                .list());
    }

    @Override
    public void release(String owner, String subscriptionId) {
        jdbc.sql("update webhook_subscription set lease_owner = null, lease_until = null"
                        + " where subscription_id = ? and lease_owner = ?")
                .params(subscriptionId, owner)
                .update();
    }

    @Override
    public boolean advance(
            String owner, String subscriptionId, long expected, long cursor, boolean delivered) {
        return jdbc.sql("update webhook_subscription set cursor = ?, last_success_at ="
                                + " case when ? then now() else last_success_at end"
                                + " where subscription_id = ? and lease_owner = ?"
                                + " and lease_until > now() and cursor = ?")
                        .params(cursor, delivered, subscriptionId, owner, expected)
                        .update()
                == 1;
    }

    @Override
    public void succeeded(String subscriptionId) {
        jdbc.sql("update webhook_subscription set last_success_at = now()"
                        + " where subscription_id = ?")
                .param(subscriptionId)
                .update();
    }

    @Override
    public void failed(String subscriptionId, String error) {
        jdbc.sql("update webhook_subscription set last_error = ?, last_error_at = now()"
                        + " where subscription_id = ?")
                .params(error, subscriptionId)
                .update();
    }

    @Override
    public void deadLetter(DeadLetter d) {
        jdbc.sql("insert into webhook_dead_letter (subscription_id, position, delivery_id,"
                        + " organization_id, product_id, body, attempts, last_status,"
                        + " last_error) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (subscription_id, position) do update set"
                        + " body = excluded.body,"
                        + " attempts = webhook_dead_letter.attempts + excluded.attempts,"
                        + " last_status = excluded.last_status,"
                        + " last_error = excluded.last_error, failed_at = now(),"
                        + " replay_requested = false")
                // One at a time: a failure without an HTTP answer has no status, and only param
                // takes a null.
                .param(d.subscriptionId())
                .param(d.position())
                .param(d.deliveryId())
                .param(d.organizationId())
                .param(d.productId())
                .param(d.body())
                .param(d.attempts())
                .param(d.lastStatus())
                .param(d.lastError())
                .update();
    }

    @Override
    public List<DeadLetter> deadLetters(String subscriptionId, int limit) {
        return jdbc.sql("select " + DEAD_COLUMNS + " from webhook_dead_letter"
                        + " where subscription_id = ? order by position limit ?")
                .params(subscriptionId, limit)
                .query(DEAD_LETTER)
                .list();
    }

    @Override
    public int deadLetterCount(String subscriptionId) {
        return jdbc.sql("select count(*) from webhook_dead_letter where subscription_id = ?")
                .param(subscriptionId)
                .query(Integer.class)
                .single();
    }

    @Override
    public List<DeadLetter> replayRequested(String subscriptionId, int limit) {
        return jdbc.sql("select " + DEAD_COLUMNS + " from webhook_dead_letter"
                        + " where subscription_id = ? and replay_requested"
                        + " order by position limit ?")
                .params(subscriptionId, limit)
                .query(DEAD_LETTER)
                .list();
    }

    @Override
    public int requestReplay(String subscriptionId, @Nullable List<String> deliveryIds) {
        if (deliveryIds == null) {
            return jdbc.sql("update webhook_dead_letter set replay_requested = true"
                            + " where subscription_id = ?")
                    .param(subscriptionId)
                    .update();
        }
        return jdbc.sql("update webhook_dead_letter set replay_requested = true"
                        + " where subscription_id = ? and delivery_id = any (?)")
                .params(subscriptionId, deliveryIds.toArray(String[]::new))
                .update();
    }

    @Override
    public void removeDeadLetter(String subscriptionId, long position) {
        jdbc.sql("delete from webhook_dead_letter where subscription_id = ? and position = ?")
                .params(subscriptionId, position)
                .update();
    }

    @Override
    public void replayFailed(
            String subscriptionId,
            long position,
            int attempts,
            @Nullable Integer lastStatus,
            String lastError) {
        jdbc.sql("update webhook_dead_letter set attempts = attempts + ?, last_status = ?,"
                        + " last_error = ?, failed_at = now(), replay_requested = false"
                        + " where subscription_id = ? and position = ?")
                .param(attempts)
                .param(lastStatus)
                .param(lastError)
                .param(subscriptionId)
                .param(position)
                .update();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
