package io.ivs.server.feed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * A change feed as Server-Sent Events: {@code id} is the position (so a reconnecting EventSource
 * resumes with {@code Last-Event-ID}), {@code event: change}, {@code data} the change as JSON;
 * a comment at once opens the stream and one every {@link #KEEP_ALIVE} keeps proxies from closing
 * an idle stream. Each stream is served by a virtual thread and ends after {@code max}.
 */
public final class ChangeStream {
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);

    private ChangeStream() {}

    /**
     * Checks the environment and cursor at once (so that failures answer before the stream
     * starts), then streams the changes after {@code start}.
     */
    public static SseEmitter open(
            ChangeFeed feed, JsonMapper json, String environmentId, long start, Duration max) {
        return open(feed, json, environmentId, start, max, EventTypes.DEFAULT);
    }

    /** As above, for the given event types; an alert is sent as {@code event: alert}. */
    public static SseEmitter open(
            ChangeFeed feed,
            JsonMapper json,
            String environmentId,
            long start,
            Duration max,
            Set<String> types) {
        try {
            feed.read(environmentId, start, 1, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        SseEmitter emitter = new SseEmitter(max.plusSeconds(30).toMillis());
        Thread.ofVirtual()
                .name("ivs-change-stream")
                .start(() -> send(feed, json, emitter, environmentId, start, max, types));
        return emitter;
    }

    private static void send(
            ChangeFeed feed,
            JsonMapper json,
            SseEmitter emitter,
            String environmentId,
            long start,
            Duration max,
            Set<String> types) {
        long cursor = start;
        long end = System.nanoTime() + max.toNanos();
        try {
            // The answer's head leaves with the first thing sent: without this comment a client
            // of an idle feed would wait a whole keep-alive to learn that its stream is open.
            emitter.send(SseEmitter.event().comment("open"));
            while (System.nanoTime() < end) {
                ChangeFeed.Page page = feed.read(
                        environmentId, cursor, ChangeFeed.LIMIT_DEFAULT, KEEP_ALIVE, types);
                cursor = page.next();
                if (page.changes().isEmpty()) {
                    emitter.send(SseEmitter.event().comment("keep-alive"));
                    continue;
                }
                for (ChangeFeed.Change change : page.changes()) {
                    emitter.send(SseEmitter.event()
                            .id(Long.toString(change.position()))
                            .name(change.alert() == null ? "change" : "alert")
                            .data(json.writeValueAsString(change), MediaType.TEXT_PLAIN));
                }
            }
            quietlyComplete(emitter);
        } catch (IOException | IllegalStateException e) {
            // The client went away or the emitter timed out: nobody is left to answer.
            quietlyComplete(emitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            quietlyComplete(emitter);
        } catch (RuntimeException e) {
            log.warn("change stream of {} ended: {}", environmentId, e.getMessage());
            quietlyComplete(emitter);
        }
    }

    private static void quietlyComplete(SseEmitter emitter) {
        try {
            emitter.complete();
        } catch (RuntimeException ignored) {
            // Already completed or the connection is gone.
        }
    }
}
