package io.ivs.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.onhand.OnHandService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.ingest.IngestMonitor;
import io.ivs.server.ingest.IngestSettings;
import io.ivs.server.ingest.KafkaIngestor;
import io.ivs.server.ingest.SyncIngestion;
import io.ivs.server.kafka.KafkaBroker;
import io.ivs.server.kafka.KafkaSettings;
import io.ivs.server.onhand.OnHandItems;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Integrations page's Kafka section with Kafka ingestion running against a real broker: the
 * topic with its counts, the partitions' lag, the latest dead letter with its reason, and the
 * open Kafka sync by its producer's name; another environment's page shows none of it.
 */
class ConsoleKafkaIntegrationsIntegrationTest extends HttpTestSupport {
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

    private KafkaIngestor ingestor;

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
    void stopIngestor() {
        if (ingestor != null) {
            ingestor.stop();
        }
    }

    private static ProducerRecord<String, String> message(
            String topic, String body, String... headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, "k", body);
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static String change(String id, int quantity) {
        return IvsClient.json(IvsClient.map(
                "id",
                id,
                "organizationId",
                "usmf",
                "productId",
                "K1",
                "dimensions",
                IvsClient.map("siteId", "1", "locationId", "11"),
                "quantities",
                IvsClient.map("pos", IvsClient.map("inbound", quantity))));
    }

    @Test
    void integrations_withKafkaIngestion_showTopicLagDeadLettersAndKafkaSyncs() throws Exception {
        String topic = "console-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (ProducerRecord<String, String> record : List.of(
                    message(topic, change("k1", 3), "ivs-kind", "onhand"),
                    message(topic, "{not json", "ivs-kind", "onhand"),
                    message(
                            topic,
                            "",
                            "ivs-kind",
                            "sync",
                            "ivs-data-source",
                            "pos",
                            "ivs-sync-id",
                            "console-sync",
                            "ivs-sync-action",
                            "begin"))) {
                producer.send(record).get();
            }
        }
        IngestSettings settings = new IngestSettings(
                broker.bootstrapServers(),
                "group-" + UUID.randomUUID(),
                topic + ".dlq",
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofSeconds(10),
                List.of(new IngestSettings.Source(topic, env, "", "", Set.of("inventory.write"))),
                Map.of(),
                Map.of());
        ingestor = new KafkaIngestor(
                settings, publisher, environments, items, onHand, sync, meters, monitor);
        ingestor.start();
        ConsoleHttp console = new ConsoleHttp(port);
        assertThat(console.signIn(IvsClient.ADMIN_ID, IvsClient.ADMIN_SECRET).status())
                .isEqualTo(302);

        String section = kafkaSection(console, env);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ready(section, topic)) {
            assertThat(System.nanoTime()).as(section).isLessThan(deadline);
            Thread.sleep(200);
            section = kafkaSection(console, env);
        }

        assertThat(section).contains("Kafka ingestion is", "<strong>on</strong>", topic);
        assertThat(cells(row(section, "data-topic=\"" + topic + "\"")))
                .containsExactly(
                        topic, env, "from header", "from header", "inventory.write", "2", "1");
        List<List<String>> lags = bodyRows(table(section, "kafka-lag"));
        assertThat(lags).isNotEmpty().allSatisfy(lag -> {
            assertThat(lag).hasSize(3).startsWith(topic);
            assertThat(lag.get(2)).isEqualTo("0");
        });
        String deadLetters = table(section, "kafka-dead-letters");
        assertThat(deadLetters).contains(topic + "-", "@1", "body");
        String syncs = table(section, "kafka-syncs");
        assertThat(row(syncs, "data-sync=\"console-sync\"")).contains("pos", "open", "expires");

        String other = "test-" + UUID.randomUUID();
        assertThat(client.put("/admin/environments/" + other, null).status()).isEqualTo(201);
        String elsewhere = kafkaSection(console, other);
        assertThat(elsewhere)
                .contains("No topic writes to this environment", "No full sync")
                .doesNotContain(
                        "data-topic=\"" + topic, "id=\"kafka-dead-letters\"", "console-sync");
    }

    /** The page once the three messages were handled and the lag was measured. */
    private static boolean ready(String section, String topic) {
        return section.contains("console-sync")
                && section.contains("id=\"kafka-dead-letters\"")
                && cells(row(section, "data-topic=\"" + topic + "\"")).getLast().equals("1")
                && !section.contains("This instance reads no")
                && bodyRows(table(section, "kafka-lag")).stream()
                        .allMatch(lag -> lag.getLast().equals("0"));
    }

    private static List<List<String>> bodyRows(String table) {
        String body = table.substring(table.indexOf("<tbody>"));
        return java.util.Arrays.stream(body.split("</tr>"))
                .filter(row -> row.contains("<tr"))
                .map(ConsoleKafkaIntegrationsIntegrationTest::cells)
                .toList();
    }

    private static String kafkaSection(ConsoleHttp console, String environment) {
        ConsoleHttp.Page page = console.get("/console/env/" + environment + "/integrations");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String body = page.body();
        int start = body.indexOf("<section id=\"kafka-sources\"");
        assertThat(start).as(body).isNotNegative();
        // Text wraps in the template; one space for every run of white space reads as shown.
        return body.substring(start, body.indexOf("</section>", start)).replaceAll("\\s+", " ");
    }

    private static String table(String html, String id) {
        int start = html.indexOf("<table id=\"" + id + "\"");
        assertThat(start).as(html).isNotNegative();
        return html.substring(start, html.indexOf("</table>", start));
    }

    private static String row(String html, String marker) {
        int at = html.indexOf(marker);
        assertThat(at).as(html).isNotNegative();
        int start = html.lastIndexOf("<tr", at);
        return html.substring(start, html.indexOf("</tr>", at));
    }

    private static List<String> cells(String row) {
        Matcher matcher =
                Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>", Pattern.DOTALL).matcher(row);
        List<String> cells = new java.util.ArrayList<>();
        while (matcher.find()) {
            cells.add(matcher.group(1).replaceAll("<[^>]+>", "").strip());
        }
        return cells;
    }
}
