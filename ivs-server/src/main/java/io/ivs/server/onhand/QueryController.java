package io.ivs.server.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.atp.ScheduleDates;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.Json;

import jakarta.servlet.http.HttpServletResponse;

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

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * On-hand queries (spec §2.7–§2.9): index query by POST (v1, and v2 with paging and several
 * organizations) and GET, and exact query (v1 {@code dimensions}, v2 {@code keys}). The answers
 * are run and written by {@link QueryAnswers}, which the product search shares.
 */
@RestController
public class QueryController {
    private static final String BASE = "/api/environment/{environmentId}";

    private final EnvironmentService environments;
    private final QueryAnswers answers;

    public QueryController(EnvironmentService environments, QueryAnswers answers) {
        this.environments = environments;
        this.answers = answers;
    }

    @PostMapping({BASE + "/onhand/indexquery", BASE + "/on-hand/indexquery"})
    void indexQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestParam(required = false) @Nullable Integer pageNumber,
            @RequestParam(required = false) @Nullable Integer pageSize,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        int apiVersion = ApiVersion.parse(version);
        environments.configuration(environmentId);
        JsonNode node = Json.parse(body);
        QueryRequest request = OnHandRequests.query(node, false, apiVersion);
        QueryAnswers.Paging paging = apiVersion < 2
                ? null
                : new QueryAnswers.Paging(pageNumber, pageSize, "onhand/indexquery");
        answers.answer(
                environmentId,
                request,
                apiVersion,
                QueryAnswers.AtpOptions.of(node),
                paging,
                response);
    }

    @PostMapping(BASE + "/onhand/exactquery")
    void exactQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        int apiVersion = ApiVersion.parse(version);
        environments.configuration(environmentId);
        JsonNode node = Json.parse(body);
        QueryRequest request = OnHandRequests.query(node, true, apiVersion);
        answers.answer(
                environmentId,
                request,
                apiVersion,
                QueryAnswers.AtpOptions.of(node),
                null,
                response);
    }

    /** The GET form (§2.14 f): one filter per parameter, {@code groupBy} comma-separated. */
    @GetMapping(BASE + "/onhand")
    void getQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestParam MultiValueMap<String, String> parameters,
            HttpServletResponse response)
            throws IOException {
        ApiVersion.parse(version);
        environments.configuration(environmentId);
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
        answers.answer(
                environmentId,
                request,
                1,
                new QueryAnswers.AtpOptions(queryAtp, atpFrom, atpTo),
                null,
                response);
    }

    private static boolean bool(String name, List<String> values) {
        String value = values.get(0).strip().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidInputException(name, "must be true or false");
        }
        return Boolean.parseBoolean(value);
    }
}
