package io.ivs.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.feed.Alert;
import io.ivs.server.feed.ChangeFeed;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Which topic a feed entry is published to, and what an alert's record holds. */
class KafkaAlertRecordTest {
    private static final KafkaSettings SETTINGS = new KafkaSettings(
            "localhost:9092",
            "ivs.changes",
            "ivs.stock-alerts",
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            500,
            Duration.ofSeconds(30),
            Map.of());

    private final KafkaPublisher publisher =
            new KafkaPublisher(SETTINGS, null, null, null, null, null);

    private static ChangeFeed.Change change(Alert alert) {
        return new ChangeFeed.Change(
                7,
                Instant.EPOCH,
                alert == null ? "onhand" : "alert",
                "usmf",
                "P1",
                Map.of("siteid", "1"),
                alert == null ? Map.of("pos", Map.of("inbound", BigDecimal.ONE)) : null,
                null,
                alert);
    }

    @Test
    void record_change_goesToTheChangesTopicWithoutType() {
        ProducerRecord<byte[], byte[]> record = publisher.record("env", change(null));

        assertThat(record.topic()).isEqualTo("ivs.changes");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain("\"type\"");
    }

    @Test
    void record_alert_goesToTheAlertsTopicWithItsType() {
        Alert alert = new Alert(
                "stock.out", "r", "iv.availabletoreserve", BigDecimal.ZERO, BigDecimal.ZERO, null);

        ProducerRecord<byte[], byte[]> record = publisher.record("env", change(alert));

        assertThat(record.topic()).isEqualTo("ivs.stock-alerts");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("env/usmf/P1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .contains("\"type\":\"stock.out\"", "\"kind\":\"alert\"", "\"rule\":\"r\"");
    }
}
