package io.ivs.server.http;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.QueryResults;
import io.ivs.core.onhand.ResultRow;
import io.ivs.server.config.EnvironmentService;
import io.ivs.server.json.Json;

import org.jspecify.annotations.Nullable;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * On-hand queries (spec §2.7–§2.9): index query by POST (v1, and v2 with paging and several
 * organizations) and GET, and exact query (v1 {@code dimensions}, v2 {@code keys}).
 */
@RestController
public class QueryController {
    private static final String BASE = "/api/environment/{environmentId}";

    private final EnvironmentService environments;
    private final OnHandService onHand;

    public QueryController(EnvironmentService environments, OnHandService onHand) {
        this.environments = environments;
        this.onHand = onHand;
    }

    @PostMapping({BASE + "/onhand/indexquery", BASE + "/onhand/indexquery/"})
    Object indexQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestParam(required = false) @Nullable Integer pageNumber,
            @RequestParam(required = false) @Nullable Integer pageSize,
            @RequestBody(required = false) byte @Nullable [] body) {
        int apiVersion = ApiVersion.parse(version);
        RuntimeConfiguration config = environments.configuration(environmentId);
        QueryRequest request = OnHandRequests.query(Json.parse(body), false, apiVersion);
        List<ResultRow> rows = onHand.query(environmentId, config, request, apiVersion);
        if (apiVersion < 2) {
            return rows.stream().map(QueryController::json).toList();
        }
        return page(rows, pageNumber, pageSize);
    }

    @PostMapping({BASE + "/onhand/exactquery", BASE + "/onhand/exactquery/"})
    List<Map<String, Object>> exactQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body) {
        int apiVersion = ApiVersion.parse(version);
        RuntimeConfiguration config = environments.configuration(environmentId);
        QueryRequest request = OnHandRequests.query(Json.parse(body), true, apiVersion);
        return onHand.query(environmentId, config, request, apiVersion).stream()
                .map(QueryController::json)
                .toList();
    }

    /** The GET form (§2.14 f): one filter per parameter, {@code groupBy} comma-separated. */
    @GetMapping({BASE + "/onhand", BASE + "/onhand/"})
    List<Map<String, Object>> getQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestParam MultiValueMap<String, String> parameters) {
        ApiVersion.parse(version);
        RuntimeConfiguration config = environments.configuration(environmentId);
        Map<String, List<String>> filters = new LinkedHashMap<>();
        List<String> groupBy = new ArrayList<>();
        boolean returnNegative = false;
        String dimensionDataSource = null;
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            parameter.getValue().forEach(value -> Json.requireStorable(name, value));
            switch (name.toLowerCase(Locale.ROOT)) {
                case "groupby" ->
                    parameter.getValue().forEach(value -> {
                        for (String part : value.split(",")) {
                            if (!part.isBlank()) {
                                groupBy.add(part.strip());
                            }
                        }
                    });
                case "returnnegative" -> returnNegative = bool(name, parameter.getValue());
                case "dimensiondatasource" ->
                    dimensionDataSource = parameter.getValue().get(0);
                case "queryatp", "atpfromdate", "atptodate" ->
                    throw new InvalidInputException(
                            name, "available-to-promise queries are not supported yet");
                default -> filters.put(name, parameter.getValue());
            }
        }
        List<String> orgs = filters.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("organizationId"))
                .findFirst()
                .map(Map.Entry::getValue)
                .orElse(List.of());
        if (orgs.size() > 1) {
            throw new InvalidInputException("organizationId", "GET accepts one organization");
        }
        QueryRequest request = new QueryRequest(
                dimensionDataSource, filters, groupBy, returnNegative, null, List.of());
        return onHand.query(environmentId, config, request, 1).stream()
                .map(QueryController::json)
                .toList();
    }

    private static boolean bool(String name, List<String> values) {
        String value = values.get(0).strip().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidInputException(name, "must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** v2 answer (§2.8): a page of warehouses and the relative link to the next page. */
    private static Map<String, Object> page(
            List<ResultRow> rows, @Nullable Integer pageNumber, @Nullable Integer pageSize) {
        int number = pageNumber == null ? 1 : pageNumber;
        if (number < 1) {
            throw new InvalidInputException("pageNumber", "must be 1 or more");
        }
        if (pageSize != null && pageSize < 1) {
            throw new InvalidInputException("pageSize", "must be 1 or more");
        }
        int size = pageSize == null ? Integer.MAX_VALUE : pageSize;
        QueryResults.Page page = QueryResults.page(rows, number, size);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Value", page.rows().stream().map(QueryController::json).toList());
        answer.put(
                "nextLink",
                page.hasNext()
                        ? "onhand/indexquery?pageNumber=" + (number + 1) + "&pageSize=" + size
                        : "");
        return answer;
    }

    static Map<String, Object> json(ResultRow row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("productId", row.productId());
        out.put("organizationId", row.organizationId());
        out.put("dimensions", row.dimensions());
        out.put("quantities", row.quantities());
        return out;
    }
}
