package io.ivs.server.webhook;

import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.feed.EventTypes;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers one subscription while this instance holds its lease. It reads the feed after the
 * subscription's cursor a page at a time, delivers the page's matching changes, and only then
 * moves the cursor past the page (fenced by the lease). Within a page the changes of one product
 * go one after the other, each retried until it succeeds or is dead-lettered, while different
 * products go in parallel; a later page starts only when the whole page is done. So a change of a
 * product is never sent before an earlier change of that product succeeded or was dead-lettered,
 * and a crash at any point only means that the page is delivered again (at least once).
 */
final class SubscriptionDeliverer {
    /** Dead letters replayed per round at most. */
    static final int REPLAY_BATCH = 100;

    private static final Logger log = LoggerFactory.getLogger(SubscriptionDeliverer.class);

    private final String subscriptionId;
    private final WebhookDispatcher dispatcher;
    private final WebhookStore store;
    private final ChangeFeed feed;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final ChangeSignal signal;
    /** Waits are made on this monitor, so that {@link #stop()} ends them at once. */
    private final Object wake = new Object();

    private volatile boolean stopped;
    private volatile @Nullable Thread thread;

    /** The outcome of all attempts at one delivery. */
    private record Outcome(boolean delivered, int attempts, WebhookSender.Attempt last) {}

    /** Raised when this instance can no longer be sure it holds the lease. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease not renewed in time", null, false, false);
        }
    }

    /**
     * Raised when the deliverer was stopped. Stopping never interrupts the thread: an interrupt
     * during a JDBC call closes the connection under the pool.
     */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    SubscriptionDeliverer(
            String subscriptionId,
            WebhookDispatcher dispatcher,
            WebhookStore store,
            ChangeFeed feed,
            WebhookSender sender,
            WebhookSettings settings,
            ChangeSignal signal) {
        this.subscriptionId = subscriptionId;
        this.signal = signal;
        this.dispatcher = dispatcher;
        this.store = store;
        this.feed = feed;
        this.sender = sender;
        this.settings = settings;
    }

    void start() {
        thread = Thread.ofVirtual().name("ivs-webhook-" + subscriptionId).start(this::run);
    }

    boolean alive() {
        Thread current = thread;
        return current != null && current.isAlive();
    }

    void stop() {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    void join() {
        Thread current = thread;
        if (current != null) {
            try {
                current.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            deliverUntilStopped();
        } catch (Stopped e) {
            // Stopped while waiting to try again.
        }
    }

    private void deliverUntilStopped() {
        long failures = 0;
        while (!stopped) {
            try {
                if (!round()) {
                    store.release(dispatcher.owner(), subscriptionId);
                    return;
                }
                failures = 0;
            } catch (InterruptedException | Stopped e) {
                return;
            } catch (LeaseLost e) {
                pause(settings.pollInterval());
            } catch (ChangeFeed.CursorExpiredException e) {
                // Retention removed changes this subscription never got: stop and say so.
                store.failed(subscriptionId, e.getMessage());
                store.status(environmentOf(), subscriptionId, Subscription.PAUSED);
                store.release(dispatcher.owner(), subscriptionId);
                return;
            } catch (RuntimeException e) {
                if (failures++ % 100 == 0) {
                    log.warn("webhook {}: {}", subscriptionId, e.toString());
                }
                pause(Duration.ofMillis(500));
            }
        }
    }

    private String environmentOf() {
        return store.load(subscriptionId).map(Subscription::environmentId).orElse("");
    }

    /** Waits unless stopped; throws {@link Stopped} when stopped before or during the wait. */
    private void pause(Duration duration) {
        synchronized (wake) {
            if (!stopped) {
                try {
                    wake.wait(Math.max(1, duration.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                }
            }
        }
        if (stopped) {
            throw new Stopped();
        }
    }

    /** One round of work; false when the subscription is gone or paused. */
    private boolean round() throws InterruptedException {
        Optional<Subscription> found = store.load(subscriptionId);
        if (found.isEmpty() || !found.get().active()) {
            return false;
        }
        Subscription subscription = found.get();
        replayDeadLetters(subscription);
        ChangeFeed.Page page = feed.read(
                subscription.environmentId(),
                subscription.cursor(),
                settings.pageSize(),
                Duration.ZERO,
                Set.copyOf(subscription.eventTypes()));
        if (page.changes().isEmpty()) {
            if (page.next() != subscription.cursor()) {
                // Only entries of types this subscription does not take: move past them, or
                // the cursor would stay before them and report them as lag.
                store.advance(
                        dispatcher.owner(),
                        subscriptionId,
                        subscription.cursor(),
                        page.next(),
                        false);
                return true;
            }
            // This instance's sequencer wakes us at once; another instance's is seen next round.
            signal.await(settings.pollInterval());
            return true;
        }
        boolean delivered = deliver(subscription, page.changes());
        // False when a replay moved the cursor meanwhile, or the lease is gone: read it again.
        store.advance(
                dispatcher.owner(), subscriptionId, subscription.cursor(), page.next(), delivered);
        return true;
    }

    /** Delivers a page; answers whether anything was delivered successfully. */
    private boolean deliver(Subscription subscription, List<ChangeFeed.Change> changes)
            throws InterruptedException {
        Map<String, List<ChangeFeed.Change>> byProduct = new LinkedHashMap<>();
        for (ChangeFeed.Change change : changes) {
            if (subscription.matches(change)) {
                byProduct
                        .computeIfAbsent(
                                change.organizationId() + "\u001f" + change.productId(),
                                key -> new ArrayList<>())
                        .add(change);
            }
        }
        if (byProduct.isEmpty()) {
            return false;
        }
        Semaphore permits = new Semaphore(settings.parallelism());
        // Closing the pool waits for every product: none is interrupted halfway (see Stopped).
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> products = new ArrayList<>();
            for (List<ChangeFeed.Change> ofProduct : byProduct.values()) {
                products.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return deliverInOrder(subscription, ofProduct);
                    } finally {
                        permits.release();
                    }
                }));
            }
            boolean any = false;
            for (Future<Boolean> product : products) {
                any |= product.get();
            }
            return any;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private boolean deliverInOrder(Subscription subscription, List<ChangeFeed.Change> changes)
            throws InterruptedException {
        boolean any = false;
        for (ChangeFeed.Change change : changes) {
            String deliveryId = deliveryId(subscription, change.position());
            byte[] body = body(subscription, deliveryId, change);
            Outcome outcome = attempts(subscription, deliveryId, body, false);
            if (outcome.delivered()) {
                any = true;
            } else {
                store.deadLetter(new DeadLetter(
                        subscription.id(),
                        change.position(),
                        deliveryId,
                        change.organizationId(),
                        change.productId(),
                        new String(body, StandardCharsets.UTF_8),
                        outcome.attempts(),
                        outcome.last().status(),
                        outcome.last().error(),
                        java.time.Instant.now(),
                        false));
                sender.countDeadLetter();
                log.info(
                        "webhook {}: delivery {} dead-lettered after {} attempts: {}",
                        subscription.id(),
                        deliveryId,
                        outcome.attempts(),
                        outcome.last().error());
            }
        }
        return any;
    }

    private void replayDeadLetters(Subscription subscription) throws InterruptedException {
        for (DeadLetter dead : store.replayRequested(subscriptionId, REPLAY_BATCH)) {
            Outcome outcome = attempts(
                    subscription,
                    dead.deliveryId(),
                    dead.body().getBytes(StandardCharsets.UTF_8),
                    true);
            if (outcome.delivered()) {
                store.removeDeadLetter(subscriptionId, dead.position());
                store.succeeded(subscriptionId);
            } else {
                store.replayFailed(
                        subscriptionId,
                        dead.position(),
                        outcome.attempts(),
                        outcome.last().status(),
                        outcome.last().error());
            }
        }
    }

    /**
     * Tries a delivery up to the attempt limit, waiting with backoff between attempts; a refused
     * target ends the tries at once.
     */
    private Outcome attempts(
            Subscription subscription, String deliveryId, byte[] body, boolean replay)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (stopped) {
                throw new Stopped();
            }
            if (!dispatcher.leaseValid()) {
                throw new LeaseLost();
            }
            WebhookSender.Attempt last =
                    sender.send(subscription, deliveryId, body, attempt, replay);
            if (last.delivered()) {
                return new Outcome(true, attempt, last);
            }
            store.failed(subscription.id(), "delivery " + deliveryId + ": " + last.error());
            // A refused target got nothing, and the next attempts would be refused the same way:
            // the change becomes a dead letter now, to be replayed once the target is fixed.
            if (last.refused() || attempt >= settings.attemptsMax()) {
                return new Outcome(false, attempt, last);
            }
            pause(backoff(settings, attempt));
        }
    }

    /**
     * The wait after failed attempt {@code attempt} (1-based): the initial delay doubled per
     * further attempt, capped, then a random part of up to half of it taken off, so that many
     * subscriptions failing together do not retry in step.
     */
    static Duration backoff(WebhookSettings settings, int attempt) {
        long initial = settings.delayInitial().toMillis();
        long max = settings.delayMax().toMillis();
        long delay = initial << Math.min(attempt - 1, 30);
        if (delay <= 0 || delay > max) {
            delay = max;
        }
        long jitter = ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        return Duration.ofMillis(delay - jitter);
    }

    static String deliveryId(Subscription subscription, long position) {
        return subscription.id() + "-" + position;
    }

    static byte[] body(Subscription subscription, String deliveryId, ChangeFeed.Change change) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", EventTypes.of(change));
        body.put("deliveryId", deliveryId);
        body.put("subscriptionId", subscription.id());
        body.put("environmentId", subscription.environmentId());
        body.put("change", change);
        return Json.mapper().writeValueAsBytes(body);
    }
}
