package io.ivs.server.ingest;

import io.ivs.core.onhand.ItemResult;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.OnHandService;
import io.ivs.server.ingest.IngestMessage.Target;
import io.ivs.server.ingest.IngestSettings.Source;
import io.ivs.server.web.DatabaseFailures;
import io.ivs.server.web.ItemEnvelopes;
import io.ivs.server.web.IvEnvelope;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies the messages of one partition, in offset order, through the bulk on-hand service:
 * consecutive messages with the same target go in one write of up to {@link
 * Limits#BULK_ITEMS_MAX} items (one transaction), so that a busy partition costs a transaction
 * per few hundred items rather than one per message. Every write has committed when {@link
 * #apply} returns, so the caller may then commit the offsets.
 */
final class PartitionBatches {
    private static final Logger log = LoggerFactory.getLogger(PartitionBatches.class);

    /** The database is unreachable: nothing of the partition can be applied now; read again. */
    static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("the database is unavailable: " + cause, cause);
        }
    }

    private final MessageReader reader;
    private final OnHandService onHand;
    private final SyncIngestion sync;

    PartitionBatches(MessageReader reader, OnHandService onHand, SyncIngestion sync) {
        this.reader = reader;
        this.onHand = onHand;
        this.sync = sync;
    }

    /** One outcome per record, in order; throws {@link Unavailable} when nothing could be told. */
    List<Outcome> apply(Source source, List<ConsumerRecord<byte[], byte[]>> records) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        Pending pending = new Pending();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            switch (reader.read(record, source)) {
                case IngestMessage.Refused refused ->
                    outcomes.add(Outcome.refused(record, refused.reason()));
                case IngestMessage.Writes writes -> {
                    if (!pending.accepts(writes)) {
                        outcomes.addAll(flush(pending));
                        pending = new Pending();
                    }
                    pending.add(record, writes);
                }
                case IngestMessage.Sync step -> {
                    outcomes.addAll(flush(pending));
                    pending = new Pending();
                    outcomes.add(sync(record, step.step()));
                }
            }
        }
        outcomes.addAll(flush(pending));
        outcomes.sort(
                java.util.Comparator.comparingLong(outcome -> outcome.record().offset()));
        return outcomes;
    }

    /** Messages waiting to be written together: same target, at most a bulk's items in all. */
    private static final class Pending {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        final List<IngestMessage.Writes> messages = new ArrayList<>();

        @Nullable
        Target target;

        int items;

        boolean accepts(IngestMessage.Writes writes) {
            return target == null
                    || (target.equals(writes.target())
                            && items + writes.items().size() <= Limits.BULK_ITEMS_MAX);
        }

        void add(ConsumerRecord<byte[], byte[]> record, IngestMessage.Writes writes) {
            target = writes.target();
            items += writes.items().size();
            records.add(record);
            messages.add(writes);
        }
    }

    private List<Outcome> flush(Pending pending) {
        Target target = pending.target;
        if (target == null) {
            return List.of();
        }
        List<OnHandChange> events = new ArrayList<>(pending.items);
        pending.messages.forEach(message -> events.addAll(message.items()));
        List<ItemResult> results;
        try {
            results = events.isEmpty()
                    ? List.of()
                    : onHand.write(
                            target.environmentId(), events, target.dataSource(), target.access());
        } catch (RuntimeException e) {
            return failed(pending, e);
        }
        List<Outcome> outcomes = new ArrayList<>(pending.records.size());
        int next = 0;
        for (int m = 0; m < pending.messages.size(); m++) {
            IngestMessage.Writes message = pending.messages.get(m);
            int count = message.items().size();
            outcomes.add(
                    outcome(pending.records.get(m), message, results.subList(next, next + count)));
            next += count;
        }
        return outcomes;
    }

    private static Outcome outcome(
            ConsumerRecord<byte[], byte[]> record,
            IngestMessage.Writes message,
            List<ItemResult> results) {
        List<String> reasons = new ArrayList<>(message.unreadable());
        List<String> refusedIds = new ArrayList<>();
        for (ItemResult result : results) {
            if (result instanceof ItemResult.Rejected) {
                IvEnvelope envelope = ItemEnvelopes.of(result);
                reasons.add("event '" + result.eventId() + "': " + envelope.statusCode() + " "
                        + envelope.message());
                refusedIds.add(result.eventId());
            }
        }
        return new Outcome(record, List.copyOf(reasons), List.copyOf(refusedIds));
    }

    /**
     * A write failed as a whole. An outage stops the partition until the database is back; any
     * other failure is tried again one message at a time, so that only the message that causes
     * it is dead-lettered and the partition moves on.
     */
    private List<Outcome> failed(Pending pending, RuntimeException e) {
        if (DatabaseFailures.isUnavailable(e)) {
            throw new Unavailable(e);
        }
        if (pending.records.size() == 1) {
            log.warn(
                    "Kafka ingestion: message at {}-{}@{} failed: {}",
                    pending.records.get(0).topic(),
                    pending.records.get(0).partition(),
                    pending.records.get(0).offset(),
                    e.toString());
            return List.of(Outcome.refused(pending.records.get(0), "not applied: " + e));
        }
        List<Outcome> outcomes = new ArrayList<>(pending.records.size());
        for (int m = 0; m < pending.records.size(); m++) {
            Pending alone = new Pending();
            alone.add(pending.records.get(m), pending.messages.get(m));
            outcomes.addAll(flush(alone));
        }
        return outcomes;
    }

    private Outcome sync(ConsumerRecord<byte[], byte[]> record, SyncIngestion.SyncStep step) {
        String refusal;
        try {
            refusal = sync.apply(step);
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw new Unavailable(e);
            }
            refusal = "not applied: " + e;
        }
        return refusal == null ? Outcome.applied(record) : Outcome.refused(record, refusal);
    }
}
