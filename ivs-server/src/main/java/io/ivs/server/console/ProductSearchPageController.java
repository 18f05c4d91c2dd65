package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.product.AttributeArea;
import io.ivs.core.product.ConditionOperator;
import io.ivs.core.product.LogicalOperator;
import io.ivs.core.product.ProductField;
import io.ivs.core.product.ProductSearch;
import io.ivs.core.product.SearchCondition;
import io.ivs.core.product.SearchFilter;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.product.ProductSearches;
import io.ivs.server.security.Role;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Product search: conditions on product fields and attributes, built with the API's operators and
 * joined by And or Or, and the on-hand of the products they select, through the same search and
 * query services as {@code /onhand/productsearch/indexquery}.
 */
@Controller
class ProductSearchPageController extends ConsoleController {
    /** Condition rows the form offers; the API nests further with sub-filters. */
    static final int CONDITION_ROWS = 4;

    /** The value of the target select that makes a row an attribute condition. */
    static final String ATTRIBUTE = "attribute";

    /** One condition row of the form, as entered. */
    record ConditionRow(String target, String operator, String attribute, String values) {
        boolean blank() {
            return values.isBlank() && attribute.isBlank();
        }
    }

    private final ConsoleAccess access;
    private final EnvironmentService environments;
    private final ProductSearches searches;

    ProductSearchPageController(
            ConsoleAccess access, EnvironmentService environments, ProductSearches searches) {
        this.access = access;
        this.environments = environments;
        this.searches = searches;
    }

    @GetMapping("/console/env/{env}/productsearch")
    String page(
            @PathVariable String env,
            @RequestParam MultiValueMap<String, String> params,
            @RequestHeader(value = "HX-Request", required = false) @Nullable String htmx,
            Authentication auth,
            HttpServletResponse response,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ);
        List<ConditionRow> rows = rows(params);
        String organization = value(params, "organizationId");
        model.addAttribute("page", page);
        model.addAttribute("nav", "productsearch");
        model.addAttribute("rows", rows);
        model.addAttribute("organizationId", organization);
        model.addAttribute("siteIds", value(params, "siteIds"));
        model.addAttribute("locationIds", value(params, "locationIds"));
        model.addAttribute(
                "logic", value(params, "logic").isEmpty() ? "And" : value(params, "logic"));
        model.addAttribute(
                "fields",
                Arrays.stream(ProductField.values()).map(ProductField::wireName).toList());
        model.addAttribute(
                "operators",
                Arrays.stream(ConditionOperator.values())
                        .map(ConditionOperator::wireName)
                        .toList());
        model.addAttribute("attributeTarget", ATTRIBUTE);
        if (!organization.isEmpty()) {
            try {
                RuntimeConfiguration config = environments.configuration(env);
                model.addAttribute(
                        "table",
                        ResultTable.of(
                                config,
                                searches.indexQuery(
                                        env,
                                        organization,
                                        list(value(params, "siteIds")),
                                        list(value(params, "locationIds")),
                                        search(rows, value(params, "logic")))));
            } catch (InvalidInputException e) {
                response.setStatus(htmx == null ? 400 : 200);
                model.addAttribute("error", e.getMessage());
            }
        }
        return htmx != null ? "console/productsearch :: results" : "console/productsearch";
    }

    private static String value(MultiValueMap<String, String> params, String name) {
        String value = params.getFirst(name);
        return value == null ? "" : value.strip();
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static List<ConditionRow> rows(MultiValueMap<String, String> params) {
        List<ConditionRow> rows = new ArrayList<>();
        for (int i = 0; i < CONDITION_ROWS; i++) {
            String target = value(params, "target" + i);
            rows.add(new ConditionRow(
                    target.isEmpty() ? ProductField.PRODUCT_NAME.wireName() : target,
                    value(params, "operator" + i).isEmpty()
                            ? ConditionOperator.CONTAINS.wireName()
                            : value(params, "operator" + i),
                    value(params, "attribute" + i),
                    value(params, "values" + i)));
        }
        return rows;
    }

    /** The rows that were filled in, as one search; values are separated by commas. */
    static ProductSearch search(List<ConditionRow> rows, String logic) {
        LogicalOperator operator =
                logic.isEmpty() ? LogicalOperator.AND : LogicalOperator.parse("logic", logic);
        List<SearchCondition> onProducts = new ArrayList<>();
        List<SearchCondition> onAttributes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ConditionRow row = rows.get(i);
            if (row.blank()) {
                continue;
            }
            ConditionOperator op = ConditionOperator.parse("operator" + i, row.operator());
            List<String> values = list(row.values());
            op.requireValueCount("values" + i, values.size());
            if (row.target().equals(ATTRIBUTE)) {
                if (row.attribute().isEmpty()) {
                    throw new InvalidInputException("attribute" + i, "is required");
                }
                onAttributes.add(new SearchCondition.OnAttribute(
                        op, row.attribute(), null, (AttributeArea) null, values));
            } else {
                String targetField = "target" + i;
                ProductField field = ProductField.find(row.target())
                        .orElseThrow(() ->
                                new InvalidInputException(targetField, "is not a product field"));
                onProducts.add(new SearchCondition.OnProduct(op, field, values));
            }
        }
        if (onProducts.isEmpty() && onAttributes.isEmpty()) {
            throw new InvalidInputException("values0", "fill in at least one condition");
        }
        // Or across both kinds needs one filter each side; And keeps the API's meaning.
        if (operator == LogicalOperator.OR && !onProducts.isEmpty() && !onAttributes.isEmpty()) {
            throw new InvalidInputException(
                    "logic",
                    "Or joins conditions of one kind; mix product and attribute"
                            + " conditions with And");
        }
        return new ProductSearch(
                onProducts.isEmpty() ? null : new SearchFilter(operator, onProducts, List.of()),
                onAttributes.isEmpty()
                        ? null
                        : new SearchFilter(operator, onAttributes, List.of()));
    }
}
