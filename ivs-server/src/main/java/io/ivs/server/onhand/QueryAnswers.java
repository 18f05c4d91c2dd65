package io.ivs.server.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.atp.AtpRow;
import io.ivs.core.atp.AtpService;
import io.ivs.core.atp.QuantitiesByDate;
import io.ivs.core.atp.ScheduleDates;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.QueryResults;
import io.ivs.core.onhand.ResultRow;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.Json;
import io.ivs.server.web.QuantitiesJson;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a parsed on-hand query and writes its answer in IV's shape (spec §2.7–§2.9): a JSON array
 * of rows (v1), or a page of them with the link to the next page (v2). The index and exact
 * queries and the product search, which selects the products of such a query by their
 * attributes, answer through this one class so that their answers cannot drift apart.
 */
@Component
public class QueryAnswers {
    private static final SerializedString PRODUCT_ID = new SerializedString("productId");
    private static final SerializedString ORGANIZATION_ID = new SerializedString("organizationId");
    private static final SerializedString DIMENSIONS = new SerializedString("dimensions");
    private static final SerializedString QUANTITIES = new SerializedString("quantities");

    private final EnvironmentService environments;
    private final OnHandService onHand;
    private final AtpService atp;

    public QueryAnswers(EnvironmentService environments, OnHandService onHand, AtpService atp) {
        this.environments = environments;
        this.onHand = onHand;
        this.atp = atp;
    }

    /**
     * A v2 answer's paging (§2.8): the page asked for and the relative path its next link names.
     * A null paging answers the plain v1 array.
     */
    public record Paging(@Nullable Integer number, @Nullable Integer size, String link) {
        public Paging {
            if (number != null && number < 1) {
                throw new InvalidInputException("pageNumber", "must be 1 or more");
            }
            if (size != null && size < 1) {
                throw new InvalidInputException("pageSize", "must be 1 or more");
            }
        }
    }

    /** Runs the query and writes its rows, paged when {@code paging} is set. */
    public void answer(
            String environmentId,
            QueryRequest request,
            int apiVersion,
            AtpOptions atpOptions,
            @Nullable Paging paging,
            HttpServletResponse response)
            throws IOException {
        List<Answer> rows = run(environmentId, request, apiVersion, atpOptions);
        if (paging == null) {
            json(response, rows);
        } else {
            page(response, rows, paging);
        }
    }

    /**
     * The answer of a query that selects no product, without running it: an empty product list
     * would otherwise mean every product of the filtered warehouses.
     */
    public void answerNone(@Nullable Paging paging, HttpServletResponse response)
            throws IOException {
        if (paging == null) {
            json(response, List.of());
        } else {
            page(response, List.of(), paging);
        }
    }

    /** A result row and, for an ATP query, its dated quantities. */
    private record Answer(ResultRow row, @Nullable AtpAnswer atp) {}

    /**
     * An ATP query's {@code quantitiesByDate} (schedule changes) and {@code atpQuantities} of a
     * row, keyed by the date texts IV writes.
     */
    private record AtpAnswer(QuantitiesByDate quantitiesByDate, QuantitiesByDate atpQuantities) {}

    /** {@code QueryATP}, {@code ATPFromDate} and {@code ATPToDate} (spec A.4.1). */
    public record AtpOptions(
            boolean enabled,
            @Nullable LocalDate from,
            @Nullable LocalDate to) {
        /** The options of a query body. */
        public static AtpOptions of(JsonNode body) {
            boolean enabled = Json.optionalBoolean(body, "QueryATP", "", false);
            return new AtpOptions(enabled, date(body, "ATPFromDate"), date(body, "ATPToDate"));
        }

        private static @Nullable LocalDate date(JsonNode body, String name) {
            String text = Json.optionalText(body, name, "");
            return text == null || text.isBlank() ? null : ScheduleDates.parse(name, text);
        }
    }

    private List<Answer> run(
            String environmentId, QueryRequest request, int apiVersion, AtpOptions atpOptions) {
        if (!atpOptions.enabled()) {
            return onHand.query(EnvironmentId.of(environmentId), request, apiVersion).stream()
                    .map(row -> new Answer(row, null))
                    .toList();
        }
        RuntimeConfiguration config = environments.configuration(environmentId);
        List<Answer> answers = new ArrayList<>();
        for (AtpRow row : atp.query(
                EnvironmentId.of(environmentId),
                request,
                apiVersion,
                atpOptions.from(),
                atpOptions.to())) {
            AtpAnswer series = new AtpAnswer(
                    byDate(config, row.series().quantitiesByDate(), false),
                    byDate(config, row.series().atpQuantities(), true));
            answers.add(new Answer(row.row(), series));
        }
        return answers;
    }

    /** Date keys as IV writes them: {@code …T00:00:00} for schedules, {@code …Z} for ATP. */
    private static QuantitiesByDate byDate(
            RuntimeConfiguration config,
            Map<LocalDate, Map<MeasureRef, BigDecimal>> series,
            boolean utcSuffix) {
        Map<String, Quantities> out = new LinkedHashMap<>();
        series.forEach((date, measures) -> {
            Quantities.Builder day = Quantities.builder();
            measures.forEach((ref, value) -> {
                String source = config.dataSource(ref.dataSource())
                        .map(DataSourceConfig::name)
                        .orElse(ref.dataSource());
                day.add(source, ref.measure(), QueryResults.plain(value));
            });
            out.put(date + (utcSuffix ? "T00:00:00Z" : "T00:00:00"), day.build());
        });
        return QuantitiesByDate.of(out);
    }

    /** v2 answer (§2.8): a page of warehouses and the relative link to the next page. */
    private static void page(HttpServletResponse response, List<Answer> answers, Paging paging)
            throws IOException {
        int number = paging.number() == null ? 1 : paging.number();
        int size = paging.size() == null ? Integer.MAX_VALUE : paging.size();
        QueryResults.Page page =
                QueryResults.page(answers.stream().map(Answer::row).toList(), number, size);
        Set<ResultRow> selected = Collections.newSetFromMap(new IdentityHashMap<>());
        selected.addAll(page.rows());
        List<Answer> rows =
                answers.stream().filter(a -> selected.contains(a.row())).toList();
        String nextLink = page.hasNext()
                ? paging.link() + "?pageNumber=" + (number + 1) + "&pageSize=" + size
                : "";
        write(response, json -> {
            json.writeStartObject();
            json.writeName("Value");
            rows(json, rows);
            json.writeStringProperty("nextLink", nextLink);
            json.writeEndObject();
        });
    }

    private static void json(HttpServletResponse response, List<Answer> answers)
            throws IOException {
        write(response, json -> rows(json, answers));
    }

    /**
     * The answer written from the typed rows straight into the response: a query of 100
     * products answers with about a thousand rows (some 180 KB), which are neither mapped to a
     * tree of objects nor held a second time as bytes (commits 91f9bbf and 2dbf6be; measured in
     * docs/performance.md, 2026-12-06). Every row is computed before the first byte is written,
     * so a failure still answers with a problem document.
     */
    private static void write(HttpServletResponse response, Consumer<JsonGenerator> body)
            throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        try (JsonGenerator json = Json.mapper().createGenerator(response.getOutputStream())) {
            body.accept(json);
        }
    }

    private static void rows(JsonGenerator json, List<Answer> answers) {
        // Dimension, data source and measure names repeat on every row: encoded once each. Rows
        // of the same group-by values share one dimensions map (QueryResults), whose object is
        // encoded once and copied into every such row.
        Map<String, SerializedString> names = new HashMap<>();
        Map<Map<String, String>, SerializedString> dimensions = new IdentityHashMap<>();
        // Rows come sorted by warehouse first, so the previous row's object is tried first.
        @Nullable Map<String, String> lastDimensions = null;
        @Nullable SerializedString lastJson = null;
        json.writeStartArray();
        for (Answer answer : answers) {
            ResultRow row = answer.row();
            json.writeStartObject();
            json.writeName(PRODUCT_ID);
            json.writeString(row.productId());
            json.writeName(ORGANIZATION_ID);
            json.writeString(row.organizationId());
            json.writeName(DIMENSIONS);
            if (row.dimensions() != lastDimensions || lastJson == null) {
                lastDimensions = row.dimensions();
                lastJson = dimensions.computeIfAbsent(lastDimensions, QueryAnswers::dimensionsJson);
            }
            json.writeRawValue(lastJson);
            json.writeName(QUANTITIES);
            QuantitiesJson.write(json, row.quantities(), names);
            if (answer.atp() != null) {
                byDate(json, "quantitiesByDate", answer.atp().quantitiesByDate(), names);
                byDate(json, "atpQuantities", answer.atp().atpQuantities(), names);
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** A row's dimensions object as JSON text, encoded by the answers' own mapper. */
    private static SerializedString dimensionsJson(Map<String, String> dimensions) {
        StringWriter text = new StringWriter(64);
        try (JsonGenerator json = Json.mapper().createGenerator(text)) {
            json.writeStartObject();
            dimensions.forEach(json::writeStringProperty);
            json.writeEndObject();
        }
        return new SerializedString(text.toString());
    }

    private static void byDate(
            JsonGenerator json,
            String field,
            QuantitiesByDate byDate,
            Map<String, SerializedString> names) {
        json.writeName(field);
        json.writeStartObject();
        byDate.asMap().forEach((date, quantities) -> {
            json.writeName(date);
            QuantitiesJson.write(json, quantities, names);
        });
        json.writeEndObject();
    }
}
