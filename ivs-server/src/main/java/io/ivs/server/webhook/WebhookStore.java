package io.ivs.server.webhook;

import io.ivs.server.feed.FeedCursor;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Storage of subscriptions, their cursors and leases, and dead letters (migration V10). */
public interface WebhookStore {
    void create(Subscription subscription);

    List<Subscription> list(String environmentId);

    int count(String environmentId);

    Optional<Subscription> get(String environmentId, String subscriptionId);

    /** Every subscription's cursor (active or paused), at most {@code max}, for lag metrics. */
    List<FeedCursor> cursors(int max);

    /** The subscription by id alone, for its deliverer. */
    Optional<Subscription> load(String subscriptionId);

    boolean delete(String environmentId, String subscriptionId);

    /** Sets {@code active} or {@code paused}; false when there is no such subscription. */
    boolean status(String environmentId, String subscriptionId, String status);

    /** Moves the cursor to {@code cursor} (a replay); false when there is no such subscription. */
    boolean rewind(String environmentId, String subscriptionId, long cursor);

    /**
     * Takes up to {@code max} active subscriptions whose lease is free or expired (skipping rows
     * another instance is taking at this moment); answers their ids.
     */
    List<String> claim(String owner, Duration lease, int max);

    /** Extends every lease of {@code owner} on an active subscription; answers their ids. */
    List<String> renew(String owner, Duration lease);

    /** Gives a lease up so that another instance can take the subscription at once. */
    void release(String owner, String subscriptionId);

    /**
     * Moves the cursor from {@code expected} to {@code cursor} if {@code owner} still holds the
     * lease and nobody moved the cursor meanwhile; answers whether it did. With {@code
     * delivered} the same statement records the success time, so nobody reads a cursor past a
     * delivery whose success is not yet recorded.
     */
    boolean advance(
            String owner, String subscriptionId, long expected, long cursor, boolean delivered);

    void succeeded(String subscriptionId);

    void failed(String subscriptionId, String error);

    /** Stores a dead letter, replacing an earlier one of the same position. */
    void deadLetter(DeadLetter deadLetter);

    List<DeadLetter> deadLetters(String subscriptionId, int limit);

    int deadLetterCount(String subscriptionId);

    /** Dead letters marked for replay, oldest position first. */
    List<DeadLetter> replayRequested(String subscriptionId, int limit);

    /**
     * Marks dead letters for replay: those with the given delivery ids, or all when null;
     * answers how many.
     */
    int requestReplay(String subscriptionId, @Nullable List<String> deliveryIds);

    void removeDeadLetter(String subscriptionId, long position);

    /** Records a failed replay: the new totals, and no longer marked for replay. */
    void replayFailed(
            String subscriptionId,
            long position,
            int attempts,
            @Nullable Integer lastStatus,
            String lastError);
}
