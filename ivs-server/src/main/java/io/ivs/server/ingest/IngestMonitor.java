package io.ivs.server.ingest;

import io.ivs.server.ingest.IngestSettings.Source;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Kafka ingestion on this instance is doing, for the console's Integrations page: its
 * settings, the lag of the partitions it reads, the messages it applied and dead-lettered, its
 * latest dead letters and its latest failure. Like the Prometheus meters, this is the view of
 * one instance: each instance reads its own share of the partitions.
 */
@Component
public class IngestMonitor {
    /** Dead letters kept for the page: the latest, so that memory stays bounded. */
    static final int DEAD_LETTERS_KEPT = 50;

    /** Characters of a reason or failure kept: the page shows the start, the topic all of it. */
    static final int TEXT_CHARS_MAX = 500;

    private final IngestSettings configured;
    private final Clock clock;
    private volatile @Nullable IngestSettings running;
    private final Map<TopicPartition, Long> lags = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> applied = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deadLettered = new ConcurrentHashMap<>();
    private final Deque<DeadLetter> deadLetters = new ArrayDeque<>();
    private volatile @Nullable Failure lastFailure;

    IngestMonitor(IngestSettings configured, Clock clock) {
        this.configured = configured;
        this.clock = clock;
    }

    /** Ingestion as one environment's page shows it. */
    public record View(
            boolean enabled,
            boolean running,
            String groupId,
            String deadLetterTopic,
            List<SourceView> sources,
            List<PartitionLag> lags,
            List<DeadLetter> deadLetters,
            @Nullable Failure lastFailure) {}

    /**
     * A topic read, with the messages this instance handled from it (of every environment, for a
     * topic whose messages name their own).
     */
    public record SourceView(
            String topic,
            String environment,
            String kind,
            String dataSource,
            List<String> roles,
            long applied,
            long deadLettered) {}

    /** Messages of a partition this instance reads that are after its committed position. */
    public record PartitionLag(String topic, int partition, long records) {}

    /** A message sent to the dead-letter topic, with where it came from and why. */
    public record DeadLetter(
            Instant at,
            String topic,
            int partition,
            long offset,
            @Nullable String environment,
            String reason) {}

    /** Why ingestion last had to stop and read again (database or Kafka unreachable, say). */
    public record Failure(Instant at, String message) {}

    /**
     * Ingestion as seen by the page of {@code environmentId}: the topics that write to it (or
     * whose messages name their environment), their partitions' lag, and the dead letters of
     * messages for it.
     */
    public View view(String environmentId) {
        IngestSettings settings = current();
        List<SourceView> sources = settings.sources().stream()
                .filter(s -> s.environment().isEmpty() || s.environment().equals(environmentId))
                .sorted(Comparator.comparing(Source::topic))
                .map(this::view)
                .toList();
        List<String> topics = sources.stream().map(SourceView::topic).toList();
        List<PartitionLag> partitionLags = lags.entrySet().stream()
                .filter(e -> topics.contains(e.getKey().topic()))
                .map(e ->
                        new PartitionLag(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                .sorted(Comparator.comparing(PartitionLag::topic)
                        .thenComparingInt(PartitionLag::partition))
                .toList();
        return new View(
                settings.enabled(),
                running != null,
                settings.groupId(),
                settings.deadLetterTopic(),
                sources,
                partitionLags,
                deadLetters(environmentId),
                lastFailure);
    }

    private IngestSettings current() {
        IngestSettings now = running;
        return now != null ? now : configured;
    }

    private SourceView view(Source source) {
        return new SourceView(
                source.topic(),
                source.environment(),
                source.kind(),
                source.dataSource(),
                source.roles().stream().sorted().toList(),
                count(applied, source.topic()),
                count(deadLettered, source.topic()));
    }

    private static long count(Map<String, AtomicLong> counts, String topic) {
        AtomicLong count = counts.get(topic);
        return count == null ? 0 : count.get();
    }

    private List<DeadLetter> deadLetters(String environmentId) {
        List<DeadLetter> latestFirst = new ArrayList<>();
        synchronized (deadLetters) {
            deadLetters.descendingIterator().forEachRemaining(latestFirst::add);
        }
        return latestFirst.stream()
                .filter(letter -> environmentId.equals(letter.environment()))
                .toList();
    }

    void started(IngestSettings settings) {
        running = settings;
    }

    void stopped(IngestSettings settings) {
        if (running == settings) {
            running = null;
        }
        lags.clear();
    }

    void lag(TopicPartition partition, long records) {
        lags.put(partition, records);
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(lags::remove);
    }

    /** Counts a partition's outcomes and keeps its dead letters. */
    void handled(Source source, List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            Map<String, AtomicLong> counts = outcome.deadLettered() ? deadLettered : applied;
            counts.computeIfAbsent(source.topic(), topic -> new AtomicLong()).incrementAndGet();
            if (outcome.deadLettered()) {
                keep(new DeadLetter(
                        clock.instant(),
                        outcome.record().topic(),
                        outcome.record().partition(),
                        outcome.record().offset(),
                        environment(source, outcome),
                        cut(outcome.reason())));
            }
        }
    }

    private void keep(DeadLetter letter) {
        synchronized (deadLetters) {
            deadLetters.addLast(letter);
            while (deadLetters.size() > DEAD_LETTERS_KEPT) {
                deadLetters.removeFirst();
            }
        }
    }

    /** The environment the message was for, as far as it could be told. */
    private static @Nullable String environment(Source source, Outcome outcome) {
        if (!source.environment().isEmpty()) {
            return source.environment();
        }
        try {
            return IngestHeaders.text(outcome.record().headers(), IngestHeaders.ENVIRONMENT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Notes why reading stopped. Only the failure's type and message are kept: a page reader
     * needs to know that the database or Kafka failed, not the stack.
     */
    void failed(RuntimeException e) {
        Throwable cause = e.getCause();
        String message = e instanceof PartitionBatches.Unavailable
                ? "the database is unavailable ("
                        + (cause == null ? e : cause).getClass().getSimpleName() + ")"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        lastFailure = new Failure(clock.instant(), cut(message));
    }

    private static String cut(String text) {
        return text.length() <= TEXT_CHARS_MAX ? text : text.substring(0, TEXT_CHARS_MAX) + "...";
    }
}
