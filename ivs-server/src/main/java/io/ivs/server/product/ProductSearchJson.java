package io.ivs.server.product;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.Limits;
import io.ivs.core.product.AttributeArea;
import io.ivs.core.product.ConditionOperator;
import io.ivs.core.product.LogicalOperator;
import io.ivs.core.product.ProductField;
import io.ivs.core.product.ProductSearch;
import io.ivs.core.product.SearchCondition;
import io.ivs.core.product.SearchFilter;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code productSearch} object of a product search query, read into the core's filter model.
 * Every bound is checked while reading, before any recursion goes deeper, and every error names
 * the field, e.g. {@code productSearch.productFilter.subFilters[0].conditions[1].Between}.
 */
final class ProductSearchJson {
    static final String FIELD = "productSearch";

    private static final Set<String> FILTER_FIELDS =
            Set.of("logicaloperator", "conditions", "subfilters");
    private static final Set<String> ATTRIBUTE_FIELDS = Set.of(
            "conditionoperator",
            "attributename",
            "attributetypename",
            "attributearea",
            "attributevalues");

    private ProductSearchJson() {}

    /** The search of a query body; a body without one is refused. */
    static ProductSearch read(JsonNode body) {
        JsonNode node = Json.field(body, FIELD, "");
        if (node == null) {
            throw new InvalidInputException(FIELD, "is required");
        }
        Json.object(node, FIELD);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("productfilter") && !name.equals("attributefilter")) {
                throw new InvalidInputException(
                        Json.join(FIELD, entry.getKey()),
                        "is not read; a product search has productFilter and attributeFilter");
            }
        }
        Counter counter = new Counter();
        SearchFilter products = filter(node, "productFilter", false, counter);
        SearchFilter attributes = filter(node, "attributeFilter", true, counter);
        if (products == null && attributes == null) {
            throw new InvalidInputException(
                    FIELD, "needs a productFilter, an attributeFilter or both");
        }
        return new ProductSearch(products, attributes);
    }

    /** Conditions read so far, across both filters. */
    private static final class Counter {
        int conditions;
    }

    private static @Nullable SearchFilter filter(
            JsonNode search, String name, boolean attributes, Counter counter) {
        JsonNode node = Json.field(search, name, FIELD);
        return node == null ? null : filter(node, Json.join(FIELD, name), 1, attributes, counter);
    }

    private static SearchFilter filter(
            JsonNode node, String path, int depth, boolean attributes, Counter counter) {
        Json.object(node, path);
        if (depth > ProductSearch.DEPTH_MAX) {
            throw new InvalidInputException(
                    path, "nests filters deeper than " + ProductSearch.DEPTH_MAX + " levels");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!FILTER_FIELDS.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException(
                        Json.join(path, entry.getKey()),
                        "is not a filter field; a filter has logicalOperator, conditions and"
                                + " subFilters");
            }
        }
        String operatorText = Json.optionalText(node, "logicalOperator", path);
        LogicalOperator operator = operatorText == null
                ? LogicalOperator.AND
                : LogicalOperator.parse(Json.join(path, "logicalOperator"), operatorText);
        List<SearchCondition> conditions = new ArrayList<>();
        List<JsonNode> conditionNodes = list(node, "conditions", path);
        for (int i = 0; i < conditionNodes.size(); i++) {
            String at = Json.join(path, "conditions") + "[" + i + "]";
            if (++counter.conditions > ProductSearch.CONDITIONS_MAX) {
                throw new InvalidInputException(
                        at,
                        "is one condition too many; a search has at most "
                                + ProductSearch.CONDITIONS_MAX);
            }
            conditions.add(
                    attributes
                            ? attributeCondition(conditionNodes.get(i), at)
                            : productCondition(conditionNodes.get(i), at));
        }
        List<SearchFilter> subFilters = new ArrayList<>();
        List<JsonNode> subNodes = list(node, "subFilters", path);
        for (int i = 0; i < subNodes.size(); i++) {
            String at = Json.join(path, "subFilters") + "[" + i + "]";
            subFilters.add(filter(subNodes.get(i), at, depth + 1, attributes, counter));
        }
        if (conditions.isEmpty() && subFilters.isEmpty()) {
            throw new InvalidInputException(path, "needs at least one condition or sub-filter");
        }
        return new SearchFilter(operator, conditions, subFilters);
    }

    private static List<JsonNode> list(JsonNode node, String name, String path) {
        JsonNode list = Json.field(node, name, path);
        return list == null ? List.of() : Json.array(list, Json.join(path, name));
    }

    /** {@code {"conditionOperator": OP, "<productField>": [values]}}: exactly one field. */
    private static SearchCondition productCondition(JsonNode node, String path) {
        Json.object(node, path);
        ConditionOperator operator = operator(node, path);
        ProductField field = null;
        String fieldName = "";
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            if (name.equalsIgnoreCase("conditionOperator")) {
                continue;
            }
            ProductField found = ProductField.find(name)
                    .orElseThrow(() -> new InvalidInputException(
                            Json.join(path, name),
                            "is not a product field; use one of " + ProductField.names()));
            if (field != null) {
                throw new InvalidInputException(
                        Json.join(path, name),
                        "is a second field; a condition names one (" + fieldName + " already)");
            }
            field = found;
            fieldName = name;
        }
        if (field == null) {
            throw new InvalidInputException(
                    path, "names no product field; use one of " + ProductField.names());
        }
        List<String> values = values(node, fieldName, path, operator);
        return new SearchCondition.OnProduct(operator, field, values);
    }

    private static SearchCondition attributeCondition(JsonNode node, String path) {
        Json.object(node, path);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!ATTRIBUTE_FIELDS.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException(
                        Json.join(path, entry.getKey()),
                        "is not an attribute condition field; use conditionOperator,"
                                + " attributeName, attributeTypeName, attributeArea and"
                                + " attributeValues");
            }
        }
        ConditionOperator operator = operator(node, path);
        String name = Limits.requireText(
                Json.join(path, "attributeName"), Json.requiredText(node, "attributeName", path));
        String typeName = Json.optionalText(node, "attributeTypeName", path);
        String area = Json.optionalText(node, "attributeArea", path);
        return new SearchCondition.OnAttribute(
                operator,
                name,
                typeName == null || typeName.isBlank() ? null : typeName,
                area == null || area.isBlank()
                        ? null
                        : AttributeArea.parse(Json.join(path, "attributeArea"), area),
                values(node, "attributeValues", path, operator));
    }

    private static ConditionOperator operator(JsonNode node, String path) {
        return ConditionOperator.parse(
                Json.join(path, "conditionOperator"),
                Json.requiredText(node, "conditionOperator", path));
    }

    private static List<String> values(
            JsonNode node, String name, String path, ConditionOperator operator) {
        String field = Json.join(path, name);
        JsonNode valuesNode = Json.field(node, name, path);
        if (valuesNode == null) {
            throw new InvalidInputException(field, "is required: the values to compare with");
        }
        if (valuesNode.isArray() && valuesNode.size() > ProductSearch.VALUES_PER_CONDITION_MAX) {
            throw new InvalidInputException(
                    field,
                    "holds " + valuesNode.size() + " values; a condition takes at most "
                            + ProductSearch.VALUES_PER_CONDITION_MAX);
        }
        List<String> values = Json.stringList(valuesNode, field);
        for (int i = 0; i < values.size(); i++) {
            Limits.requireLength(field + "[" + i + "]", values.get(i));
        }
        operator.requireValueCount(field, values.size());
        return values;
    }
}
