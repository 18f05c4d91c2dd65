package io.ivs.core.onhand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.TestConfigurations;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.Quantities;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The three partition modes of the original's {@code partitionConfiguration} flags: which
 * operations need a site and a location, and which queries need products.
 */
class PartitionModesTest {
    private static final RuntimeConfiguration BY_LOCATION = TestConfigurations.byLocation();
    private static final RuntimeConfiguration BY_PRODUCT = TestConfigurations.byProduct();
    private static final RuntimeConfiguration BOTH = TestConfigurations.of(
            PartitionRule.BY_LOCATION_AND_PRODUCT, TestConfigurations.defaultSources());
    private static final Map<String, String> WAREHOUSE = Map.of("siteId", "1", "locationId", "11");
    private static final Map<String, String> COLOR_ONLY = Map.of("colorId", "red");

    private static ResolvedChange change(RuntimeConfiguration config, Map<String, String> dims) {
        OnHandChange event = new OnHandChange(
                "e1",
                "usmf",
                "P1",
                null,
                dims,
                Quantities.of("pos", "inbound", BigDecimal.ONE),
                null);
        return ChangeResolver.resolve(EnvironmentId.of("env"), config, event, null);
    }

    private static DimensionSet commitment(RuntimeConfiguration config, Map<String, String> dims) {
        return ChangeResolver.resolveDimensions(config, null, dims);
    }

    private static OnHandQuery index(RuntimeConfiguration config, Map<String, List<String>> f) {
        return QueryPlanner.plan(
                config, new QueryRequest(null, f, List.of(), true, null, List.of()), 1);
    }

    private static OnHandQuery exact(
            RuntimeConfiguration config, List<String> products, List<String> keys) {
        Map<String, List<String>> filters = products.isEmpty()
                ? Map.of("organizationId", List.of("usmf"))
                : Map.of("organizationId", List.of("usmf"), "productId", products);
        List<String> values =
                keys.stream().map(k -> k.equals("siteId") ? "1" : "11").toList();
        return QueryPlanner.plan(
                config, new QueryRequest(null, filters, List.of(), true, keys, List.of(values)), 1);
    }

    @Test
    void of_flags_selectTheRule() {
        assertThat(PartitionRule.of(true, false)).contains(PartitionRule.BY_LOCATION);
        assertThat(PartitionRule.of(false, true)).contains(PartitionRule.BY_PRODUCT);
        assertThat(PartitionRule.of(true, true)).contains(PartitionRule.BY_LOCATION_AND_PRODUCT);
        assertThat(PartitionRule.of(false, false)).isEmpty();
    }

    @Test
    void change_withoutWarehouse_isRefusedOnlyByLocation() {
        assertThatThrownBy(() -> change(BY_LOCATION, COLOR_ONLY))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions.siteId");

        assertThat(change(BOTH, COLOR_ONLY).partitionId()).isEqualTo("usmf~~");
        assertThat(change(BY_PRODUCT, COLOR_ONLY).partitionId()).isEqualTo("usmf~P1");
    }

    @Test
    void change_withWarehouse_isPartitionedByWarehouseUnlessByProduct() {
        assertThat(change(BY_LOCATION, WAREHOUSE).partitionId()).isEqualTo("usmf~1~11");
        assertThat(change(BOTH, WAREHOUSE).partitionId()).isEqualTo("usmf~1~11");
        assertThat(change(BY_PRODUCT, WAREHOUSE).partitionId()).isEqualTo("usmf~P1");
    }

    @Test
    void commitment_withoutWarehouse_isRefusedWhenPartitionedByLocation() {
        assertThatThrownBy(() -> commitment(BOTH, COLOR_ONLY))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions.siteId")
                .hasMessageContaining("by-location-and-product");
        assertThatThrownBy(() -> commitment(BY_LOCATION, COLOR_ONLY))
                .isInstanceOf(InvalidInputException.class);

        assertThat(commitment(BY_PRODUCT, COLOR_ONLY).values()).containsOnlyKeys("colorid");
        assertThat(commitment(BOTH, WAREHOUSE).values()).containsOnlyKeys("siteid", "locationid");
    }

    @Test
    void indexQuery_bothFlags_needsProductsOrWarehouse() {
        Map<String, List<String>> products =
                Map.of("organizationId", List.of("usmf"), "productId", List.of("P1"));
        Map<String, List<String>> warehouse = Map.of(
                "organizationId",
                List.of("usmf"),
                "siteId",
                List.of("1"),
                "locationId",
                List.of("11"));
        Map<String, List<String>> neither = Map.of("organizationId", List.of("usmf"));

        assertThat(index(BOTH, products).productIds()).containsExactly("P1");
        assertThat(index(BOTH, warehouse).productIds()).isEmpty();
        assertThat(index(BOTH, products).groupBy()).startsWith("siteid", "locationid");
        assertThatThrownBy(() -> index(BOTH, neither))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("by-location-and-product");
        assertThatThrownBy(() -> index(BY_PRODUCT, warehouse))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filters.productId");
    }

    @Test
    void exactQuery_bothFlags_needsSiteAndLocationKeys() {
        List<String> warehouse = List.of("siteId", "locationId");

        assertThat(exact(BOTH, List.of("P1"), warehouse).tuples()).hasSize(1);
        assertThat(exact(BOTH, List.of(), warehouse).productIds()).isEmpty();
        assertThatThrownBy(() -> exact(BOTH, List.of("P1"), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("siteId and locationId");
        assertThat(exact(BY_PRODUCT, List.of("P1"), List.of("siteId")).productIds())
                .containsExactly("P1");
        assertThatThrownBy(() -> exact(BY_PRODUCT, List.of(), warehouse))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filters.productId");
    }
}
