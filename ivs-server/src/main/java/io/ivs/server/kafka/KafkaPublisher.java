package io.ivs.server.kafka;

import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeFeedStore;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.feed.EventTypes;
import io.ivs.server.web.Json;
import io.ivs.server.web.UnknownEnvironmentException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every environment's change feed to one Kafka topic with an idempotent producer
 * ({@code acks=all}), when {@code ivs.kafka.bootstrap-servers} is set. A record's key is
 * {@code <environment>/<organization>/<product>}, so one product's changes go to one partition
 * in feed order; its value is {@code {"environmentId": ..., "change": {...}}}, the change as the
 * feed and webhooks show it. Each environment has a cursor and a lease in PostgreSQL: one
 * instance publishes an environment at a time, and the cursor moves past a page only after
 * Kafka acknowledged all of it, so publishing resumes after a restart without losing a change
 * (at least once: a page that failed halfway is sent again). Stock alerts (docs/alerts.md) go
 * the same way to {@code ivs.kafka.alerts-topic}, with {@code "type"} beside the change.
 */
@Component
@EnableConfigurationProperties(KafkaSettings.class)
public class KafkaPublisher implements SmartLifecycle {
    /** Environments taken per round at most, so that instances share them out. */
    static final int CLAIM_MAX = 100;

    public static final String HEADER_ENVIRONMENT = "ivs-environment";
    public static final String HEADER_POSITION = "ivs-position";
    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    private final KafkaSettings settings;
    private final KafkaCursorStore cursors;
    private final ChangeFeed feed;
    private final ChangeFeedStore feedStore;
    private final ChangeSignal signal;
    private final EnvironmentService environments;
    private final String owner = "ivs-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    private volatile boolean running;
    private volatile @Nullable Thread thread;
    private @Nullable Producer<byte[], byte[]> producer;
    private long leaseValidUntilNanos;

    public KafkaPublisher(
            KafkaSettings settings,
            KafkaCursorStore cursors,
            ChangeFeed feed,
            ChangeFeedStore feedStore,
            ChangeSignal signal,
            EnvironmentService environments) {
        this.settings = settings;
        this.cursors = cursors;
        this.feed = feed;
        this.feedStore = feedStore;
        this.signal = signal;
        this.environments = environments;
    }

    public String owner() {
        return owner;
    }

    @Override
    public synchronized void start() {
        if (running || !settings.enabled()) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("ivs-kafka-publisher").start(this::loop);
        log.info(
                "publishing the change feed to Kafka topic {} at {}",
                settings.topic(),
                settings.bootstrapServers());
    }

    /** The producer settings: the given ones, then those this publisher's guarantees need. */
    Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>(settings.producer());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, owner);
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                settings.sendTimeout().toMillis());
        // Kafka wants delivery.timeout.ms >= linger.ms + request.timeout.ms.
        properties.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int)
                Math.min(30_000, settings.sendTimeout().toMillis() / 2));
        properties.putIfAbsent(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.sendTimeout().toMillis());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }

    private void loop() {
        long failures = 0;
        while (running) {
            boolean more = false;
            try {
                more = round();
                failures = 0;
            } catch (RuntimeException e) {
                // Kafka or the database is unreachable: start over with a new producer.
                if (failures++ % 20 == 0) {
                    log.warn(
                            "Kafka publisher: {}{}",
                            e,
                            e.getCause() == null ? "" : " (" + e.getCause() + ")");
                }
                closeProducer();
            }
            if (!more) {
                try {
                    signal.await(settings.pollInterval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        closeProducer();
    }

    /** Publishes one page per held environment; answers whether any has more waiting. */
    boolean round() {
        cursors.ensure(environments.environments(), feedStore.prunedThrough());
        long started = System.nanoTime();
        Set<String> held = new LinkedHashSet<>(cursors.renew(owner, settings.lease()));
        held.addAll(cursors.claim(owner, settings.lease(), CLAIM_MAX));
        leaseValidUntilNanos = started + settings.lease().toNanos();
        boolean more = false;
        for (String environmentId : held) {
            if (!running) {
                break;
            }
            more |= publish(environmentId);
        }
        return more;
    }

    private boolean publish(String environmentId) {
        long cursor = cursors.cursor(environmentId).orElse(-1);
        if (cursor < 0) {
            return false;
        }
        ChangeFeed.Page page;
        try {
            page = feed.read(
                    environmentId, cursor, settings.pageSize(), Duration.ZERO, EventTypes.ALL);
        } catch (ChangeFeed.CursorExpiredException e) {
            long oldest = feedStore.prunedThrough(environmentId);
            log.error(
                    "Kafka publisher: environment {} fell behind retention; changes {} to {}"
                            + " were never published, continuing after them",
                    environmentId,
                    cursor,
                    oldest);
            cursors.advance(owner, environmentId, cursor, oldest);
            return true;
        } catch (UnknownEnvironmentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (page.changes().isEmpty()) {
            return false;
        }
        send(environmentId, page.changes());
        if (System.nanoTime() - leaseValidUntilNanos >= 0) {
            // Another instance may have the environment by now; it publishes from the cursor.
            return false;
        }
        cursors.advance(owner, environmentId, cursor, page.next());
        return page.hasMore();
    }

    /** Sends a page and waits until Kafka acknowledged every record of it. */
    private void send(String environmentId, List<ChangeFeed.Change> changes) {
        Producer<byte[], byte[]> kafka = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(changes.size());
        for (ChangeFeed.Change change : changes) {
            acks.add(kafka.send(record(environmentId, change)));
        }
        kafka.flush();
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a record: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    ProducerRecord<byte[], byte[]> record(String environmentId, ChangeFeed.Change change) {
        String key = environmentId + "/" + change.organizationId() + "/" + change.productId();
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("environmentId", environmentId);
        value.put("change", change);
        // Alerts go to a topic of their own, so that a consumer of the changes topic written
        // before alerts existed never receives one.
        boolean alert = change.alert() != null;
        if (alert) {
            value.put("type", EventTypes.of(change));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                alert ? settings.alertsTopic() : settings.topic(),
                key.getBytes(StandardCharsets.UTF_8),
                Json.mapper().writeValueAsBytes(value));
        record.headers()
                .add(HEADER_ENVIRONMENT, environmentId.getBytes(StandardCharsets.UTF_8))
                .add(
                        HEADER_POSITION,
                        Long.toString(change.position()).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties());
        }
        return producer;
    }

    private void closeProducer() {
        Producer<byte[], byte[]> current = producer;
        producer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("Kafka producer close: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread current = thread;
        if (current == null) {
            return;
        }
        thread = null;
        try {
            current.join(settings.sendTimeout().plusSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String environmentId : safeRenewed()) {
            cursors.release(owner, environmentId);
        }
    }

    private List<String> safeRenewed() {
        try {
            return cursors.renew(owner, settings.lease());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
