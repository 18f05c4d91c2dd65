package io.ivs.server.http;

import io.ivs.core.InvalidInputException;
import io.ivs.core.atp.AtpRow;
import io.ivs.core.atp.AtpService;
import io.ivs.core.atp.ScheduleDates;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;
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

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * On-hand queries (spec §2.7–§2.9): index query by POST (v1, and v2 with paging and several
 * organizations) and GET, and exact query (v1 {@code dimensions}, v2 {@code keys}).
 */
@RestController
public class QueryController {
    private static final String BASE = "/api/environment/{environmentId}";

    private final EnvironmentService environments;
    private final OnHandService onHand;
    private final AtpService atp;

    public QueryController(EnvironmentService environments, OnHandService onHand, AtpService atp) {
        this.environments = environments;
        this.onHand = onHand;
        this.atp = atp;
    }

    @PostMapping({
        BASE + "/onhand/indexquery", BASE + "/onhand/indexquery/",
        BASE + "/on-hand/indexquery", BASE + "/on-hand/indexquery/"
    })
    Object indexQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestParam(required = false) @Nullable Integer pageNumber,
            @RequestParam(required = false) @Nullable Integer pageSize,
            @RequestBody(required = false) byte @Nullable [] body) {
        int apiVersion = ApiVersion.parse(version);
        RuntimeConfiguration config = environments.configuration(environmentId);
        JsonNode node = Json.parse(body);
        QueryRequest request = OnHandRequests.query(node, false, apiVersion);
        List<Answer> rows = run(environmentId, config, request, apiVersion, AtpOptions.of(node));
        if (apiVersion < 2) {
            return rows.stream().map(Answer::json).toList();
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
        JsonNode node = Json.parse(body);
        QueryRequest request = OnHandRequests.query(node, true, apiVersion);
        return run(environmentId, config, request, apiVersion, AtpOptions.of(node)).stream()
                .map(Answer::json)
                .toList();
    }

    /** A result row and its JSON. */
    private record Answer(ResultRow row, Map<String, Object> json) {}

    /** {@code QueryATP}, {@code ATPFromDate} and {@code ATPToDate} (spec A.4.1). */
    private record AtpOptions(
            boolean enabled,
            @Nullable LocalDate from,
            @Nullable LocalDate to) {
        static AtpOptions of(JsonNode body) {
            boolean enabled = Json.optionalBoolean(body, "QueryATP", "", false);
            return new AtpOptions(enabled, date(body, "ATPFromDate"), date(body, "ATPToDate"));
        }

        private static @Nullable LocalDate date(JsonNode body, String name) {
            String text = Json.optionalText(body, name, "");
            return text == null || text.isBlank() ? null : ScheduleDates.parse(name, text);
        }
    }

    private List<Answer> run(
            String environmentId,
            RuntimeConfiguration config,
            QueryRequest request,
            int apiVersion,
            AtpOptions atpOptions) {
        if (!atpOptions.enabled()) {
            return onHand.query(environmentId, config, request, apiVersion).stream()
                    .map(row -> new Answer(row, json(row)))
                    .toList();
        }
        List<Answer> answers = new ArrayList<>();
        for (AtpRow row : atp.query(
                environmentId, config, request, apiVersion, atpOptions.from(), atpOptions.to())) {
            Map<String, Object> json = json(row.row());
            json.put("quantitiesByDate", byDate(config, row.series().quantitiesByDate(), false));
            json.put("atpQuantities", byDate(config, row.series().atpQuantities(), true));
            answers.add(new Answer(row.row(), json));
        }
        return answers;
    }

    /** Date keys as IV writes them: {@code …T00:00:00} for schedules, {@code …Z} for ATP. */
    private static Map<String, Object> byDate(
            RuntimeConfiguration config,
            Map<LocalDate, Map<MeasureRef, BigDecimal>> series,
            boolean utcSuffix) {
        Map<String, Object> out = new LinkedHashMap<>();
        series.forEach((date, measures) -> {
            Map<String, Map<String, BigDecimal>> bySource = new LinkedHashMap<>();
            measures.forEach((ref, value) -> {
                String source = config.dataSource(ref.dataSource())
                        .map(DataSourceConfig::name)
                        .orElse(ref.dataSource());
                bySource.computeIfAbsent(source, k -> new LinkedHashMap<>())
                        .put(ref.measure(), QueryResults.plain(value));
            });
            out.put(date + (utcSuffix ? "T00:00:00Z" : "T00:00:00"), bySource);
        });
        return out;
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
        boolean queryAtp = false;
        LocalDate atpFrom = null;
        LocalDate atpTo = null;
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
                case "queryatp" -> queryAtp = bool(name, parameter.getValue());
                case "atpfromdate" ->
                    atpFrom = ScheduleDates.parse(name, parameter.getValue().get(0));
                case "atptodate" ->
                    atpTo = ScheduleDates.parse(name, parameter.getValue().get(0));
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
        return run(environmentId, config, request, 1, new AtpOptions(queryAtp, atpFrom, atpTo))
                .stream()
                .map(Answer::json)
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
            List<Answer> answers, @Nullable Integer pageNumber, @Nullable Integer pageSize) {
        int number = pageNumber == null ? 1 : pageNumber;
        if (number < 1) {
            throw new InvalidInputException("pageNumber", "must be 1 or more");
        }
        if (pageSize != null && pageSize < 1) {
            throw new InvalidInputException("pageSize", "must be 1 or more");
        }
        int size = pageSize == null ? Integer.MAX_VALUE : pageSize;
        QueryResults.Page page =
                QueryResults.page(answers.stream().map(Answer::row).toList(), number, size);
        Set<ResultRow> selected = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        selected.addAll(page.rows());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
                "Value",
                answers.stream()
                        .filter(a -> selected.contains(a.row()))
                        .map(Answer::json)
                        .toList());
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
