package io.ivs.server.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kafka ingestion's meters: {@code ivs.kafka.ingest.lag.records} (messages of each assigned
 * partition after the committed position, tags {@code topic} and {@code partition}; a partition
 * leaves when another instance takes it) and {@code ivs.kafka.ingest.messages} (messages handled,
 * tags {@code topic} and {@code outcome}: {@code applied} or {@code dead_lettered}).
 */
final class IngestMetrics {
    static final String LAG = "ivs.kafka.ingest.lag.records";
    static final String MESSAGES = "ivs.kafka.ingest.messages";

    private final MeterRegistry meters;
    private final Map<TopicPartition, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Gauge> gauges = new ConcurrentHashMap<>();

    IngestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void counted(String topic, boolean deadLettered, int messages) {
        if (messages == 0) {
            return;
        }
        Counter.builder(MESSAGES)
                .description("Kafka messages handled by ingestion, by outcome")
                .tags("topic", topic, "outcome", deadLettered ? "dead_lettered" : "applied")
                .register(meters)
                .increment(messages);
    }

    void lag(TopicPartition partition, long records) {
        lags.computeIfAbsent(partition, this::register).set(records);
    }

    private AtomicLong register(TopicPartition partition) {
        AtomicLong value = new AtomicLong();
        gauges.put(
                partition,
                Gauge.builder(LAG, value, AtomicLong::get)
                        .description("Messages of the partition after ingestion's position")
                        .tags(Tags.of(
                                "topic",
                                partition.topic(),
                                "partition",
                                "" + partition.partition()))
                        .register(meters));
        return value;
    }

    /** Partitions this instance no longer reads: their lag is another instance's to report. */
    void revoked(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            lags.remove(partition);
            Gauge gauge = gauges.remove(partition);
            if (gauge != null) {
                meters.remove(gauge);
            }
        }
    }
}
