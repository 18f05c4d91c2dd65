package io.ivs.server.product;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.Limits;
import io.ivs.core.product.AttributeArea;
import io.ivs.core.product.Product;
import io.ivs.core.product.ProductAttribute;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Catalogue products from and to JSON, in the bulk API's shape; every error names the field. */
final class ProductJson {
    private static final Set<String> FIELDS = Set.of(
            "organizationid",
            "itemnumber",
            "productname",
            "productsearchname",
            "producttype",
            "productdescription",
            "inventoryunitsymbol",
            "salesunitsymbol",
            "purchaseunitsymbol",
            "attributes");

    private ProductJson() {}

    /** One item of a bulk request, at {@code path} (e.g. {@code [3]}). */
    static Product product(JsonNode node, String path) {
        Json.object(node, path);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            if (!FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException(Json.join(path, name), "is not a product field");
            }
        }
        return new Product(
                id(node, "organizationId", path),
                id(node, "itemNumber", path),
                text(node, "productName", path, Limits.VALUE_LENGTH_MAX),
                text(node, "productSearchName", path, Limits.VALUE_LENGTH_MAX),
                text(node, "productType", path, Limits.VALUE_LENGTH_MAX),
                text(node, "productDescription", path, Product.DESCRIPTION_LENGTH_MAX),
                text(node, "inventoryUnitSymbol", path, Limits.VALUE_LENGTH_MAX),
                text(node, "salesUnitSymbol", path, Limits.VALUE_LENGTH_MAX),
                text(node, "purchaseUnitSymbol", path, Limits.VALUE_LENGTH_MAX),
                attributes(Json.field(node, "attributes", path), Json.join(path, "attributes")));
    }

    private static String id(JsonNode node, String name, String path) {
        String value = Json.requiredText(node, name, path);
        return Limits.requireText(Json.join(path, name), value);
    }

    private static String text(JsonNode node, String name, String path, int lengthMax) {
        String value = Json.optionalText(node, name, path);
        if (value == null) {
            return "";
        }
        if (value.length() > lengthMax) {
            throw new InvalidInputException(
                    Json.join(path, name), "is longer than " + lengthMax + " characters");
        }
        return value;
    }

    private static List<ProductAttribute> attributes(@Nullable JsonNode node, String path) {
        if (node == null) {
            return List.of();
        }
        List<JsonNode> items = Json.array(node, path);
        if (items.size() > Product.ATTRIBUTES_MAX) {
            throw new InvalidInputException(
                    path,
                    "holds " + items.size() + " attributes; at most " + Product.ATTRIBUTES_MAX);
        }
        List<ProductAttribute> attributes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            attributes.add(attribute(items.get(i), path + "[" + i + "]"));
        }
        return attributes;
    }

    private static ProductAttribute attribute(JsonNode node, String path) {
        Json.object(node, path);
        String area = Json.requiredText(node, "attributeArea", path);
        String valuesField = Json.join(path, "attributeValues");
        List<String> values =
                Json.stringList(Json.field(node, "attributeValues", path), valuesField);
        if (values.size() > ProductAttribute.VALUES_MAX) {
            throw new InvalidInputException(
                    valuesField, "holds more than " + ProductAttribute.VALUES_MAX + " values");
        }
        for (int i = 0; i < values.size(); i++) {
            Limits.requireLength(valuesField + "[" + i + "]", values.get(i));
        }
        return new ProductAttribute(
                Limits.requireLength(
                        Json.join(path, "attributeTypeName"),
                        nonNull(Json.optionalText(node, "attributeTypeName", path))),
                id(node, "attributeName", path),
                AttributeArea.parse(Json.join(path, "attributeArea"), area),
                values.stream().distinct().toList());
    }

    private static String nonNull(@Nullable String text) {
        return text == null ? "" : text;
    }

    /** A product as the bulk API takes it, so that what was read can be posted again. */
    static Map<String, Object> write(Product product) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organizationId", product.organizationId());
        out.put("itemNumber", product.itemNumber());
        out.put("productName", product.productName());
        out.put("productSearchName", product.productSearchName());
        out.put("productType", product.productType());
        out.put("productDescription", product.productDescription());
        out.put("inventoryUnitSymbol", product.inventoryUnitSymbol());
        out.put("salesUnitSymbol", product.salesUnitSymbol());
        out.put("purchaseUnitSymbol", product.purchaseUnitSymbol());
        List<Map<String, Object>> attributes = new ArrayList<>();
        for (ProductAttribute attribute : product.attributes()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("attributeTypeName", attribute.typeName());
            a.put("attributeName", attribute.name());
            a.put("attributeArea", attribute.area().wireName());
            a.put("attributeValues", attribute.values());
            attributes.add(a);
        }
        out.put("attributes", attributes);
        return out;
    }
}
