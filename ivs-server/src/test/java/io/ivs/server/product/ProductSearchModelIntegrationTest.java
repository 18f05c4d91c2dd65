package io.ivs.server.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.product.AttributeArea;
import io.ivs.core.product.ConditionOperator;
import io.ivs.core.product.LogicalOperator;
import io.ivs.core.product.Product;
import io.ivs.core.product.ProductAttribute;
import io.ivs.core.product.ProductField;
import io.ivs.core.product.ProductMatcher;
import io.ivs.core.product.ProductSearch;
import io.ivs.core.product.SearchCondition;
import io.ivs.core.product.SearchFilter;
import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Seeded random catalogues and searches, each answered over HTTP by the SQL the search compiles
 * to and compared with {@link ProductMatcher}, the in-memory reference of what every operator
 * means. A failure prints the seed and the search, so it can be replayed.
 */
class ProductSearchModelIntegrationTest extends QueryTestSupport {
    private static final String[] WORDS = {
        "Deluxe", "basic", "CHAIR", "table", "Lamp", "red", "50%", "a_b", "x'y", "\\"
    };
    private static final String[] PROBES = {
        "de", "DELUXE", "chair", "Ta", "lamp", "RED", "%", "_", "'", "\\", "5", "zz", "a", "e"
    };
    private static final String[] NUMBERS = {"0", "5", "120", "370", "370.0", "999", "1000", "-3"};
    private static final String[] COLORS = {"Red", "blue", "BLACK", "green"};
    private static final String[] ORGANIZATIONS = {"usmf", "other"};
    private static final int PRODUCTS = 40;
    private static final int SEARCHES = 40;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomSearches_selectWhatTheReferenceModelSelects(long seed) {
        Random random = new Random(seed);
        List<Product> catalogue = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            catalogue.add(product(random, i));
        }
        post(catalogue);
        for (int i = 0; i < SEARCHES; i++) {
            ProductSearch search = search(random);
            TreeSet<String> expected = new TreeSet<>();
            for (Product product : catalogue) {
                if (ProductMatcher.matches(search, product)) {
                    expected.add(product.itemNumber());
                }
            }
            String json = IvsClient.json(searchJson(search));
            assertThat(searched(json))
                    .as("seed %s, search %s: %s", seed, i, json)
                    .containsExactlyElementsOf(expected);
        }
    }

    private static Product product(Random random, int i) {
        List<ProductAttribute> attributes = new ArrayList<>();
        if (random.nextInt(4) > 0) {
            attributes.add(new ProductAttribute(
                    "Weight",
                    "Weight Limit",
                    AttributeArea.PRODUCT_ATTRIBUTE,
                    List.of(random.nextInt(5) == 0 ? "heavy" : pick(random, NUMBERS))));
        }
        if (random.nextInt(4) > 0) {
            List<String> colors = new ArrayList<>();
            for (String color : COLORS) {
                if (random.nextInt(3) == 0) {
                    colors.add(color);
                }
            }
            attributes.add(new ProductAttribute(
                    "Color",
                    "Color",
                    random.nextBoolean()
                            ? AttributeArea.DIMENSION_ATTRIBUTE
                            : AttributeArea.BATCH_ATTRIBUTE,
                    colors));
        }
        return new Product(
                pick(random, ORGANIZATIONS),
                String.format("I%02d", i),
                words(random, 2),
                words(random, 1).toUpperCase(java.util.Locale.ROOT),
                pick(random, new String[] {"Item", "Service", "BOM"}),
                random.nextInt(4) == 0 ? "" : words(random, 3),
                pick(random, new String[] {"ea", "pcs", "box"}),
                pick(random, new String[] {"ea", "pcs", "box"}),
                random.nextInt(3) == 0 ? pick(random, NUMBERS) : "box",
                attributes);
    }

    private static String words(Random random, int count) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            words.add(pick(random, WORDS));
        }
        return String.join(" ", words);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static ProductSearch search(Random random) {
        int kind = random.nextInt(3);
        return new ProductSearch(
                kind != 1 ? filter(random, false, 1) : null,
                kind != 0 ? filter(random, true, 1) : null);
    }

    private static SearchFilter filter(Random random, boolean attributes, int depth) {
        List<SearchCondition> conditions = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            conditions.add(attributes ? onAttribute(random) : onProduct(random));
        }
        List<SearchFilter> subFilters = new ArrayList<>();
        if (depth < ProductSearch.DEPTH_MAX && random.nextInt(3) == 0) {
            subFilters.add(filter(random, attributes, depth + 1));
        }
        return new SearchFilter(
                random.nextBoolean() ? LogicalOperator.AND : LogicalOperator.OR,
                conditions,
                subFilters);
    }

    private static SearchCondition onProduct(Random random) {
        ConditionOperator operator = pickOperator(random);
        ProductField field = ProductField.values()[random.nextInt(ProductField.values().length)];
        List<String> values = values(
                random,
                operator,
                field == ProductField.ITEM_NUMBER
                        ? new String[] {"I05", "I1", "I20", "i3", "I39"}
                        : random.nextBoolean() ? PROBES : NUMBERS);
        return new SearchCondition.OnProduct(operator, field, values);
    }

    private static SearchCondition onAttribute(Random random) {
        ConditionOperator operator = pickOperator(random);
        boolean weight = random.nextBoolean();
        AttributeArea area = random.nextInt(3) == 0
                ? AttributeArea.values()[random.nextInt(AttributeArea.values().length)]
                : null;
        return new SearchCondition.OnAttribute(
                operator,
                weight ? "weight limit" : "COLOR",
                random.nextBoolean() ? null : weight ? "Weight" : "color",
                area,
                values(random, operator, weight ? NUMBERS : COLORS));
    }

    private static ConditionOperator pickOperator(Random random) {
        return ConditionOperator.values()[random.nextInt(ConditionOperator.values().length)];
    }

    private static List<String> values(Random random, ConditionOperator operator, String[] pool) {
        int count = switch (operator) {
            case GREATER_EQUAL, LESS_EQUAL -> 1;
            case BETWEEN -> 2;
            default -> 1 + random.nextInt(2);
        };
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(pick(random, pool));
        }
        return values;
    }

    private void post(List<Product> catalogue) {
        List<Map<String, Object>> items = new ArrayList<>();
        List<Map<String, Object>> stock = new ArrayList<>();
        for (Product product : catalogue) {
            items.add(ProductJson.write(product));
            stock.add(event(
                    "s-" + product.itemNumber(),
                    product.organizationId(),
                    product.itemNumber(),
                    dims("siteId", "1", "locationId", "11"),
                    "pos",
                    "inbound",
                    1));
        }
        IvsClient.Response response = client.post(api("/products/bulk"), IvsClient.json(items));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        postAll(stock);
    }

    private TreeSet<String> searched(String productSearch) {
        IvsClient.Response response = client.post(
                api("/onhand/productsearch/indexquery"),
                "{\"filters\": {\"organizationId\": [\"usmf\", \"other\"], \"siteId\": [\"1\"],"
                        + " \"locationId\": [\"11\"]}, \"productSearch\": " + productSearch + "}",
                V2);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode row : response.json().path("Value")) {
            ids.add(row.path("productId").asString());
        }
        return ids;
    }

    private static Map<String, Object> searchJson(ProductSearch search) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (search.productFilter() != null) {
            out.put("productFilter", filterJson(search.productFilter()));
        }
        if (search.attributeFilter() != null) {
            out.put("attributeFilter", filterJson(search.attributeFilter()));
        }
        return out;
    }

    private static Map<String, Object> filterJson(SearchFilter filter) {
        List<Object> conditions = new ArrayList<>();
        for (SearchCondition condition : filter.conditions()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("conditionOperator", condition.operator().wireName());
            switch (condition) {
                case SearchCondition.OnProduct on -> c.put(on.field().wireName(), on.values());
                case SearchCondition.OnAttribute on -> {
                    c.put("attributeName", on.name());
                    if (on.typeName() != null) {
                        c.put("attributeTypeName", on.typeName());
                    }
                    if (on.area() != null) {
                        c.put("attributeArea", on.area().wireName());
                    }
                    c.put("attributeValues", on.values());
                }
            }
            conditions.add(c);
        }
        return IvsClient.map(
                "logicalOperator",
                filter.operator() == LogicalOperator.AND ? "And" : "Or",
                "conditions",
                conditions,
                "subFilters",
                filter.subFilters().stream().map(s -> (Object) filterJson(s)).toList());
    }
}
