package io.ivs.server.kafka;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code ivs.kafka.*} settings (README, "Kafka").
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}; publishing is off when blank
 * @param topic the topic every change goes to
 * @param alertsTopic the topic stock alerts go to (docs/alerts.md)
 * @param pollInterval how often an instance looks for new changes and renews its leases
 * @param lease how long an environment stays with an instance that stopped renewing it
 * @param pageSize changes published per environment between two cursor updates
 * @param sendTimeout how long a page may take to be acknowledged before it is sent again
 * @param producer further producer properties (TLS, SASL, compression, ...), as Kafka names
 *     them; they cannot turn idempotence or {@code acks=all} off
 */
@ConfigurationProperties("ivs.kafka")
public record KafkaSettings(
        @DefaultValue("") String bootstrapServers,
        @DefaultValue("ivs.changes") String topic,
        @DefaultValue("ivs.stock-alerts") String alertsTopic,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("PT1M") Duration lease,
        @DefaultValue("500") int pageSize,
        @DefaultValue("PT30S") Duration sendTimeout,
        @Nullable Map<String, String> producer) {
    public static final int PAGE_SIZE_LIMIT = 1_000;

    public KafkaSettings {
        bootstrapServers = bootstrapServers.strip();
        topic = topic.strip();
        alertsTopic = alertsTopic.strip();
        producer = producer == null ? Map.of() : Map.copyOf(producer);
        if (topic.isEmpty() || alertsTopic.isEmpty()) {
            throw new IllegalArgumentException(
                    "ivs.kafka.topic and ivs.kafka.alerts-topic must not be blank");
        }
        if (pageSize < 1 || pageSize > PAGE_SIZE_LIMIT) {
            throw new IllegalArgumentException(
                    "ivs.kafka.page-size must be between 1 and " + PAGE_SIZE_LIMIT);
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || sendTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "ivs.kafka.poll-interval and ivs.kafka.send-timeout must be positive");
        }
        if (lease.compareTo(pollInterval.multipliedBy(3).plus(sendTimeout)) < 0) {
            throw new IllegalArgumentException("ivs.kafka.lease must be at least three"
                    + " ivs.kafka.poll-interval plus ivs.kafka.send-timeout");
        }
    }

    @Override
    public Map<String, String> producer() {
        return producer == null ? Map.of() : producer;
    }

    public boolean enabled() {
        return !bootstrapServers.isEmpty();
    }
}
