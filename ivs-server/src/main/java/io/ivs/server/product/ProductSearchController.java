package io.ivs.server.product;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.product.ProductSearch;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.onhand.OnHandRequests;
import io.ivs.server.onhand.QueryAnswers;
import io.ivs.server.web.ApiVersion;
import io.ivs.server.web.Json;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * On-hand queries with product search (spec §2.10): the body of an index or exact query without
 * {@code filters.productId}, plus a {@code productSearch}. The search selects the products in one
 * SQL statement; then the normal query runs for them and answers in its own shape. A search that
 * selects no product answers no rows (the query is not run: an empty product list would mean
 * every product of the filtered warehouses).
 */
@RestController
class ProductSearchController {
    private static final String BASE = "/api/environment/{environmentId}/onhand/productsearch";

    private final EnvironmentService environments;
    private final ProductCatalogue catalogue;
    private final QueryAnswers answers;

    ProductSearchController(
            EnvironmentService environments, ProductCatalogue catalogue, QueryAnswers answers) {
        this.environments = environments;
        this.catalogue = catalogue;
        this.answers = answers;
    }

    @PostMapping(BASE + "/indexquery")
    void indexQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestParam(required = false) @Nullable Integer pageNumber,
            @RequestParam(required = false) @Nullable Integer pageSize,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        int apiVersion = ApiVersion.parse(version);
        QueryAnswers.Paging paging = apiVersion < 2
                ? null
                : new QueryAnswers.Paging(pageNumber, pageSize, "onhand/productsearch/indexquery");
        run(environmentId, body, false, apiVersion, paging, response);
    }

    @PostMapping(BASE + "/exactquery")
    void exactQuery(
            @PathVariable String environmentId,
            @RequestHeader(value = ApiVersion.HEADER, required = false) @Nullable String version,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletResponse response)
            throws IOException {
        run(environmentId, body, true, ApiVersion.parse(version), null, response);
    }

    private void run(
            String environmentId,
            byte @Nullable [] body,
            boolean exact,
            int apiVersion,
            QueryAnswers.@Nullable Paging paging,
            HttpServletResponse response)
            throws IOException {
        environments.configuration(environmentId);
        JsonNode node = Json.object(Json.parse(body), "body");
        ProductSearch search = ProductSearchJson.read(node);
        JsonNode query = withoutSearch(node);
        refuseProductIds(query);
        QueryRequest request = OnHandRequests.query(query, exact, apiVersion);
        List<String> products = catalogue.search(environmentId, organizations(request), search);
        if (products.isEmpty()) {
            answers.answerNone(paging, response);
            return;
        }
        Map<String, List<String>> filters = new LinkedHashMap<>(request.filters());
        filters.put("productId", products);
        QueryRequest selected = new QueryRequest(
                request.dimensionDataSource(),
                filters,
                request.groupBy(),
                request.returnNegative(),
                request.exactKeys(),
                request.exactValues());
        answers.answer(
                environmentId,
                selected,
                apiVersion,
                QueryAnswers.AtpOptions.of(query),
                paging,
                response);
    }

    /** The query body as the plain query endpoints read it: the search taken out. */
    private static JsonNode withoutSearch(JsonNode body) {
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        List<String> names = new ArrayList<>();
        copy.properties().forEach(entry -> {
            if (entry.getKey().equalsIgnoreCase(ProductSearchJson.FIELD)) {
                names.add(entry.getKey());
            }
        });
        names.forEach(copy::remove);
        return copy;
    }

    /** The search selects the products; a product list beside it would be ignored silently. */
    private static void refuseProductIds(JsonNode query) {
        JsonNode filters = Json.field(query, "filters", "");
        if (filters != null && filters.isObject() && Json.field(filters, "productId", "") != null) {
            throw new InvalidInputException(
                    "filters.productId",
                    "is not read with a product search; the productSearch selects the products");
        }
    }

    /**
     * The organizations the query reads, to which the search is confined: {@code
     * filters.organizationId}, or an exact query's {@code organizationId} key (v2). Empty when
     * the query names none; the query itself then refuses the body.
     */
    private static List<String> organizations(QueryRequest request) {
        for (Map.Entry<String, List<String>> filter : request.filters().entrySet()) {
            if (filter.getKey().equalsIgnoreCase("organizationId")) {
                return filter.getValue();
            }
        }
        List<String> keys = request.exactKeys();
        if (keys != null) {
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).equalsIgnoreCase("organizationId")) {
                    int column = i;
                    return request.exactValues().stream()
                            .filter(tuple -> tuple.size() > column)
                            .map(tuple -> tuple.get(column))
                            .distinct()
                            .toList();
                }
            }
        }
        return List.of();
    }
}
