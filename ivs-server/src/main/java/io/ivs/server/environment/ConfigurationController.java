package io.ivs.server.environment;

import io.ivs.server.web.IvEnvelope;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime configuration (spec §3.10): read it, replace it as a whole, and manage
 * environments. A configuration is validated before it becomes active; the document is stored
 * and returned as posted, fields IVS does not use included, apart from the server-owned
 * {@code configurationVersion} and an empty {@code environmentId}.
 */
@RestController
public class ConfigurationController {
    private final EnvironmentService environments;

    public ConfigurationController(EnvironmentService environments) {
        this.environments = environments;
    }

    @GetMapping(
            value = "/api/environment/{environmentId}/configuration",
            produces = MediaType.APPLICATION_JSON_VALUE)
    String configuration(@PathVariable String environmentId) {
        return environments.document(environmentId);
    }

    @PostMapping("/api/environment/{environmentId}/configuration/hardupdate")
    IvEnvelope hardUpdate(
            @PathVariable String environmentId,
            @RequestBody(required = false) byte @Nullable [] body) {
        int version = environments.hardUpdate(environmentId, body == null ? new byte[0] : body);
        return IvEnvelope.success(null, "configuration version " + version + " is active");
    }

    @GetMapping("/admin/environments")
    List<String> environments() {
        return environments.environments();
    }

    /** Creates an environment with the newest default configuration; idempotent. */
    @PutMapping("/admin/environments/{environmentId}")
    ResponseEntity<Map<String, Object>> create(@PathVariable String environmentId) {
        boolean created = environments.create(environmentId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environmentId", environmentId);
        body.put("created", created);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(body);
    }

    @GetMapping("/admin/environments/{environmentId}/configuration/versions")
    List<Map<String, Object>> versions(@PathVariable String environmentId) {
        return environments.history(environmentId, 100).stream()
                .map(v -> Map.<String, Object>of("version", v.version()))
                .toList();
    }
}
