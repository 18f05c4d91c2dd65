package io.ivs.server.inventorylog;

import io.ivs.core.InvalidInputException;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.Json;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inventory log's API: a log request ({@code logTransactionDetails}) answers a job id, which
 * {@code getJobProgress} follows; its lines are then read as JSON pages or as one CSV file.
 */
@RestController
class InventoryLogController {
    private static final String BASE = "/api/environment/{environmentId}/logTransactionDetails";
    static final int PAGE_SIZE_MAX = 1000;
    static final String CSV_HEADER = "timestamp,api,clientId,requestId,eventId,organizationId,"
            + "productId,siteId,locationId,dimensions,quantities";

    private final EnvironmentService environments;
    private final InventoryLogReports reports;

    InventoryLogController(EnvironmentService environments, InventoryLogReports reports) {
        this.environments = environments;
        this.reports = reports;
    }

    @PostMapping(BASE)
    Map<String, Object> request(
            @PathVariable String environmentId,
            @RequestBody(required = false) byte @Nullable [] body) {
        EnvironmentId environment = environments.requireKnown(environmentId);
        JsonNode node = Json.parse(body);
        LogRequest request = LogRequest.parse(node);
        String jobId = reports.start(environment, request, node.toString());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", jobId);
        answer.put("id", request.id() == null ? jobId : request.id());
        answer.put("processingStatus", "success");
        answer.put("message", "");
        answer.put("statusCode", 200);
        return answer;
    }

    @GetMapping(BASE + "/result")
    Map<String, Object> page(
            @PathVariable String environmentId,
            @RequestParam String jobId,
            @RequestParam(defaultValue = "1") int page,
            @RequestParam(defaultValue = "100") int pageSize) {
        environments.requireExisting(environmentId);
        if (page < 1) {
            throw new InvalidInputException("page", "must be 1 or more");
        }
        if (pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
            throw new InvalidInputException("pageSize", "must be 1 to " + PAGE_SIZE_MAX);
        }
        LogReport report = reports.report(EnvironmentId.of(environmentId), jobId);
        List<LogLine> lines = reports.page(report, page, pageSize);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", report.jobId());
        answer.put("totalCount", report.lineCount());
        answer.put("page", page);
        answer.put("pageSize", pageSize);
        answer.put("Value", lines.stream().map(InventoryLogController::json).toList());
        boolean more = (long) page * pageSize < report.lineCount();
        answer.put("nextLink", more ? nextLink(environmentId, jobId, page + 1, pageSize) : "");
        return answer;
    }

    @GetMapping(BASE + "/result/csv")
    void csv(
            @PathVariable String environmentId,
            @RequestParam String jobId,
            HttpServletResponse response)
            throws IOException {
        environments.requireExisting(environmentId);
        LogReport report = reports.report(EnvironmentId.of(environmentId), jobId);
        response.setStatus(200);
        response.setContentType("text/csv");
        response.setCharacterEncoding(StandardCharsets.UTF_8);
        response.setHeader("Content-Disposition", "attachment; filename=\"inventory-log.csv\"");
        reports.writeCsv(EnvironmentId.of(environmentId), report.jobId(), response.getWriter());
    }

    private static String nextLink(String env, String jobId, int page, int pageSize) {
        return "/api/environment/" + env + "/logTransactionDetails/result?jobId="
                + java.net.URLEncoder.encode(jobId, StandardCharsets.UTF_8) + "&page=" + page
                + "&pageSize=" + pageSize;
    }

    static Map<String, Object> json(LogLine line) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("timestamp", line.loggedAt().toString());
        row.put("api", line.api());
        row.put("clientId", line.clientId());
        row.put("requestId", line.requestId());
        row.put("eventId", line.eventId());
        row.put("organizationId", line.organizationId());
        row.put("productId", line.productId());
        row.put("siteId", line.siteId());
        row.put("locationId", line.locationId());
        row.put("dimensions", Json.mapper().readTree(line.dimensionsJson()));
        row.put("quantities", nested(line.quantitiesJson()));
        return row;
    }

    /** {"ds.measure": q} as IV's quantities shape, {"ds": {"measure": q}}. */
    private static JsonNode nested(String flatJson) {
        ObjectNode nested = Json.mapper().createObjectNode();
        for (Map.Entry<String, JsonNode> entry :
                Json.mapper().readTree(flatJson).properties()) {
            String key = entry.getKey();
            int dot = key.indexOf('.');
            ObjectNode source = nested.has(key.substring(0, dot))
                    ? (ObjectNode) nested.get(key.substring(0, dot))
                    : nested.putObject(key.substring(0, dot));
            source.set(key.substring(dot + 1), entry.getValue());
        }
        return nested;
    }

    static String csvRow(LogLine line) {
        return String.join(
                        ",",
                        List.of(
                                line.loggedAt().toString(),
                                csv(line.api()),
                                csv(line.clientId()),
                                csv(line.requestId()),
                                csv(line.eventId()),
                                csv(line.organizationId()),
                                csv(line.productId()),
                                csv(line.siteId()),
                                csv(line.locationId()),
                                csv(line.dimensionsJson()),
                                csv(nested(line.quantitiesJson()).toString())))
                + "\r\n";
    }

    /** A CSV field (RFC 4180), quoted where it must be. */
    static String csv(String value) {
        if (value.isEmpty() || value.chars().noneMatch(c -> c == ',' || c == '"' || c < ' ')) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
