package io.ivs.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.onhand.OnHandService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.feed.ChangeSequencer;
import io.ivs.server.ingest.IngestMonitor;
import io.ivs.server.ingest.IngestSettings;
import io.ivs.server.ingest.KafkaIngestor;
import io.ivs.server.ingest.SyncIngestion;
import io.ivs.server.kafka.KafkaBroker;
import io.ivs.server.kafka.KafkaSettings;
import io.ivs.server.onhand.OnHandItems;
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
import org.junit.jupiter.api.BeforeEach;
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
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Full syncs fed from Kafka against a real broker: the producer names its sync, the steps come
 * as messages ({@code begin}, {@code records}, {@code complete}, {@code abort}), and the effect
 * is the API's: completion sets to zero what the sync did not mention, with every change in the
 * change feed. The same messages read again (by a new consumer group) or sent again change
 * nothing; an abort sets nothing to zero; steps that cannot apply go to the dead-letter topic
 * with the reason.
 */
class KafkaSyncIntegrationTest extends SyncTestSupport {
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

    @Autowired
    ChangeSequencer sequencer;

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

    @BeforeEach
    void names() {
        topic = "sync-" + UUID.randomUUID();
        deadLetterTopic = topic + ".dlq";
    }

    @AfterEach
    void stopIngestors() {
        started.forEach(KafkaIngestor::stop);
        started.clear();
    }

    /** Reads the test's topic as a new consumer group, with the ERP's role. */
    private void ingest(String... roles) {
        IngestSettings settings = new IngestSettings(
                broker.bootstrapServers(),
                "group-" + UUID.randomUUID(),
                deadLetterTopic,
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofSeconds(10),
                List.of(new IngestSettings.Source(topic, env, "sync", "fno", Set.of(roles))),
                Map.of(),
                Map.of());
        KafkaIngestor ingestor = new KafkaIngestor(
                settings, publisher, environments, items, onHand, sync, meters, monitor);
        ingestor.start();
        started.add(ingestor);
    }

    private static ProducerRecord<String, String> step(
            String topic, String name, String action, String body) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, "fno", body);
        record.headers().add("ivs-sync-id", name.getBytes(StandardCharsets.UTF_8));
        record.headers().add("IVS-Sync-Action", action.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private List<ProducerRecord<String, String>> fullSync(String name) {
        return List.of(
                step(topic, name, "begin", "{\"timeoutSeconds\": 600}"),
                step(topic, name, "records", IvsClient.json(List.of(fno("a2", "A", 50)))),
                step(
                        topic,
                        name,
                        "records",
                        IvsClient.json(List.of(fno("b2", "B", 6), fno("d2", "D", 9)))),
                step(topic, name, "complete", ""));
    }

    /** Sends messages in order on one partition (one key) and waits for every acknowledgement. */
    private static void send(List<ProducerRecord<String, String>> records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            List<Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<String, String> record : records) {
                acks.add(producer.send(record));
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Messages of the test's topic this JVM's ingestion handled, by outcome. */
    private long handled(String outcome) {
        io.micrometer.core.instrument.Counter counter = meters.find("ivs.kafka.ingest.messages")
                .tags("topic", topic, "outcome", outcome)
                .counter();
        return counter == null ? 0 : (long) counter.count();
    }

    @Test
    void fullSync_overKafka_zeroesWhatItDidNotMention_andTheFeedShowsEveryChange()
            throws Exception {
        IvsClient erp = erp();
        setOk(erp, "fno", List.of(fno("a1", "A", 5), fno("b1", "B", 6), fno("c1", "C", 7)));
        int feedBefore = changes().size();
        send(fullSync("nightly-1"));

        ingest("inventory.erp");
        await("C is set to zero", () -> "0".equals(physical("C")));

        assertThat(physical("A")).isEqualTo("50");
        assertThat(physical("B")).isEqualTo("6");
        assertThat(physical("D")).isEqualTo("9");
        JsonNode status = erp.get(api("/sync/fno")).json();
        JsonNode last = status.path("lastFullSync");
        assertThat(last.path("status").asString()).isEqualTo("completed");
        assertThat(last.path("records").asLong()).isEqualTo(3);
        assertThat(last.path("zeroed").asLong()).isEqualTo(1);
        List<JsonNode> changes = changes();
        // A to 50, D to 9 and C to 0 (B was set to what it already held).
        assertThat(changes.subList(feedBefore, changes.size()))
                .extracting(change -> change.path("productId").asString())
                .contains("A", "C", "D");
        JsonNode lastOfC = changes.reversed().stream()
                .filter(change -> change.path("productId").asString().equals("C"))
                .findFirst()
                .orElseThrow();
        assertThat(lastOfC.path("quantities").path("fno").path("physicalinvent").decimalValue())
                .isZero();
        await("four messages applied", () -> handled("applied") == 4);
        assertThat(handled("dead_lettered")).isZero();
    }

    @Test
    void fullSync_deliveredTwice_changesNothingMore() throws Exception {
        IvsClient erp = erp();
        setOk(erp, "fno", List.of(fno("a1", "A", 5), fno("c1", "C", 7)));
        send(fullSync("nightly-2"));
        ingest("inventory.erp");
        await("C is set to zero", () -> "0".equals(physical("C")));
        await("four messages applied", () -> handled("applied") == 4);
        // C is stocked again after the sync; a copy of the sync must not zero it a second time.
        setOk(erp, "fno", List.of(fno("c3", "C", 4)));
        int feedBefore = changes().size();
        String syncId = erp.get(api("/sync/fno"))
                .json()
                .path("lastFullSync")
                .path("syncId")
                .asString();

        // The producer sends the whole sync again, and a new group reads the topic from the start.
        stopIngestors();
        send(fullSync("nightly-2"));
        ingest("inventory.erp");

        await("4 + 8 messages applied", () -> handled("applied") == 12);
        assertThat(handled("dead_lettered")).isZero();
        assertThat(physical("A")).isEqualTo("50");
        assertThat(physical("C")).isEqualTo("4");
        assertThat(physical("D")).isEqualTo("9");
        assertThat(changes()).hasSize(feedBefore);
        JsonNode last = erp.get(api("/sync/fno")).json().path("lastFullSync");
        assertThat(last.path("syncId").asString()).isEqualTo(syncId);
        assertThat(last.path("zeroed").asLong()).isEqualTo(1);
    }

    @Test
    void fullSync_aborted_zeroesNothing_andLaterStepsAreDeadLettered() throws Exception {
        IvsClient erp = erp();
        setOk(erp, "fno", List.of(fno("a1", "A", 5), fno("c1", "C", 7)));
        send(List.of(
                step(topic, "weekly", "begin", ""),
                step(topic, "weekly", "records", IvsClient.json(List.of(fno("a2", "A", 8)))),
                step(topic, "weekly", "abort", ""),
                step(topic, "weekly", "abort", ""),
                step(topic, "weekly", "complete", ""),
                step(topic, "weekly", "records", IvsClient.json(List.of(fno("c2", "C", 1)))),
                step(topic, "never-begun", "records", IvsClient.json(List.of(fno("e", "E", 1))))));

        ingest("inventory.erp");
        List<Map<String, String>> dead = deadLetters(3);

        assertThat(physical("A")).isEqualTo("8");
        assertThat(physical("C")).isEqualTo("7");
        assertThat(physical("E")).isNull();
        JsonNode status = erp.get(api("/sync/fno")).json();
        assertThat(status.path("lastFullSync").path("status").asString()).isEqualTo("aborted");
        assertThat(status.path("openSync").isNull()).isTrue();
        assertThat(dead)
                .extracting(headers -> headers.get("ivs-dlq-offset"))
                .containsExactly("4", "5", "6");
        assertThat(dead.get(0).get("ivs-dlq-reason"))
                .contains("sync 'weekly' of data source 'fno', complete:", "is aborted");
        assertThat(dead.get(1).get("ivs-dlq-reason"))
                .contains("sync 'weekly'", "records:", "the sync is aborted");
        assertThat(dead.get(2).get("ivs-dlq-reason"))
                .contains(
                        "sync 'never-begun' of data source 'fno', records: no such sync",
                        "ivs-sync-action is begin");
    }

    @Test
    void fullSync_ofAnErpOwnedSource_fromATopicWithoutTheErpRole_isRefused() throws Exception {
        send(List.of(step(topic, "not-mine", "begin", "")));

        ingest("inventory.write");
        List<Map<String, String>> dead = deadLetters(1);

        assertThat(dead.get(0).get("ivs-dlq-reason"))
                .contains("sync 'not-mine'", "begin:", "written only by the ERP");
        assertThat(erp().get(api("/sync/fno")).json().path("openSync").isNull()).isTrue();
    }

    private List<Map<String, String>> deadLetters(int count) throws Exception {
        List<Map<String, String>> seen = new ArrayList<>();
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
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(headers(r)));
            }
            // Late extra dead letters, if any, fail the count.
            consumer.poll(Duration.ofMillis(1_000)).forEach(r -> seen.add(headers(r)));
        }
        assertThat(seen).hasSize(count);
        return seen;
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** Every record change of the test's environment, in feed order. */
    private List<JsonNode> changes() {
        sequencer.sequenceNow();
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        while (true) {
            IvsClient.Response response = client.get(
                    api("/changes?limit=1000" + (cursor == null ? "" : "&after=" + cursor)));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode page = response.json();
            page.path("changes").forEach(all::add);
            cursor = page.path("next").asString();
            if (!page.path("hasMore").asBoolean()) {
                return all;
            }
        }
    }
}
