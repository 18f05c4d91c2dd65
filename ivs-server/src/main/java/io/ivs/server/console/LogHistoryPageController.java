package io.ivs.server.console;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.server.inventorylog.InventoryLogReports;
import io.ivs.server.security.Role;
import io.ivs.server.web.Json;
import io.ivs.server.web.NotFoundException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Log history: the inventory log by organization, product, site, location and UTC dates, through
 * a log request as {@code POST …/logTransactionDetails} makes it; the first lines on the page and
 * all of them as CSV. Needs {@code config.admin} or {@code inventory.read}.
 */
@Controller
class LogHistoryPageController extends ConsoleController {
    static final int SHOWN_MAX = 500;
    private static final DateTimeFormatter IV_DATE = DateTimeFormatter.ofPattern("yyyy/M/d");
    /** To the second on the page, so the table fits; the CSV keeps the full time. */
    private static final DateTimeFormatter SHOWN_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final ConsoleAccess access;
    private final InventoryLogReports reports;

    LogHistoryPageController(ConsoleAccess access, InventoryLogReports reports) {
        this.access = access;
        this.reports = reports;
    }

    @GetMapping("/console/env/{env}/log-history")
    String history(
            @PathVariable String env,
            @RequestParam Optional<String> organizationId,
            @RequestParam Optional<String> productId,
            @RequestParam Optional<String> siteId,
            @RequestParam Optional<String> locationId,
            @RequestParam Optional<String> fromDate,
            @RequestParam Optional<String> toDate,
            Authentication auth,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN, Role.INVENTORY_READ);
        String today = LocalDate.now(ZoneOffset.UTC).format(IV_DATE);
        model.addAttribute("page", page);
        model.addAttribute("nav", "log-history");
        model.addAttribute("organizationId", organizationId.orElse(""));
        model.addAttribute("productId", productId.orElse(""));
        model.addAttribute("siteId", siteId.orElse(""));
        model.addAttribute("locationId", locationId.orElse(""));
        model.addAttribute("fromDate", fromDate.orElse(today));
        model.addAttribute("toDate", toDate.orElse(today));
        model.addAttribute("shownMax", SHOWN_MAX);
        List<Map<String, Object>> lines = List.of();
        if (organizationId.filter(o -> !o.isBlank()).isPresent()) {
            ObjectNode request = Json.mapper().createObjectNode();
            request.put("organizationId", organizationId.get().strip());
            request.put("UtcFromDate", fromDate.orElse(today));
            request.put("UtcToDate", toDate.orElse(today));
            productId.filter(p -> !p.isBlank()).ifPresent(p -> request.put("productId", p));
            ObjectNode dimensions = request.putObject("dimensions");
            siteId.filter(s -> !s.isBlank()).ifPresent(s -> dimensions.put("SiteId", s));
            locationId.filter(l -> !l.isBlank()).ifPresent(l -> dimensions.put("LocationId", l));
            EnvironmentId environment = EnvironmentId.of(env);
            String jobId = reports.request(environment, request);
            lines = reports.lines(environment, jobId, SHOWN_MAX).stream()
                    .map(LogHistoryPageController::readable)
                    .toList();
            model.addAttribute("jobId", jobId);
            model.addAttribute("lineCount", reports.lineCount(environment, jobId));
        }
        model.addAttribute("lines", lines);
        return "console/log-history";
    }

    /**
     * The line with its time to the second, and its other dimensions and its quantities as
     * {@code name=value} texts instead of JSON: site and location have their own columns.
     */
    private static Map<String, Object> readable(Map<String, Object> line) {
        Map<String, Object> shown = new LinkedHashMap<>(line);
        if (line.get("timestamp") instanceof String time) {
            shown.put("timestamp", SHOWN_TIME.format(Instant.parse(time)));
        }
        List<String> dimensions = new ArrayList<>();
        if (line.get("dimensions") instanceof JsonNode node) {
            pairs("", node, dimensions);
        }
        dimensions.removeIf(d -> d.startsWith("siteid=") || d.startsWith("locationid="));
        shown.put("dimensions", dimensions);
        List<String> quantities = new ArrayList<>();
        if (line.get("quantities") instanceof JsonNode node) {
            pairs("", node, quantities);
        }
        shown.put("quantities", quantities);
        return shown;
    }

    /** {"a": {"b": 1}} as "a.b=1", depth first, in the document's order. */
    private static void pairs(String prefix, JsonNode node, List<String> into) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = prefix + entry.getKey();
            if (entry.getValue().isObject()) {
                pairs(name + ".", entry.getValue(), into);
            } else {
                into.add(name + "=" + entry.getValue().asString());
            }
        }
    }

    @GetMapping("/console/env/{env}/log-history/csv")
    void csv(
            @PathVariable String env,
            @RequestParam String jobId,
            Authentication auth,
            HttpServletResponse response)
            throws IOException {
        access.page(auth, env, Role.CONFIG_ADMIN, Role.INVENTORY_READ);
        EnvironmentId environment = EnvironmentId.of(env);
        try {
            reports.lineCount(environment, jobId);
        } catch (NotFoundException e) {
            response.sendError(404, e.getMessage());
            return;
        }
        response.setContentType("text/csv");
        response.setCharacterEncoding(StandardCharsets.UTF_8);
        response.setHeader("Content-Disposition", "attachment; filename=\"inventory-log.csv\"");
        reports.writeCsv(environment, jobId, response.getWriter());
    }
}
