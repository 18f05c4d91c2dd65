package io.ivs.core.onhand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.TestConfigurations;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.RuntimeConfiguration;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class QueryPlannerTest {
    private static final RuntimeConfiguration BY_LOCATION = TestConfigurations.byLocation();
    private static final RuntimeConfiguration BY_PRODUCT = TestConfigurations.byProduct();

    private static QueryRequest index(Map<String, List<String>> filters, List<String> groupBy) {
        return index(null, filters, groupBy);
    }

    private static QueryRequest index(
            @Nullable String dimensionDataSource,
            Map<String, List<String>> filters,
            List<String> groupBy) {
        return new QueryRequest(dimensionDataSource, filters, groupBy, true, null, List.of());
    }

    private static QueryRequest exact(List<String> keys, List<List<String>> values) {
        Map<String, List<String>> filters =
                Map.of("organizationId", List.of("usmf"), "productId", List.of("T-shirt"));
        return new QueryRequest(null, filters, List.of(), true, keys, values);
    }

    private static Map<String, List<String>> filters(Object... pairs) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) pairs[i + 1];
            filters.put((String) pairs[i], values);
        }
        return filters;
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(prefix + i);
        }
        return values;
    }

    private static OnHandQuery plan(
            RuntimeConfiguration config, QueryRequest request, int apiVersion) {
        return QueryPlanner.plan(config, request, apiVersion);
    }

    @Test
    void plan_withoutOrganization_isRejected() {
        QueryRequest request = index(filters("productId", List.of("T-shirt")), List.of());

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("filters.organizationId: is required");
    }

    @Test
    void plan_emptyOrganizationList_isRejected() {
        QueryRequest request = index(
                filters("organizationId", List.of(), "productId", List.of("T-shirt")), List.of());

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 2))
                .hasMessageContaining("filters.organizationId");
    }

    @Test
    void plan_twoOrganizationsInVersion1_isRejected() {
        QueryRequest request = index(
                filters("organizationId", List.of("usmf", "demf"), "productId", List.of("T-shirt")),
                List.of());

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filters.organizationId")
                .hasMessageContaining("exactly one");
    }

    @Test
    void plan_twoOrganizationsInVersion2_areBothQueried() {
        QueryRequest request = index(
                filters("organizationId", List.of("usmf", "demf"), "productId", List.of("T-shirt")),
                List.of());

        assertThat(plan(BY_LOCATION, request, 2).organizationIds()).containsExactly("usmf", "demf");
    }

    @Test
    void plan_productsAtLimit_isAccepted() {
        List<String> products = numbered("p", Limits.QUERY_PRODUCTS_MAX);
        QueryRequest request =
                index(filters("organizationId", List.of("usmf"), "productId", products), List.of());

        assertThat(plan(BY_LOCATION, request, 1).productIds()).hasSize(Limits.QUERY_PRODUCTS_MAX);
    }

    @Test
    void plan_productsOverLimit_isRejected() {
        List<String> products = numbered("p", Limits.QUERY_PRODUCTS_MAX + 1);
        QueryRequest request =
                index(filters("organizationId", List.of("usmf"), "productId", products), List.of());

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filters.productId")
                .hasMessageContaining(String.valueOf(Limits.QUERY_PRODUCTS_MAX));
    }

    @Test
    void plan_siteTimesLocationAtLimitInVersion1_isAccepted() {
        QueryRequest request = index(
                filters(
                        "organizationId", List.of("usmf"),
                        "siteId", numbered("s", 100),
                        "locationId", numbered("l", 100)),
                List.of());

        OnHandQuery query = plan(BY_LOCATION, request, 1);

        assertThat(query.filters().get("siteid")).hasSize(100);
        assertThat(query.productIds()).isEmpty();
    }

    @Test
    void plan_siteTimesLocationOverLimitInVersion1_isRejected() {
        QueryRequest request = index(
                filters(
                        "organizationId", List.of("usmf"),
                        "siteId", numbered("s", 101),
                        "locationId", numbered("l", 100)),
                List.of());

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("10100 combinations")
                .hasMessageContaining("Api-Version 2.0");
    }

    @Test
    void plan_siteTimesLocationOverLimitInVersion2_isAccepted() {
        QueryRequest request = index(
                filters(
                        "organizationId", List.of("usmf"),
                        "siteId", numbered("s", 101),
                        "locationId", numbered("l", 100)),
                List.of());

        assertThat(plan(BY_LOCATION, request, 2).filters().get("locationid")).hasSize(100);
    }

    @Test
    void plan_byProductWithoutProducts_isRejected() {
        QueryRequest request = index(
                filters(
                        "organizationId",
                        List.of("usmf"),
                        "siteId",
                        List.of("1"),
                        "locationId",
                        List.of("11")),
                List.of());

        assertThatThrownBy(() -> plan(BY_PRODUCT, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filters.productId")
                .hasMessageContaining("by-product");
    }

    @Test
    void plan_byLocationWithoutProductsAndLocations_isRejected() {
        QueryRequest request = index(
                filters("organizationId", List.of("usmf"), "siteId", List.of("1")), List.of());

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("productId")
                .hasMessageContaining("locationId");
    }

    @Test
    void plan_withoutQueryIndex_failsWithDocumentedMessage() {
        RuntimeConfiguration noIndex = TestConfigurations.of(
                PartitionRule.BY_LOCATION, TestConfigurations.defaultSources(), List.of());
        QueryRequest request = index(
                filters("organizationId", List.of("usmf"), "productId", List.of("T-shirt")),
                List.of());

        assertThatThrownBy(() -> plan(noIndex, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("No index hierarchy has been set.");
    }

    @Test
    void plan_onlyPartitionDimensionsIndexed_failsWithDocumentedMessage() {
        RuntimeConfiguration partitionOnly = TestConfigurations.of(
                PartitionRule.BY_LOCATION,
                TestConfigurations.defaultSources(),
                List.of(new IndexSet(1, List.of("siteid", "locationid"))));
        QueryRequest request = index(
                filters("organizationId", List.of("usmf"), "productId", List.of("T-shirt")),
                List.of());

        assertThatThrownBy(() -> plan(partitionOnly, request, 1))
                .hasMessage(QueryPlanner.NO_INDEX_MESSAGE);
    }

    @Test
    void plan_onlyEmptyIndex_isAccepted() {
        RuntimeConfiguration emptyIndex = TestConfigurations.of(
                PartitionRule.BY_LOCATION,
                TestConfigurations.defaultSources(),
                List.of(new IndexSet(1, List.of("empty"))));
        QueryRequest request = index(
                filters("organizationId", List.of("usmf"), "productId", List.of("T-shirt")),
                List.of());

        assertThat(plan(emptyIndex, request, 1).productIds()).containsExactly("T-shirt");
    }

    @Test
    void plan_groupByUnderByLocation_addsSiteAndLocationFirst() {
        QueryRequest request = index(
                filters("organizationId", List.of("usmf"), "productId", List.of("T-shirt")),
                List.of("ColorId"));

        assertThat(plan(BY_LOCATION, request, 1).groupBy())
                .containsExactly("siteid", "locationid", "colorid");
    }

    @Test
    void plan_groupByUnderByProduct_isAsRequested() {
        QueryRequest request = index(
                filters("organizationId", List.of("usmf"), "productId", List.of("T-shirt")),
                List.of("ColorId"));

        assertThat(plan(BY_PRODUCT, request, 1).groupBy()).containsExactly("colorid");
    }

    @Test
    void plan_groupBySiteExplicitly_isNotRepeated() {
        QueryRequest request = index(
                filters("organizationId", List.of("usmf"), "productId", List.of("T-shirt")),
                List.of("LocationId", "sizeId", "siteid"));

        assertThat(plan(BY_LOCATION, request, 1).groupBy())
                .containsExactly("siteid", "locationid", "sizeid");
    }

    @Test
    void plan_mappedFilterAndGroupBy_resolveToBaseDimensions() {
        QueryRequest request = index(
                "pos",
                filters(
                        "organizationId", List.of("usmf"),
                        "productId", List.of("T-shirt"),
                        "PosColorId", List.of("red", "red", "blue"),
                        "PosSizeId", List.of()),
                List.of("PosSizeId"));

        OnHandQuery query = plan(BY_LOCATION, request, 1);

        assertThat(query.filters()).containsOnlyKeys("colorid");
        assertThat(query.filters().get("colorid")).containsExactly("red", "blue");
        assertThat(query.groupBy()).containsExactly("siteid", "locationid", "sizeid");
    }

    @Test
    void plan_sameBaseFilteredTwice_isRejected() {
        QueryRequest request = index(
                "pos",
                filters(
                        "organizationId", List.of("usmf"),
                        "productId", List.of("T-shirt"),
                        "ColorId", List.of("red"),
                        "PosColorId", List.of("blue")),
                List.of());

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ColorId")
                .hasMessageContaining("a second time");
    }

    @Test
    void plan_exactTupleShorterThanKeys_isRejectedNamingTheTuple() {
        QueryRequest request = exact(
                List.of("siteId", "locationId", "colorId"),
                List.of(List.of("1", "11", "red"), List.of("1", "11")));

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filters.values[1]")
                .hasMessageContaining("has 2 values but 3 dimensions");
    }

    @Test
    void plan_exactTupleLongerThanKeys_isRejected() {
        QueryRequest request =
                exact(List.of("siteId", "locationId"), List.of(List.of("1", "11", "red")));

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .hasMessageContaining("filters.values[0]");
    }

    @Test
    void plan_exactDuplicateTuples_areMerged() {
        QueryRequest request = exact(
                List.of("siteId", "locationId"),
                List.of(List.of("1", "11"), List.of("1", "11"), List.of("1", "12")));

        OnHandQuery query = plan(BY_LOCATION, request, 1);

        assertThat(query.tuples()).hasSize(2);
        assertThat(query.groupBy()).containsExactly("siteid", "locationid");
    }

    @Test
    void plan_exactWithoutLocationKeyByLocation_isRejected() {
        QueryRequest request = exact(List.of("siteId", "colorId"), List.of(List.of("1", "red")));

        assertThatThrownBy(() -> plan(BY_LOCATION, request, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filters.dimensions")
                .hasMessageContaining("locationId");
    }

    @Test
    void plan_exactWithOrganizationKeyInVersion2_takesOrganizationsFromTuples() {
        QueryRequest request = new QueryRequest(
                null,
                Map.of("productId", List.of("T-shirt")),
                List.of(),
                true,
                List.of("organizationId", "siteId", "locationId"),
                List.of(List.of("usmf", "1", "11"), List.of("demf", "2", "21")));

        OnHandQuery query = plan(BY_LOCATION, request, 2);

        assertThat(query.organizationIds()).containsExactly("usmf", "demf");
        assertThat(query.groupBy()).containsExactly("siteid", "locationid");
    }
}
