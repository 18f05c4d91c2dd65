package io.ivs.server.security;

import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Client administration ({@code config.admin} of a client granted every environment, see {@link
 * AccessPolicy}). A new client's secret is in the creation answer and nowhere else.
 */
@RestController
public class ClientAdminController {
    private final ClientService clients;

    public ClientAdminController(ClientService clients) {
        this.clients = clients;
    }

    /**
     * Creates a client. Body: {@code {"clientId": optional, "environments": ["demo"] or ["*"],
     * "roles": ["inventory.read", ...], "description": optional, "issuer": optional}}; with an
     * {@code issuer} the client signs in through that trusted issuer and gets no secret.
     */
    @PostMapping("/admin/clients")
    ResponseEntity<Map<String, Object>> create(
            @RequestBody(required = false) byte @Nullable [] body) {
        JsonNode request = Json.object(Json.parse(body), "body");
        NewClient command = new NewClient(
                Json.optionalText(request, "clientId", ""),
                Json.stringList(Json.field(request, "environments", ""), "environments"),
                NewClient.roles(Json.stringList(Json.field(request, "roles", ""), "roles")),
                Objects.requireNonNullElse(Json.optionalText(request, "description", ""), ""),
                Json.optionalText(request, "issuer", ""));
        ClientService.Created created = clients.create(command);
        Map<String, Object> answer = view(created.client());
        if (created.secret() != null) {
            answer.put("clientSecret", created.secret());
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .cacheControl(CacheControl.noStore())
                .body(answer);
    }

    @GetMapping("/admin/clients")
    List<Map<String, Object>> list() {
        return clients.list().stream().map(ClientAdminController::view).toList();
    }

    @GetMapping("/admin/clients/{clientId}")
    Map<String, Object> get(@PathVariable String clientId) {
        return view(clients.get(clientId));
    }

    /** Revokes a client: its tokens are refused from the next call on. Idempotent. */
    @PostMapping("/admin/clients/{clientId}/revoke")
    Map<String, Object> revoke(@PathVariable String clientId) {
        return view(clients.revoke(clientId));
    }

    static Map<String, Object> view(ClientRecord client) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("clientId", client.clientId());
        view.put("status", client.active() ? "active" : "revoked");
        view.put("environments", client.environments());
        view.put("roles", client.roles().stream().map(Role::wireName).sorted().toList());
        view.put("issuer", client.issuer());
        view.put("description", client.description());
        view.put("createdAt", client.createdAt().toString());
        view.put(
                "revokedAt",
                client.revokedAt() == null ? null : client.revokedAt().toString());
        return view;
    }
}
