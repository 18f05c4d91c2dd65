package io.ivs.server.webhook;

import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook administration under {@code /admin/environments/{env}/webhooks} ({@code config.admin},
 * see {@link io.ivs.server.security.AccessPolicy}). A subscription's secret is in the creation
 * answer and nowhere else.
 */
@RestController
@RequestMapping("/admin/environments/{environmentId}/webhooks")
public class WebhookAdminController {
    private final WebhookService webhooks;

    public WebhookAdminController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    /**
     * Creates a subscription. Body: {@code {"url": required, "productIds": [...],
     * "dataSources": [...], "measures": ["ds.measure", ...], "eventTypes": ["change",
     * "stock.out", ...] (default ["change"]), "secret": optional, "description":
     * optional, "after": optional feed position or "latest" (the default)}}.
     */
    @PostMapping("")
    ResponseEntity<Map<String, Object>> create(
            @PathVariable String environmentId,
            @RequestBody(required = false) byte @Nullable [] body) {
        WebhookService.Created created = webhooks.create(environmentId, WebhookService.parse(body));
        Map<String, Object> answer = view(created.subscription(), 0);
        answer.put("secret", created.secret());
        return ResponseEntity.status(HttpStatus.CREATED)
                .cacheControl(CacheControl.noStore())
                .body(answer);
    }

    @GetMapping("")
    List<Map<String, Object>> list(@PathVariable String environmentId) {
        return webhooks.list(environmentId).stream()
                .map(s -> view(s, webhooks.deadLetterCount(s.id())))
                .toList();
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@PathVariable String environmentId, @PathVariable String id) {
        Subscription subscription = webhooks.get(environmentId, id);
        return view(subscription, webhooks.deadLetterCount(id));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String environmentId, @PathVariable String id) {
        webhooks.delete(environmentId, id);
        return ResponseEntity.noContent().build();
    }

    /** Stops deliveries; the cursor stays where it is. Idempotent. */
    @PostMapping("/{id}/pause")
    Map<String, Object> pause(@PathVariable String environmentId, @PathVariable String id) {
        return view(webhooks.status(environmentId, id, false), webhooks.deadLetterCount(id));
    }

    /** Delivers again from where the subscription was paused. Idempotent. */
    @PostMapping("/{id}/resume")
    Map<String, Object> resume(@PathVariable String environmentId, @PathVariable String id) {
        return view(webhooks.status(environmentId, id, true), webhooks.deadLetterCount(id));
    }

    /** Moves the cursor: body {@code {"after": position or "latest"}}. */
    @PostMapping("/{id}/replay")
    ResponseEntity<Map<String, Object>> replay(
            @PathVariable String environmentId,
            @PathVariable String id,
            @RequestBody(required = false) byte @Nullable [] body) {
        JsonNode request = Json.object(Json.parse(body), "body");
        Subscription subscription =
                webhooks.replayFrom(environmentId, id, Json.optionalText(request, "after", ""));
        return ResponseEntity.accepted().body(view(subscription, webhooks.deadLetterCount(id)));
    }

    @GetMapping("/{id}/dead-letters")
    List<Map<String, Object>> deadLetters(
            @PathVariable String environmentId,
            @PathVariable String id,
            @RequestParam(required = false) @Nullable Integer limit) {
        return webhooks.deadLetters(environmentId, id, limit == null ? 100 : limit).stream()
                .map(WebhookAdminController::view)
                .toList();
    }

    /**
     * Delivers dead letters again: all of them, or body {@code {"deliveryIds": [...]}}. Those
     * that fail again stay dead letters with the new error.
     */
    @PostMapping("/{id}/dead-letters/replay")
    ResponseEntity<Map<String, Object>> replayDeadLetters(
            @PathVariable String environmentId,
            @PathVariable String id,
            @RequestBody(required = false) byte @Nullable [] body) {
        List<String> ids = null;
        if (body != null && body.length > 0) {
            JsonNode request = Json.object(Json.parse(body), "body");
            JsonNode given = Json.field(request, "deliveryIds", "");
            ids = given == null ? null : Json.stringList(given, "deliveryIds");
        }
        int marked = webhooks.replayDeadLetters(environmentId, id, ids);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subscriptionId", id);
        answer.put("replaying", marked);
        return ResponseEntity.accepted().body(answer);
    }

    static Map<String, Object> view(Subscription s, int deadLetters) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.id());
        view.put("environmentId", s.environmentId());
        view.put("url", s.url());
        view.put("description", s.description());
        view.put("productIds", s.productIds());
        view.put("dataSources", s.dataSources());
        view.put("measures", s.measures());
        view.put("eventTypes", s.eventTypes());
        view.put("status", s.status());
        view.put("cursor", Long.toString(s.cursor()));
        view.put("createdAt", s.createdAt().toString());
        view.put("lastSuccessAt", text(s.lastSuccessAt()));
        view.put("lastError", s.lastError());
        view.put("lastErrorAt", text(s.lastErrorAt()));
        view.put("deadLetters", deadLetters);
        return view;
    }

    static Map<String, Object> view(DeadLetter d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("deliveryId", d.deliveryId());
        view.put("position", Long.toString(d.position()));
        view.put("organizationId", d.organizationId());
        view.put("productId", d.productId());
        view.put("attempts", d.attempts());
        view.put("lastStatus", d.lastStatus());
        view.put("lastError", d.lastError());
        view.put("failedAt", d.failedAt().toString());
        view.put("replayRequested", d.replayRequested());
        view.put("body", Json.mapper().readTree(d.body()));
        return view;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }
}
