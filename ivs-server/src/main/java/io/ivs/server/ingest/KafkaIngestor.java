package io.ivs.server.ingest;

import io.ivs.core.onhand.OnHandService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.ingest.IngestSettings.Source;
import io.ivs.server.kafka.KafkaSettings;
import io.ivs.server.onhand.OnHandItems;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the configured topics with one consumer per instance (all instances in one group, so
 * that they share the partitions) and applies each poll's messages partition by partition:
 * writes through {@link PartitionBatches}, dead letters through {@link DeadLetters}, and only
 * then the partition's offset is committed. A stop anywhere in between leaves the offset behind
 * what IVS applied; the messages are read again, and their event ids make them change nothing
 * twice. While the database is unreachable the partition is read again from its first
 * unapplied message after {@code retry-backoff}; the messages are never dead-lettered for it.
 */
@Component
@EnableConfigurationProperties(IngestSettings.class)
public class KafkaIngestor implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(KafkaIngestor.class);
    static final int MAX_POLL_RECORDS = 2_048;

    private final IngestSettings settings;
    private final String bootstrapServers;
    private final Map<String, Source> sources = new HashMap<>();
    private final PartitionBatches batches;
    private final IngestMetrics metrics;
    private final IngestMonitor monitor;
    private final String clientId = "ivs-ingest-" + ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean running;
    private volatile @Nullable Thread thread;
    private volatile @Nullable Consumer<byte[], byte[]> consumer;

    public KafkaIngestor(
            IngestSettings settings,
            KafkaSettings publisher,
            EnvironmentService environments,
            OnHandItems items,
            OnHandService onHand,
            ObjectProvider<SyncIngestion> sync,
            MeterRegistry meters,
            IngestMonitor monitor) {
        this.settings = settings;
        this.bootstrapServers = settings.bootstrapServers().isEmpty()
                ? publisher.bootstrapServers()
                : settings.bootstrapServers();
        settings.sources().forEach(source -> sources.put(source.topic(), source));
        this.batches = new PartitionBatches(
                new MessageReader(environments, items),
                onHand,
                sync.getIfAvailable(() -> step -> SyncIngestion.UNAVAILABLE));
        this.metrics = new IngestMetrics(meters);
        this.monitor = monitor;
        if (settings.enabled() && bootstrapServers.isEmpty()) {
            throw new IllegalArgumentException("ivs.kafka.ingest.sources is set but neither"
                    + " ivs.kafka.ingest.bootstrap-servers nor ivs.kafka.bootstrap-servers is");
        }
    }

    @Override
    public synchronized void start() {
        if (running || !settings.enabled()) {
            return;
        }
        running = true;
        monitor.started(settings);
        thread = Thread.ofVirtual().name("ivs-kafka-ingest").start(this::loop);
        log.info(
                "ingesting Kafka topics {} at {} as group {}",
                sources.keySet(),
                bootstrapServers,
                settings.groupId());
    }

    /** The consumer settings: the given ones, then those exactly-once ingestion needs. */
    Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(settings.consumer());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // A new group reads what is already there: a stock change left unread is a wrong total.
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Enough for a full bulk write per partition when four partitions have messages waiting.
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    private void loop() {
        long failures = 0;
        while (running) {
            try (DeadLetters deadLetters = new DeadLetters(bootstrapServers, settings, clientId);
                    Consumer<byte[], byte[]> current = new KafkaConsumer<>(consumerProperties())) {
                consumer = current;
                current.subscribe(List.copyOf(sources.keySet()), new Rebalance());
                while (running) {
                    pollOnce(current, deadLetters);
                    failures = 0;
                }
            } catch (WakeupException e) {
                // stop() woke the consumer up.
            } catch (RuntimeException e) {
                monitor.failed(e);
                if (failures++ % 20 == 0) {
                    log.warn(
                            "Kafka ingestion: {}; starting again in {}",
                            e,
                            settings.retryBackoff());
                }
                sleep(settings.retryBackoff());
            } finally {
                consumer = null;
            }
        }
    }

    /**
     * One poll: each partition's messages applied and dead-lettered in turn, then the offsets of
     * every partition that got that far committed together.
     */
    void pollOnce(Consumer<byte[], byte[]> current, DeadLetters deadLetters) {
        ConsumerRecords<byte[], byte[]> records = current.poll(settings.pollTimeout());
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            TopicPartition partition = partitions.get(i);
            List<ConsumerRecord<byte[], byte[]>> messages = records.records(partition);
            if (!running || !handle(deadLetters, partition, messages)) {
                // Read this partition and the rest again; the applied part changes nothing twice.
                for (TopicPartition rest : partitions.subList(i, partitions.size())) {
                    current.seek(rest, records.records(rest).get(0).offset());
                }
                if (running) {
                    sleep(settings.retryBackoff());
                }
                break;
            }
            done.put(
                    partition,
                    new OffsetAndMetadata(messages.get(messages.size() - 1).offset() + 1));
        }
        commit(current, done);
        reportLag(current);
    }

    /** Answers false when the partition must be read again from its first message. */
    private boolean handle(
            DeadLetters deadLetters,
            TopicPartition partition,
            List<ConsumerRecord<byte[], byte[]>> records) {
        Source source = sources.get(partition.topic());
        if (source == null || records.isEmpty()) {
            return true;
        }
        List<Outcome> outcomes;
        try {
            outcomes = batches.apply(source, records);
            deadLetters.send(outcomes);
        } catch (RuntimeException e) {
            monitor.failed(e);
            log.warn(
                    "Kafka ingestion of {}: {}; reading it again in {}",
                    partition,
                    e.getMessage(),
                    settings.retryBackoff());
            return false;
        }
        monitor.handled(source, outcomes);
        long deadLettered = outcomes.stream().filter(Outcome::deadLettered).count();
        metrics.counted(partition.topic(), true, (int) deadLettered);
        metrics.counted(partition.topic(), false, (int) (outcomes.size() - deadLettered));
        return true;
    }

    private static void commit(
            Consumer<byte[], byte[]> current, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            current.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // The messages are applied; a later commit covers them, or whoever reads the
            // partitions next reads them again and they change nothing twice.
            log.warn("Kafka ingestion: committing {} failed: {}", offsets, e.toString());
        }
    }

    private void reportLag(Consumer<byte[], byte[]> current) {
        for (TopicPartition partition : current.assignment()) {
            current.currentLag(partition).ifPresent(lag -> {
                metrics.lag(partition, lag);
                monitor.lag(partition, lag);
            });
        }
    }

    /** Removes the lag of partitions another instance takes over. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            metrics.revoked(partitions);
            monitor.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Kafka ingestion reads {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            metrics.revoked(partitions);
            monitor.revoked(partitions);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        boolean wasRunning = running;
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread worker = thread;
        thread = null;
        if (worker != null) {
            try {
                worker.join(settings.sendTimeout().plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (wasRunning) {
            monitor.stopped(settings);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
