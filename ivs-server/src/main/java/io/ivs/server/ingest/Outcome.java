package io.ivs.server.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * What became of one message: applied, or to be dead-lettered with {@code reasons} (possibly
 * after some of its items were applied; their event ids make a replay of the message safe).
 *
 * @param refusedIds the event ids of the items that were refused, where they had one
 */
record Outcome(
        ConsumerRecord<byte[], byte[]> record, List<String> reasons, List<String> refusedIds) {
    static Outcome applied(ConsumerRecord<byte[], byte[]> record) {
        return new Outcome(record, List.of(), List.of());
    }

    static Outcome refused(ConsumerRecord<byte[], byte[]> record, String reason) {
        return new Outcome(record, List.of(reason), List.of());
    }

    boolean deadLettered() {
        return !reasons.isEmpty();
    }

    String reason() {
        return String.join("; ", reasons);
    }
}
