package io.ivs.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.onhand.OnHandService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.kafka.KafkaBroker;
import io.ivs.server.kafka.KafkaSettings;
import io.ivs.server.onhand.OnHandItems;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Kafka ingestion against a real broker (KRaft, in a child JVM): changes and sets arrive at the
 * totals the query API shows; a redelivery of everything changes nothing twice; messages that
 * cannot be applied go to the dead-letter topic with the reason and their origin in headers,
 * without holding up the messages behind them; the lag is on {@code /actuator/prometheus}.
 */
class KafkaIngestIntegrationTest extends HttpTestSupport {
    static final String ORG = "usmf";
    private static KafkaBroker broker;

    @Autowired
    KafkaSettings publisher;

    @Autowired
    EnvironmentService environments;

    @Autowired
    OnHandItems items;

    @Autowired
    OnHandService onHand;

    @Autowired
    ObjectProvider<SyncIngestion> sync;

    @Autowired
    MeterRegistry meters;

    @Autowired
    IngestMonitor monitor;

    private final List<KafkaIngestor> started = new ArrayList<>();
    private String topic;
    private String deadLetterTopic;

    @BeforeAll
    static void startBroker() throws Exception {
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

    @AfterEach
    void stopIngestors() {
        started.forEach(KafkaIngestor::stop);
    }

    private KafkaIngestor ingest(String groupId, IngestSettings.Source... sources) {
        IngestSettings settings = new IngestSettings(
                broker.bootstrapServers(),
                groupId,
                deadLetterTopic,
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofSeconds(10),
                List.of(sources),
                Map.of(),
                Map.of());
        KafkaIngestor ingestor = new KafkaIngestor(
                settings, publisher, environments, items, onHand, sync, meters, monitor);
        ingestor.start();
        started.add(ingestor);
        return ingestor;
    }

    private IngestSettings.Source source(String topic, Set<String> roles) {
        return new IngestSettings.Source(topic, env, "", "", roles);
    }

    private KafkaIngestor ingestThisTopic(String groupId) {
        return ingest(groupId, source(topic, Set.of("inventory.write")));
    }

    @org.junit.jupiter.api.BeforeEach
    void names() {
        topic = "ingest-" + UUID.randomUUID();
        deadLetterTopic = topic + ".dlq";
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** Sends messages in order on one partition (one key) and waits for every acknowledgement. */
    private void send(String topic, List<ProducerRecord<String, String>> records) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<String, String> record : records) {
                acks.add(producer.send(record));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        }
    }

    static ProducerRecord<String, String> message(
            String topic, String key, String value, String... headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    static String change(String id, String product, String measure, int quantity) {
        return IvsClient.json(IvsClient.map(
                "id", id,
                "organizationId", ORG,
                "productId", product,
                "dimensions", IvsClient.map("siteId", "1", "locationId", "11"),
                "quantities", IvsClient.map("pos", IvsClient.map(measure, quantity))));
    }

    /** The product's quantity of {@code pos.<measure>}, or null when it has no row. */
    private String quantity(String product, String measure) {
        IvsClient.Response response = client.post(
                api("/onhand/indexquery"),
                IvsClient.json(IvsClient.map(
                        "filters",
                        IvsClient.map(
                                "organizationId", List.of(ORG),
                                "productId", List.of(product),
                                "siteId", List.of("1"),
                                "locationId", List.of("11")),
                        "groupByValues",
                        List.of(),
                        "returnNegative",
                        true)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode row : response.json()) {
            return quantity(row, "pos", measure);
        }
        return null;
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private List<ConsumerRecord<String, String>> deadLetters(int count) throws Exception {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(deadLetterTopic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < count) {
                assertThat(System.nanoTime())
                        .as("%d dead letters, have %d", count, seen.size())
                        .isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            // Late extra dead letters, if any, fail the count.
            consumer.poll(Duration.ofMillis(1_000)).forEach(seen::add);
        }
        return seen;
    }

    static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Test
    void ingest_changesAndSets_showInTheQueryApi_andARedeliveryChangesNothingTwice()
            throws Exception {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        int expected = 0;
        for (int i = 0; i < 60; i++) {
            records.add(message(
                    topic,
                    "P" + (i % 4),
                    change("c" + i, "P" + (i % 4), "inbound", i),
                    "ivs-kind",
                    "onhand"));
            expected += i % 4 == 1 ? i : 0;
        }
        // A bulk as .../onhand/bulk takes, and a message the producer sent twice.
        List<String> bulk = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bulk.add(change("b" + i, "P1", "inbound", 100));
        }
        records.add(message(topic, "P1", "[" + String.join(",", bulk) + "]", "IVS-Kind", "onhand"));
        records.add(message(topic, "P1", change("dup", "P1", "inbound", 7), "ivs-kind", "onhand"));
        records.add(message(topic, "P1", change("dup", "P1", "inbound", 7), "ivs-kind", "onhand"));
        expected += 1_000 + 7;
        // Set-on-hand records: the later observation of S0 wins.
        records.add(message(
                topic,
                "S0",
                "[" + set("s1", "S0", 40, "2026-01-01T00:00:00Z") + ","
                        + set("s2", "S0", 25, "2026-01-02T00:00:00Z") + "]",
                "ivs-kind",
                "setonhand",
                "ivs-data-source",
                "pos"));
        send(topic, records);

        ingestThisTopic("group-" + UUID.randomUUID());
        String total = Integer.toString(expected);
        await("P1 reaches " + total, () -> total.equals(quantity("P1", "inbound")));
        await("S0 is set", () -> "25".equals(quantity("S0", "inbound")));
        assertThat(quantity("P2", "inbound")).isEqualTo(Integer.toString(sum(2)));
        await(
                "the lag is 0 on /actuator/prometheus",
                () -> scrape().lines()
                        .anyMatch(line -> line.startsWith("ivs_kafka_ingest_lag_records{")
                                && line.contains("topic=\"" + topic + "\"")
                                && line.endsWith(" 0.0")));
        assertThat(scrape())
                .contains("ivs_kafka_ingest_messages_total{outcome=\"applied\",topic=\"" + topic
                        + "\"} " + records.size() + ".0");

        // Everything again: a second group reads the topic from the start.
        stopIngestors();
        started.clear();
        ingestThisTopic("group-" + UUID.randomUUID());
        await(
                "the second group read everything",
                () -> scrape().contains(
                                "ivs_kafka_ingest_messages_total{outcome=\"applied\",topic=\""
                                        + topic + "\"} " + 2 * records.size() + ".0"));
        assertThat(quantity("P1", "inbound")).isEqualTo(total);
        assertThat(quantity("P2", "inbound")).isEqualTo(Integer.toString(sum(2)));
        assertThat(quantity("S0", "inbound")).isEqualTo("25");
    }

    private static int sum(int product) {
        int sum = 0;
        for (int i = 0; i < 60; i++) {
            sum += i % 4 == product ? i : 0;
        }
        return sum;
    }

    static String set(String id, String product, int quantity, String at) {
        return IvsClient.json(IvsClient.map(
                "id", id,
                "organizationId", ORG,
                "productId", product,
                "dimensions", IvsClient.map("siteId", "1", "locationId", "11"),
                "quantities", IvsClient.map("pos", IvsClient.map("inbound", quantity)),
                "modifiedDateTimeUTC", at));
    }

    private String scrape() {
        IvsClient.Response response = client.get("/actuator/prometheus");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void ingest_messagesThatCannotApply_goToTheDeadLetterTopicWithReasons_andDoNotBlock()
            throws Exception {
        String readOnly = topic + ".read-only";
        String fno = IvsClient.json(IvsClient.map(
                "id",
                "fno-1",
                "organizationId",
                ORG,
                "productId",
                "P9",
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11"),
                "quantities",
                IvsClient.map("fno", IvsClient.map("availphysical", 5))));
        List<ProducerRecord<String, String>> records = List.of(
                message(topic, "k", "{not json", "ivs-kind", "onhand"),
                message(topic, "k", change("u1", "P9", "inbound", 1), "ivs-kind", "stock"),
                message(topic, "k", change("n1", "P9", "inbound", 1)),
                message(topic, "k", fno, "ivs-kind", "onhand"),
                message(
                        topic,
                        "k",
                        "[" + change("g1", "P9", "inbound", 3) + ","
                                + "{\"id\": \"bad\", \"organizationId\": \"usmf\"}]",
                        "ivs-kind",
                        "onhand"),
                message(topic, "k", "[]", "ivs-kind", "setonhand"),
                message(
                        topic,
                        "k",
                        "[]",
                        "ivs-kind",
                        "sync",
                        "ivs-data-source",
                        "pos",
                        "ivs-sync-id",
                        "full-1",
                        "ivs-sync-action",
                        "records"),
                message(
                        topic,
                        "k",
                        change("other", "P9", "inbound", 1),
                        "ivs-kind",
                        "onhand",
                        "ivs-environment",
                        "another-environment"),
                message(topic, "k", change("g2", "P9", "inbound", 4), "ivs-kind", "onhand"));
        send(topic, records);
        send(
                readOnly,
                List.of(message(
                        readOnly, "k", change("r1", "P9", "inbound", 100), "ivs-kind", "onhand")));
        ingest(
                "group-" + UUID.randomUUID(),
                source(topic, Set.of("inventory.write")),
                source(readOnly, Set.of("inventory.read")));

        await("the messages behind the poison apply", () -> "7".equals(quantity("P9", "inbound")));
        List<ConsumerRecord<String, String>> dead = deadLetters(9);
        assertThat(dead).hasSize(9);
        Map<String, Map<String, String>> byOffset = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> letter : dead) {
            Map<String, String> headers = headers(letter);
            byOffset.put(
                    headers.get("ivs-dlq-topic") + "@" + headers.get("ivs-dlq-offset"), headers);
            assertThat(headers).containsKeys("ivs-dlq-reason", "ivs-dlq-partition");
        }
        assertThat(reason(byOffset, topic, 0)).contains("body").contains("JSON");
        assertThat(reason(byOffset, topic, 1)).contains("ivs-kind", "'stock' is not a kind");
        assertThat(reason(byOffset, topic, 2)).contains("ivs-kind", "is required");
        assertThat(reason(byOffset, topic, 3)).contains("event 'fno-1': 403", "read-only");
        assertThat(byOffset.get(topic + "@3").get("ivs-dlq-refused-ids")).isEqualTo("fno-1");
        assertThat(reason(byOffset, topic, 4)).contains("[1]").doesNotContain("g1");
        assertThat(reason(byOffset, topic, 5)).contains("ivs-data-source", "is required");
        assertThat(reason(byOffset, topic, 6))
                .contains("sync 'full-1' of data source 'pos', records: no such sync");
        assertThat(reason(byOffset, topic, 7)).contains("another-environment", "differs");
        assertThat(reason(byOffset, readOnly, 0)).contains("[inventory.read]", "inventory.write");
        // The original message is kept as it was, with its own headers.
        ConsumerRecord<String, String> first = dead.stream()
                .filter(letter -> headers(letter).get("ivs-dlq-offset").equals("0")
                        && headers(letter).get("ivs-dlq-topic").equals(topic))
                .findFirst()
                .orElseThrow();
        assertThat(first.value()).isEqualTo("{not json");
        assertThat(first.key()).isEqualTo("k");
        assertThat(headers(first)).containsEntry("ivs-kind", "onhand");
        assertThat(scrape())
                .contains("ivs_kafka_ingest_messages_total{outcome=\"dead_lettered\"," + "topic=\""
                        + topic + "\"} 8.0");
    }

    /**
     * Throughput of single-event messages on four partitions, printed for the README; the
     * assertion is only that every unit arrives once.
     */
    @Test
    void ingest_manySingleEventMessages_allArriveOnce_andThroughputIsPrinted() throws Exception {
        int messages = 20_000;
        List<ProducerRecord<String, String>> records = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            String product = "T" + (i % 16);
            records.add(message(topic, product, change("t" + i, product, "inbound", 1)));
        }
        send(topic, records);
        long started = System.nanoTime();
        ingest(
                "group-" + UUID.randomUUID(),
                new IngestSettings.Source(topic, env, "onhand", "", Set.of("inventory.write")));
        String each = Integer.toString(messages / 16);
        for (int p = 0; p < 16; p++) {
            String product = "T" + p;
            await(product + " reaches " + each, () -> each.equals(quantity(product, "inbound")));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // The same events through the API's bulk endpoint, 500 a request (a poll's worth), in
        // the same run: the ratio is what to compare on a shared machine.
        long apiStarted = System.nanoTime();
        for (int from = 0; from < messages; from += 500) {
            List<String> bulk = new ArrayList<>();
            for (int i = from; i < from + 500; i++) {
                bulk.add(change("a" + i, "A" + (i % 16), "inbound", 1));
            }
            IvsClient.Response response =
                    client.post(api("/onhand/bulk"), "[" + String.join(",", bulk) + "]");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }
        double apiSeconds = (System.nanoTime() - apiStarted) / 1e9;
        System.out.printf(
                "Kafka ingestion: %d single-event messages in %.1f s (%.0f/s);"
                        + " the API's bulk, 500 a request: %.1f s (%.0f/s); ratio %.2f%n",
                messages,
                seconds,
                messages / seconds,
                apiSeconds,
                messages / apiSeconds,
                apiSeconds / seconds);
    }

    private static String reason(Map<String, Map<String, String>> byOffset, String topic, int at) {
        Map<String, String> headers = byOffset.get(topic + "@" + at);
        assertThat(headers).as("a dead letter for %s@%d", topic, at).isNotNull();
        return headers.get("ivs-dlq-reason");
    }
}
