package io.ivs.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeFeedStore;
import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.feed.ChangeSignal;
import io.ivs.server.feed.FeedCursor;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Kafka publisher against a real broker (KRaft, from the official server artifacts, in a
 * child JVM): every change of the environment arrives once, keyed by product, in feed order per
 * product, and a publisher started again continues from the cursor stored in PostgreSQL.
 */
class KafkaPublisherIntegrationTest extends HttpTestSupport {
    static final String ORG = "usmf";
    private static KafkaBroker broker;

    @Autowired
    KafkaCursorStore cursors;

    @Autowired
    ChangeFeed feed;

    @Autowired
    ChangeFeedStore feedStore;

    @Autowired
    ChangeSignal signal;

    @Autowired
    EnvironmentService environments;

    @Autowired
    ChangeSequencer sequencer;

    @BeforeAll
    static void startBroker() throws Exception {
        // Before Spring Boot configures logging (application.yml), Logback logs at DEBUG.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaPublisher publisher(String topic) {
        return new KafkaPublisher(settings(topic), cursors, feed, feedStore, signal, environments);
    }

    private KafkaSettings settings(String topic) {
        return new KafkaSettings(
                broker.bootstrapServers(),
                topic,
                topic + ".alerts",
                Duration.ofMillis(100),
                Duration.ofSeconds(20),
                500,
                Duration.ofSeconds(10),
                Map.of());
    }

    private void post(int from, int to) {
        for (int i = from; i < to; i++) {
            IvsClient.Response response = client.post(
                    api("/onhand"),
                    IvsClient.json(IvsClient.map(
                            "id",
                            "e" + i,
                            "organizationId",
                            ORG,
                            "productId",
                            "P" + (i % 3),
                            "dimensions",
                            IvsClient.map("siteId", "1", "locationId", "11"),
                            "quantities",
                            IvsClient.map("pos", IvsClient.map("inbound", 1)))));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }
        sequencer.sequenceNow();
    }

    private KafkaConsumer<String, String> consumer(String topic) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
        List<TopicPartition> partitions = IntStream.range(0, 4)
                .mapToObj(p -> new TopicPartition(topic, p))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Reads records of this test's environment until there are {@code count} (60 s at most). */
    private void ofThisEnvironment(
            Iterable<ConsumerRecord<String, String>> records,
            List<ConsumerRecord<String, String>> seen) {
        for (ConsumerRecord<String, String> record : records) {
            if (record.key().startsWith(env + "/")) {
                seen.add(record);
            }
        }
    }

    private List<ConsumerRecord<String, String>> readUntil(
            KafkaConsumer<String, String> consumer,
            List<ConsumerRecord<String, String>> seen,
            int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < count) {
            assertThat(System.nanoTime())
                    .as("%d records, have %d", count, seen.size())
                    .isLessThan(deadline);
            ofThisEnvironment(consumer.poll(Duration.ofMillis(200)), seen);
        }
        return seen;
    }

    @Test
    void publisher_everyChangeOnceKeyedByProductInOrder_andARestartContinuesFromTheCursor()
            throws Exception {
        String topic = "ivs.changes.test-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = consumer(topic)) {
            KafkaPublisher first = publisher(topic);
            first.start();
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            try {
                post(0, 9);
                readUntil(consumer, seen, 9);
            } finally {
                first.stop();
            }
            assertRecords(seen, 9);
            long last = seen.stream()
                    .mapToLong(KafkaPublisherIntegrationTest::position)
                    .max()
                    .orElseThrow();
            assertThat(cursors.cursor(env).orElseThrow()).isGreaterThanOrEqualTo(last);

            post(9, 15);
            // The stopped publisher's lag, as the feed's lag gauges see it: the six new changes.
            FeedCursor stopped = new KafkaFeedConsumers(cursors, settings(topic))
                    .cursors(10_000).stream()
                            .filter(cursor -> cursor.environmentId().equals(env))
                            .findFirst()
                            .orElseThrow();
            assertThat(stopped.consumer()).isEqualTo("kafka");
            assertThat(feedStore.backlog(env, stopped.position()).changes()).isEqualTo(6);
            KafkaPublisher second = publisher(topic);
            second.start();
            try {
                readUntil(consumer, seen, 15);
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.key().startsWith(env + "/")) {
                        seen.add(record);
                    }
                });
            } finally {
                second.stop();
            }
            assertRecords(seen, 15);
        }
    }

    @Test
    void publisher_stockAlert_goesOnceToTheAlertsTopic_notToTheChangesTopic() throws Exception {
        String topic = "ivs.changes.test-" + UUID.randomUUID();
        IvsClient.Response rule = client.put(
                "/admin/environments/" + env + "/alerts/rules/p0-out",
                IvsClient.json(IvsClient.map(
                        "measure",
                        "iv.availabletoreserve",
                        "level",
                        IvsClient.map("organizationId", ORG, "productId", "P0"))));
        assertThat(rule.status()).as(rule.body()).isEqualTo(200);
        try (KafkaConsumer<String, String> changes = consumer(topic);
                KafkaConsumer<String, String> alerts = consumer(topic + ".alerts")) {
            KafkaPublisher publisher = publisher(topic);
            publisher.start();
            List<ConsumerRecord<String, String>> seenAlerts = new ArrayList<>();
            List<ConsumerRecord<String, String>> seenChanges = new ArrayList<>();
            try {
                post(0, 1); // P0: 0 -> 1
                IvsClient.Response out = client.post(
                        api("/onhand"),
                        IvsClient.json(IvsClient.map(
                                "id",
                                "out",
                                "organizationId",
                                ORG,
                                "productId",
                                "P0",
                                "dimensions",
                                IvsClient.map("siteId", "1", "locationId", "11"),
                                "quantities",
                                IvsClient.map("pos", IvsClient.map("outbound", 1)))));
                assertThat(out.status()).as(out.body()).isEqualTo(200);
                readUntil(alerts, seenAlerts, 1);
                readUntil(changes, seenChanges, 2);
                Thread.sleep(500);
                readUntil(alerts, seenAlerts, 1);
                // Late records, if any. The publisher also publishes the environments of other
                // tests on the same database: only this environment's records count.
                ofThisEnvironment(alerts.poll(Duration.ofMillis(300)), seenAlerts);
                ofThisEnvironment(changes.poll(Duration.ofMillis(300)), seenChanges);
            } finally {
                publisher.stop();
            }
            assertThat(seenAlerts).hasSize(1);
            JsonNode value = IvsClient.parse(seenAlerts.getFirst().value());
            assertThat(seenAlerts.getFirst().key()).isEqualTo(env + "/usmf/P0");
            assertThat(value.path("type").asString()).isEqualTo("stock.out");
            assertThat(value.path("change").path("alert").path("rule").asString())
                    .isEqualTo("p0-out");
            assertThat(seenChanges)
                    .hasSize(2)
                    .allSatisfy(record -> assertThat(IvsClient.parse(record.value())
                                    .path("change")
                                    .path("kind")
                                    .asString())
                            .isEqualTo("onhand"));
        }
    }

    /**
     * {@code count} records, one per change, keyed {@code env/org/product}; per product one
     * partition, increasing positions and the running total of the posted quantities.
     */
    private void assertRecords(List<ConsumerRecord<String, String>> records, int count) {
        assertThat(records).hasSize(count);
        assertThat(records.stream().map(KafkaPublisherIntegrationTest::position).distinct())
                .hasSize(count);
        Map<String, List<ConsumerRecord<String, String>>> byKey =
                records.stream().collect(Collectors.groupingBy(ConsumerRecord::key));
        assertThat(byKey.keySet())
                .containsExactlyInAnyOrder(env + "/usmf/P0", env + "/usmf/P1", env + "/usmf/P2");
        Map<String, Integer> partitions = new HashMap<>();
        byKey.forEach((key, ofProduct) -> {
            Set<Integer> used =
                    ofProduct.stream().map(ConsumerRecord::partition).collect(Collectors.toSet());
            assertThat(used).as("partitions of " + key).hasSize(1);
            partitions.put(key, used.iterator().next());
            for (int i = 0; i < ofProduct.size(); i++) {
                JsonNode value = IvsClient.parse(ofProduct.get(i).value());
                assertThat(value.path("environmentId").asString()).isEqualTo(env);
                JsonNode change = value.path("change");
                assertThat(key).endsWith("/" + change.path("productId").asString());
                assertThat(change.path("kind").asString()).isEqualTo("onhand");
                assertThat(change.path("quantities").path("pos").path("inbound").asInt())
                        .as("running total of " + key)
                        .isEqualTo(i + 1);
                String header = new String(
                        ofProduct
                                .get(i)
                                .headers()
                                .lastHeader(KafkaPublisher.HEADER_POSITION)
                                .value(),
                        StandardCharsets.UTF_8);
                assertThat(header).isEqualTo(change.path("position").asString());
                if (i > 0) {
                    assertThat(position(ofProduct.get(i)))
                            .isGreaterThan(position(ofProduct.get(i - 1)));
                }
            }
        });
    }

    private static long position(ConsumerRecord<String, String> record) {
        return IvsClient.parse(record.value()).path("change").path("position").asLong();
    }
}
