package io.ivs.server.alert;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Stock alert rules under {@code /admin/environments/{env}/alerts/rules}, beside the webhook
 * subscriptions that receive the alerts, with the same access rule ({@code config.admin} for
 * that environment, see {@link io.ivs.server.security.AccessPolicy}). Body of a PUT:
 * {@code {"measure": "iv.availabletoreserve", "level": {"organizationId": "usmf", "productId":
 * optional, "dimensions": {"siteId": "1", "locationId": "11"}}, "threshold": 0, "hysteresis":
 * 0}} (docs/alerts.md).
 */
@RestController
@RequestMapping("/admin/environments/{environmentId}/alerts/rules")
public class AlertRuleController {
    private final AlertService alerts;

    public AlertRuleController(AlertService alerts) {
        this.alerts = alerts;
    }

    @GetMapping("")
    List<Map<String, Object>> list(@PathVariable String environmentId) {
        return alerts.list(environmentId);
    }

    @GetMapping("/{name}")
    Map<String, Object> get(@PathVariable String environmentId, @PathVariable String name) {
        return alerts.get(environmentId, name);
    }

    /** Creates or replaces a rule; a replaced rule starts again from "not seen". */
    @PutMapping("/{name}")
    Map<String, Object> put(
            @PathVariable String environmentId,
            @PathVariable String name,
            @RequestBody(required = false) byte @Nullable [] body) {
        return alerts.put(environmentId, name, body);
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String environmentId, @PathVariable String name) {
        alerts.delete(environmentId, name);
        return ResponseEntity.noContent().build();
    }
}
