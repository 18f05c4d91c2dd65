package io.ivs.server.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends messages that could not be applied to the dead-letter topic: the original key, value and
 * headers, plus the reason and where the message came from ({@code ivs-dlq-*} headers). Sends
 * wait for Kafka's acknowledgement ({@code acks=all}, idempotent producer), because the caller
 * commits the original's offset right after: a dead letter is never lost, though one may be sent
 * twice when IVS stops between the two (its topic, partition and offset headers tell copies).
 */
final class DeadLetters implements AutoCloseable {
    /** A reason longer than this is cut, so that headers stay far below Kafka's record size. */
    static final int REASON_CHARS_MAX = 4_000;

    private final String topic;
    private final Map<String, Object> properties;
    private final Duration sendTimeout;
    private @Nullable Producer<byte[], byte[]> producer;

    DeadLetters(String bootstrapServers, IngestSettings settings, String clientId) {
        this.topic = settings.deadLetterTopic();
        this.sendTimeout = settings.sendTimeout();
        Map<String, Object> properties = new HashMap<>(settings.producer());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        int timeoutMillis = (int) sendTimeout.toMillis();
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMillis);
        properties.putIfAbsent(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, timeoutMillis / 2));
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout.toMillis());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.properties = Map.copyOf(properties);
    }

    /** Sends every dead-lettered outcome and waits until Kafka acknowledged all of them. */
    void send(List<Outcome> outcomes) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.deadLettered()) {
                acks.add(producer().send(record(outcome)));
            }
        }
        if (acks.isEmpty()) {
            return;
        }
        producer().flush();
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException(
                    "the dead-letter topic did not take a message: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    ProducerRecord<byte[], byte[]> record(Outcome outcome) {
        ConsumerRecord<byte[], byte[]> original = outcome.record();
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, original.key(), original.value());
        for (Header header : original.headers()) {
            if (!header.key().toLowerCase(java.util.Locale.ROOT).startsWith("ivs-dlq-")) {
                record.headers().add(header);
            }
        }
        String reason = outcome.reason();
        if (reason.length() > REASON_CHARS_MAX) {
            reason = reason.substring(0, REASON_CHARS_MAX) + "...";
        }
        record.headers()
                .add(IngestHeaders.DLQ_REASON, IngestHeaders.bytes(reason))
                .add(IngestHeaders.DLQ_TOPIC, IngestHeaders.bytes(original.topic()))
                .add(IngestHeaders.DLQ_PARTITION, IngestHeaders.bytes("" + original.partition()))
                .add(IngestHeaders.DLQ_OFFSET, IngestHeaders.bytes("" + original.offset()));
        if (!outcome.refusedIds().isEmpty()) {
            String ids = String.join(",", outcome.refusedIds());
            if (ids.length() > REASON_CHARS_MAX) {
                ids = ids.substring(0, REASON_CHARS_MAX) + "...";
            }
            record.headers().add(IngestHeaders.DLQ_REFUSED_IDS, IngestHeaders.bytes(ids));
        }
        return record;
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(properties);
        }
        return producer;
    }

    @Override
    public void close() {
        Producer<byte[], byte[]> current = producer;
        producer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                // Closing is best effort; a new producer is made for the next dead letter.
            }
        }
    }
}
