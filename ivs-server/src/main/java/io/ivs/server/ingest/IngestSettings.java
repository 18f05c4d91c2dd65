package io.ivs.server.ingest;

import io.ivs.core.onhand.WriteAccess;
import io.ivs.server.security.Role;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ivs.kafka.ingest.*} settings (README, "Feeding IVS from Kafka").
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}; blank takes the publisher's
 *     ({@code ivs.kafka.bootstrap-servers})
 * @param groupId the consumer group every IVS instance joins, so that they share the partitions
 * @param deadLetterTopic where messages that cannot be applied go, with the reason in headers
 * @param pollTimeout how long one poll waits for messages
 * @param retryBackoff how long to wait before reading a partition again after the database or
 *     Kafka failed
 * @param sendTimeout how long the dead-letter topic may take to acknowledge a message
 * @param sources the topics to read; ingestion is off while there is none
 * @param consumer further consumer properties (TLS, SASL, {@code max.poll.records}, ...), as
 *     Kafka names them; they cannot turn automatic commits on
 * @param producer further properties of the dead-letter producer, as Kafka names them
 */
@ConfigurationProperties("ivs.kafka.ingest")
public record IngestSettings(
        @DefaultValue("") String bootstrapServers,
        @DefaultValue("ivs-ingest") String groupId,
        @DefaultValue("ivs.ingest.dead-letter") String deadLetterTopic,
        @DefaultValue("PT1S") Duration pollTimeout,
        @DefaultValue("PT2S") Duration retryBackoff,
        @DefaultValue("PT30S") Duration sendTimeout,
        @Nullable List<Source> sources,
        @Nullable Map<String, String> consumer,
        @Nullable Map<String, String> producer) {
    /** Sources read by one instance at most: each is a topic of the one consumer. */
    static final int SOURCES_MAX = 100;

    public IngestSettings {
        bootstrapServers = bootstrapServers.strip();
        groupId = groupId.strip();
        deadLetterTopic = deadLetterTopic.strip();
        sources = sources == null ? List.of() : List.copyOf(sources);
        consumer = consumer == null ? Map.of() : Map.copyOf(consumer);
        producer = producer == null ? Map.of() : Map.copyOf(producer);
        if (groupId.isEmpty() || deadLetterTopic.isEmpty()) {
            throw new IllegalArgumentException("ivs.kafka.ingest.group-id and"
                    + " ivs.kafka.ingest.dead-letter-topic must not be blank");
        }
        if (pollTimeout.isNegative()
                || pollTimeout.isZero()
                || !retryBackoff.isPositive()
                || !sendTimeout.isPositive()) {
            throw new IllegalArgumentException("ivs.kafka.ingest.poll-timeout, retry-backoff and"
                    + " send-timeout must be positive");
        }
        requireDistinctTopics(sources, deadLetterTopic);
    }

    private static void requireDistinctTopics(List<Source> sources, String deadLetterTopic) {
        if (sources.size() > SOURCES_MAX) {
            throw new IllegalArgumentException(
                    "ivs.kafka.ingest.sources may name at most " + SOURCES_MAX + " topics");
        }
        Set<String> topics = new HashSet<>();
        for (Source source : sources) {
            if (!topics.add(source.topic())) {
                throw new IllegalArgumentException(
                        "ivs.kafka.ingest.sources names topic '" + source.topic() + "' twice");
            }
        }
        if (topics.contains(deadLetterTopic)) {
            throw new IllegalArgumentException(
                    "the dead-letter topic '" + deadLetterTopic + "' cannot be read as a source");
        }
    }

    @Override
    public List<Source> sources() {
        return sources == null ? List.of() : sources;
    }

    @Override
    public Map<String, String> consumer() {
        return consumer == null ? Map.of() : consumer;
    }

    @Override
    public Map<String, String> producer() {
        return producer == null ? Map.of() : producer;
    }

    public boolean enabled() {
        return !sources().isEmpty();
    }

    /**
     * One topic IVS reads.
     *
     * @param topic the topic's name
     * @param environment the environment every message of the topic writes to; blank: each
     *     message names its own in the header {@code ivs-environment}
     * @param kind the kind of a message without the header {@code ivs-kind}; blank: the header is
     *     required
     * @param dataSource the data source of set-on-hand and sync messages without the header
     *     {@code ivs-data-source}; blank: the header is required for them
     * @param roles the roles the source writes with, as a client's token would hold them
     */
    public record Source(
            @DefaultValue("") String topic,
            @DefaultValue("") String environment,
            @DefaultValue("") String kind,
            @DefaultValue("") String dataSource,
            @DefaultValue("inventory.write") Set<String> roles) {
        public Source {
            topic = topic.strip();
            environment = environment.strip();
            kind = kind.strip().toLowerCase(Locale.ROOT);
            dataSource = dataSource.strip().toLowerCase(Locale.ROOT);
            if (topic.isEmpty()) {
                throw new IllegalArgumentException(
                        "ivs.kafka.ingest.sources[].topic must not be blank");
            }
            if (!kind.isEmpty() && MessageKind.parse(kind).isEmpty()) {
                throw new IllegalArgumentException("ivs.kafka.ingest.sources[].kind of topic '"
                        + topic + "' must be one of " + MessageKind.names());
            }
            roles = parseRoles(topic, roles);
        }

        private static Set<String> parseRoles(String topic, Set<String> names) {
            Set<String> roles = new LinkedHashSet<>();
            for (String name : names) {
                Role role = Role.parse(name)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "ivs.kafka.ingest.sources[].roles of topic '" + topic
                                        + "' names an unknown role '" + name + "'"));
                roles.add(role.wireName());
            }
            return Set.copyOf(roles);
        }

        /**
         * The data sources the source may write, as for a client with its roles: {@code
         * inventory.erp} the ERP-owned ones, {@code inventory.write} the others.
         */
        WriteAccess writeAccess() {
            return new WriteAccess(
                    roles.contains(Role.INVENTORY_ERP.wireName()),
                    roles.contains(Role.INVENTORY_WRITE.wireName()));
        }

        /** Whether the source holds one of {@code needed}, as the API's access policy asks. */
        boolean holdsOneOf(Set<Role> needed) {
            return needed.stream().anyMatch(role -> roles.contains(role.wireName()));
        }
    }
}
