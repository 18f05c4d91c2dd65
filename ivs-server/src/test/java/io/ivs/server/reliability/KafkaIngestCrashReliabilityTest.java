package io.ivs.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.kafka.KafkaBroker;
import io.ivs.server.support.IvsClient;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Kafka ingestion exactly once across failures: IVS (a child JVM) ingests a stream of change
 * events from a real broker while the broker is restarted, and then while IVS itself is killed
 * with SIGKILL and started again; at the end every product's total equals the sum of the events
 * produced, nothing was dead-lettered, and the lag is 0. Small polls ({@code max.poll.records})
 * keep the stream long enough for both failures to land in its middle.
 */
class KafkaIngestCrashReliabilityTest {
    private static final int MESSAGES_PER_PHASE = 2_000;
    private static final int PRODUCTS = 8;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(240);

    private static KafkaBroker broker;
    private static ChildServer server;
    private static IvsClient client;
    private static final String ENV = "kafka-crash-" + UUID.randomUUID();
    private static final String TOPIC = "ivs.ingest.crash-" + UUID.randomUUID();
    private static final String DEAD_LETTERS = TOPIC + ".dlq";

    @BeforeAll
    static void start() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        broker = KafkaBroker.start();
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(TOPIC, 4, (short) 1),
                            new NewTopic(DEAD_LETTERS, 1, (short) 1)))
                    .all()
                    .get();
        }
        server = new ChildServer(List.of(
                "--ivs.kafka.ingest.bootstrap-servers=" + broker.bootstrapServers(),
                "--ivs.kafka.ingest.sources[0].topic=" + TOPIC,
                "--ivs.kafka.ingest.sources[0].environment=" + ENV,
                "--ivs.kafka.ingest.sources[0].kind=onhand",
                "--ivs.kafka.ingest.dead-letter-topic=" + DEAD_LETTERS,
                "--ivs.kafka.ingest.retry-backoff=PT1S",
                "--ivs.kafka.ingest.consumer.max.poll.records=10",
                "--logging.level.org.apache.kafka=ERROR"));
        server.start();
        client = new IvsClient(server.port());
        IvsClient.Response created = client.put("/admin/environments/" + ENV, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void ingest_brokerRestartAndIvsKilledMidStream_everyEventCountedOnce() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        produce(0, MESSAGES_PER_PHASE, expected);
        long before = awaitTotalAbove(0);
        broker.stop();
        ChildServer.sleep(Duration.ofSeconds(3));
        broker.startAgain();
        long atRestart = total();
        System.out.printf("broker restarted with %d of %d units ingested%n", before, sum(expected));
        assertThat(before).as("the broker restart fell in the stream").isLessThan(sum(expected));

        produce(MESSAGES_PER_PHASE, 2 * MESSAGES_PER_PHASE, expected);
        long atKill = awaitTotalAbove(atRestart);
        server.kill();
        System.out.printf("IVS killed with %d of %d units ingested%n", atKill, sum(expected));
        assertThat(atKill).as("the kill fell in the stream").isLessThan(sum(expected));
        produce(2 * MESSAGES_PER_PHASE, 3 * MESSAGES_PER_PHASE, expected);
        server.start();

        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (!stored().equals(expected)) {
            assertThat(System.nanoTime())
                    .as("totals %s reach %s\n%s", stored(), expected, server.logTail())
                    .isLessThan(deadline);
            ChildServer.sleep(Duration.ofMillis(500));
        }
        ChildServer.sleep(Duration.ofSeconds(3));
        assertThat(stored()).as("nothing counted twice later").isEqualTo(expected);
        assertThat(deadLetterCount()).as("nothing dead-lettered").isZero();
        String scrape = client.get("/actuator/prometheus").body();
        List<String> lags = scrape.lines()
                .filter(line -> line.startsWith("ivs_kafka_ingest_lag_records{"))
                .toList();
        assertThat(lags)
                .as(scrape)
                .hasSize(4)
                .allSatisfy(line -> assertThat(line).endsWith(" 0.0"));
    }

    /** Sends change events {@code from} to {@code to} and waits for every acknowledgement. */
    private static void produce(int from, int to, Map<String, Long> expected) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            List<Future<?>> acks = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String product = "P" + (i % PRODUCTS);
                long quantity = 1 + i % 7;
                acks.add(producer.send(
                        new ProducerRecord<>(TOPIC, product, event(i, product, quantity))));
                expected.merge(product, quantity, Long::sum);
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
        }
    }

    private static String event(int i, String product, long quantity) {
        return IvsClient.json(IvsClient.map(
                "id",
                "k-" + i,
                "organizationId",
                "usmf",
                "productId",
                product,
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11"),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", quantity))));
    }

    private static long sum(Map<String, Long> quantities) {
        return quantities.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long total() {
        return sum(stored());
    }

    private static long awaitTotalAbove(long floor) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        long total = total();
        while (total <= floor) {
            assertThat(System.nanoTime()).as("ingestion progress").isLessThan(deadline);
            ChildServer.sleep(Duration.ofMillis(50));
            total = total();
        }
        return total;
    }

    private static Map<String, Long> stored() {
        IvsClient.Response response =
                client.post("/api/environment/" + ENV + "/onhand/indexquery", """
                {"filters": {"organizationId": ["usmf"], "productId": [],
                             "siteId": ["1"], "locationId": ["11"]},
                 "returnNegative": true}""");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Long> stored = new TreeMap<>();
        for (JsonNode row : response.json()) {
            stored.put(
                    row.path("productId").asString(),
                    row.path("quantities")
                            .path("pos")
                            .path("inbound")
                            .decimalValue()
                            .longValueExact());
        }
        return stored;
    }

    private static int deadLetterCount() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(DEAD_LETTERS));
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(500)).count();
            }
            return count;
        }
    }
}
