package io.ivs.server.webhook;

import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeSignal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs webhook deliveries on this instance. Every poll interval it renews the leases it holds,
 * stops the deliverers of subscriptions it no longer holds (paused, deleted, or taken over after
 * its lease expired), and takes free subscriptions; each subscription it holds has one
 * {@link SubscriptionDeliverer} on a virtual thread. A lease is renewed long before it expires,
 * and a deliverer sends nothing once this instance could not renew for a whole lease, so two
 * instances never deliver one subscription at the same time in normal operation (DESIGN D4).
 */
@Component
@EnableConfigurationProperties(WebhookSettings.class)
public class WebhookDispatcher implements SmartLifecycle {
    /** Subscriptions taken per poll at most, so that instances share them out. */
    static final int CLAIM_MAX = 10;

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookStore store;
    private final ChangeFeed feed;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final ChangeSignal signal;
    /** The loop waits on this monitor, so that {@link #stop()} ends the wait at once. */
    private final Object wake = new Object();

    private final String owner = "ivs-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    private final Map<String, SubscriptionDeliverer> deliverers = new ConcurrentHashMap<>();
    private volatile long leaseValidUntilNanos;
    private volatile boolean running;
    private volatile @Nullable Thread thread;

    public WebhookDispatcher(
            WebhookStore store,
            ChangeFeed feed,
            ChangeSignal signal,
            WebhookSender sender,
            WebhookSettings settings) {
        this.store = store;
        this.signal = signal;
        this.feed = feed;
        this.sender = sender;
        this.settings = settings;
    }

    /** This instance's name in the lease columns. */
    public String owner() {
        return owner;
    }

    /** Whether this instance's leases are certainly still its own. */
    boolean leaseValid() {
        return System.nanoTime() - leaseValidUntilNanos < 0;
    }

    @Override
    public synchronized void start() {
        if (running || !settings.enabled()) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("ivs-webhook-dispatcher").start(this::loop);
    }

    private void loop() {
        long failures = 0;
        while (running) {
            try {
                poll();
                failures = 0;
            } catch (RuntimeException e) {
                // The database is unreachable or restarting: keep trying, log now and then.
                if (failures++ % 100 == 0) {
                    log.warn("webhook dispatcher: {}", e.getMessage());
                }
            }
            synchronized (wake) {
                if (running) {
                    try {
                        wake.wait(settings.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** One round: renew, stop what is no longer ours, take what is free. */
    void poll() {
        long started = System.nanoTime();
        Set<String> held = new HashSet<>(store.renew(owner, settings.lease()));
        leaseValidUntilNanos = started + settings.lease().toNanos();
        deliverers.forEach((id, deliverer) -> {
            if (!held.contains(id)) {
                // Paused, deleted, or taken over after this instance's lease expired.
                deliverer.stop();
            }
            if (!deliverer.alive()) {
                deliverers.remove(id, deliverer);
                if (!held.contains(id)) {
                    // A paused subscription is free at once when it is resumed.
                    store.release(owner, id);
                }
            }
        });
        List<String> mine = new ArrayList<>(held);
        mine.addAll(store.claim(owner, settings.lease(), CLAIM_MAX));
        for (String id : mine) {
            deliverers.computeIfAbsent(id, this::startDeliverer);
        }
    }

    private SubscriptionDeliverer startDeliverer(String subscriptionId) {
        SubscriptionDeliverer deliverer = new SubscriptionDeliverer(
                subscriptionId, this, store, feed, sender, settings, signal);
        deliverer.start();
        return deliverer;
    }

    @Override
    public synchronized void stop() {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        Thread current = thread;
        if (current != null) {
            // Not interrupted: an interrupt during a JDBC call closes the connection.
            join(current);
        }
        deliverers.values().forEach(SubscriptionDeliverer::stop);
        deliverers.values().forEach(SubscriptionDeliverer::join);
        for (String id : deliverers.keySet()) {
            try {
                store.release(owner, id);
            } catch (RuntimeException e) {
                // The lease expires by itself.
                log.debug("webhook lease of {} not released: {}", id, e.getMessage());
            }
        }
        deliverers.clear();
    }

    private static void join(Thread thread) {
        try {
            thread.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
