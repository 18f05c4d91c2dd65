package io.ivs.server.feed;

import io.ivs.core.InvalidInputException;
import io.ivs.server.web.ApiExceptionHandler;
import io.ivs.server.web.Json;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The change feed over HTTP: {@code GET …/changes?after=&limit=&wait=} answers the changes after
 * a cursor (long-polling up to {@code wait} seconds when there is none yet), and
 * {@code GET …/changes/stream} sends them as Server-Sent Events, resuming from
 * {@code Last-Event-ID}. A stream ends after {@code ivs.feed.stream-max} (default 1 hour) so that
 * the token is checked again when the client reconnects, as EventSource clients do by themselves.
 * Both take {@code types=} (comma-separated event types, {@link EventTypes}); the default is
 * record changes only, so stock alerts reach only readers that ask for them.
 */
@RestController
public class ChangeFeedController {
    private static final String BASE = "/api/environment/{environmentId}/changes";

    private final ChangeFeed feed;
    private final Duration streamMax;

    public ChangeFeedController(
            ChangeFeed feed, @Value("${ivs.feed.stream-max:PT1H}") Duration streamMax) {
        this.feed = feed;
        this.streamMax = streamMax;
    }

    @GetMapping(BASE)
    Map<String, Object> changes(
            @PathVariable String environmentId,
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable Integer wait,
            @RequestParam(required = false) @Nullable String types)
            throws InterruptedException {
        long cursor = feed.cursor("after", after);
        int size = ChangeFeed.limit("limit", limit);
        Set<String> chosen = EventTypes.parseCsv("types", types == null ? "" : types);
        ChangeFeed.Page page = feed.read(environmentId, cursor, size, waitParameter(wait), chosen);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changes", page.changes());
        body.put("next", Long.toString(page.next()));
        body.put("hasMore", page.hasMore());
        return body;
    }

    private static Duration waitParameter(@Nullable Integer wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        if (wait < 0 || wait > ChangeFeed.WAIT_MAX.toSeconds()) {
            throw new InvalidInputException(
                    "wait",
                    "must be between 0 and " + ChangeFeed.WAIT_MAX.toSeconds() + " seconds");
        }
        return Duration.ofSeconds(wait);
    }

    @GetMapping(value = BASE + "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(
            @PathVariable String environmentId,
            @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable String types,
            @RequestHeader(value = "Last-Event-ID", required = false) @Nullable
                    String lastEventId) {
        Set<String> chosen = EventTypes.parseCsv("types", types == null ? "" : types);
        // The header wins: it is what a reconnecting EventSource last received.
        long start = lastEventId != null && !lastEventId.isBlank()
                ? feed.cursor("Last-Event-ID", lastEventId)
                : feed.cursor("after", after);
        return ChangeStream.open(feed, Json.mapper(), environmentId, start, streamMax, chosen);
    }

    @ExceptionHandler(ChangeFeed.CursorExpiredException.class)
    ResponseEntity<?> expired(ChangeFeed.CursorExpiredException e, HttpServletRequest request) {
        return ApiExceptionHandler.answer(request, HttpStatus.GONE, e.getMessage());
    }
}
