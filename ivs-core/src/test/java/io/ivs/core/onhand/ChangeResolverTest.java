package io.ivs.core.onhand;

import static io.ivs.core.TestConfigurations.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.TestConfigurations;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.measure.Quantities;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

class ChangeResolverTest {
    private static final RuntimeConfiguration BY_LOCATION = TestConfigurations.byLocation();
    private static final RuntimeConfiguration BY_PRODUCT = TestConfigurations.byProduct();
    private static final Map<String, String> WAREHOUSE = Map.of("siteId", "1", "locationId", "11");

    private static OnHandChange event(
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions,
            Quantities quantities) {
        return new OnHandChange(
                "e1", "usmf", "T-shirt", dimensionDataSource, dimensions, quantities, null);
    }

    private static OnHandChange event(
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions,
            Map<String, Map<String, BigDecimal>> quantities) {
        return event(dimensionDataSource, dimensions, Quantities.fromNested(quantities));
    }

    private static Quantities pos(String measure, String quantity) {
        return Quantities.of("pos", measure, new BigDecimal(quantity));
    }

    private static Map<String, String> withWarehouse(String name, String value) {
        Map<String, String> dims = new HashMap<>(WAREHOUSE);
        dims.put(name, value);
        return dims;
    }

    private static ResolvedChange change(OnHandChange event) {
        return ChangeResolver.resolve(EnvironmentId.of("env"), BY_LOCATION, event, null);
    }

    @Test
    void resolve_mappedNamesOfDataSource_equalBaseNamesWithoutDataSource() {
        Map<String, String> mapped = Map.of(
                "PosSiteId", "2", "PosLocationId", "21", "PosColorId", "Red", "PosSizeId", "Large");
        Map<String, String> base =
                Map.of("SiteId", "2", "LocationId", "21", "ColorId", "Red", "SizeId", "Large");

        ResolvedChange viaPos = change(event("pos", mapped, pos("inbound", "1")));
        ResolvedChange viaBase = change(event(null, base, pos("inbound", "1")));

        assertThat(viaPos.record()).isEqualTo(viaBase.record());
        assertThat(viaPos.record().dimensions().values())
                .containsOnlyKeys("siteid", "locationid", "colorid", "sizeid")
                .containsEntry("colorid", "Red");
        assertThat(viaPos.partitionId()).isEqualTo(viaBase.partitionId()).isEqualTo("usmf~2~21");
    }

    @Test
    void resolve_baseNamesInAnyCase_areLowerCased() {
        Map<String, String> dims = Map.of("SITEID", "1", "locationid", "11", "cOlOrId", "red");

        ResolvedChange resolved = change(event(" ", dims, pos("inbound", "1")));

        assertThat(resolved.record().dimensions().values())
                .containsExactlyEntriesOf(new java.util.TreeMap<>(
                        Map.of("colorid", "red", "locationid", "11", "siteid", "1")));
    }

    @Test
    void resolve_baseNamesWithDataSource_areAcceptedAsIs() {
        ResolvedChange resolved =
                change(event("pos", withWarehouse("StyleId", "Wide"), pos("inbound", "1")));

        assertThat(resolved.record().dimensions().get("styleid")).isEqualTo("Wide");
    }

    @Test
    void resolve_externalNameWithoutDataSource_isRejectedNamingTheKey() {
        OnHandChange event = event(null, withWarehouse("PosColorId", "red"), pos("inbound", "1"));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions.PosColorId")
                .hasMessageContaining("dimensionDataSource");
    }

    @Test
    void resolve_nameUnknownToDataSource_isRejectedNamingKeyAndSource() {
        OnHandChange event = event("pos", withWarehouse("Shade", "dark"), pos("inbound", "1"));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions.Shade")
                .hasMessageContaining("'pos'");
    }

    @Test
    void resolve_unconfiguredDimensionDataSource_isRejected() {
        OnHandChange event = event("ecommerce", WAREHOUSE, pos("inbound", "1"));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensionDataSource")
                .hasMessageContaining("'ecommerce'");
    }

    @Test
    void resolve_twoKeysForOneBaseWithDifferentValues_isRejected() {
        Map<String, String> dims = withWarehouse("ColorId", "red");
        dims.put("PosColorId", "blue");

        assertThatThrownBy(() -> change(event("pos", dims, pos("inbound", "1"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ColorId")
                .hasMessageContaining("given twice with different values");
    }

    @Test
    void resolve_twoKeysForOneBaseWithSameValue_isAccepted() {
        Map<String, String> dims = withWarehouse("ColorId", "red");
        dims.put("PosColorId", "red");

        ResolvedChange resolved = change(event("pos", dims, pos("inbound", "1")));

        assertThat(resolved.record().dimensions().get("colorid")).isEqualTo("red");
    }

    @Test
    void resolve_byLocationWithoutLocation_isRejectedNamingLocationId() {
        OnHandChange event =
                event(null, Map.of("siteId", "1", "colorId", "red"), pos("inbound", "1"));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions.locationId")
                .hasMessageContaining("by-location");
    }

    @Test
    void resolve_byLocationWithBlankSite_isRejectedNamingSiteId() {
        OnHandChange event =
                event(null, Map.of("siteId", " ", "locationId", "11"), pos("inbound", "1"));

        assertThatThrownBy(() -> change(event)).hasMessageContaining("dimensions.siteId");
    }

    @Test
    void resolve_byProductWithoutSiteAndLocation_isAccepted() {
        OnHandChange event = event(null, Map.of("colorId", "red"), pos("inbound", "1"));

        ResolvedChange resolved =
                ChangeResolver.resolve(EnvironmentId.of("env"), BY_PRODUCT, event, null);

        assertThat(resolved.partitionId()).isEqualTo("usmf~T-shirt");
        assertThat(resolved.record().dimensions().values()).containsOnlyKeys("colorid");
    }

    @Test
    void resolve_fnoQuantity_throwsReadOnly() {
        OnHandChange event =
                event(null, WAREHOUSE, Map.of("FNO", Map.of("availphysical", BigDecimal.ONE)));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(ReadOnlyException.class)
                .hasMessageContaining("quantities.FNO")
                .hasMessageContaining("read-only");
    }

    @Test
    void resolve_setOnHandForFno_throwsReadOnly() {
        OnHandChange event =
                event(null, WAREHOUSE, Map.of("fno", Map.of("availphysical", BigDecimal.ONE)));

        assertThatThrownBy(() ->
                        ChangeResolver.resolve(EnvironmentId.of("env"), BY_LOCATION, event, "fno"))
                .isInstanceOf(ReadOnlyException.class);
    }

    @Test
    void resolve_calculatedMeasure_isRejectedAsNotWritable() {
        OnHandChange event = event(null, WAREHOUSE, pos("AvailQuantity", "1"));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(InvalidInputException.class)
                .isNotInstanceOf(ReadOnlyException.class)
                .hasMessageContaining("quantities.pos.AvailQuantity")
                .hasMessageContaining("calculated measure");
    }

    @Test
    void resolve_unconfiguredMeasure_isRejectedNamingIt() {
        OnHandChange event = event(null, WAREHOUSE, pos("returned", "1"));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quantities.pos.returned")
                .hasMessageContaining("not a physical measure");
    }

    @Test
    void resolve_unconfiguredDataSource_isRejectedNamingIt() {
        OnHandChange event =
                event(null, WAREHOUSE, Map.of("erp", Map.of("unrestricted", BigDecimal.ONE)));

        assertThatThrownBy(() -> change(event))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quantities.erp")
                .hasMessageContaining("not configured");
    }

    @Test
    void resolve_sameMeasureInTwoCasings_isRejected() {
        Map<String, BigDecimal> measures = new HashMap<>();
        measures.put("inbound", BigDecimal.ONE);
        measures.put("InBound", BigDecimal.TWO);

        assertThatThrownBy(() -> change(event(null, WAREHOUSE, Map.of("pos", measures))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than once");
    }

    @Test
    void resolve_unknownDataSourceWithoutMeasures_isRejectedBesideValidOnes() {
        // {"pos": {"inbound": 1}, "bogus": {}}: the empty object still names a data source.
        Quantities quantities = Quantities.builder()
                .add("pos", "inbound", BigDecimal.ONE)
                .dataSource("bogus")
                .build();

        assertThatThrownBy(() -> change(event(null, WAREHOUSE, quantities)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("quantities.bogus:")
                .hasMessageContaining("not configured");
    }

    @Test
    void resolve_severalErrors_namesTheFirstInTheClientsOrder() {
        Quantities quantities = Quantities.builder()
                .add("zeta", "inbound", BigDecimal.ONE)
                .add("alpha", "inbound", BigDecimal.ONE)
                .build();

        assertThatThrownBy(() -> change(event(null, WAREHOUSE, quantities)))
                .hasMessageStartingWith("quantities.zeta:");
    }

    @Test
    void resolve_noMeasures_isRejected() {
        assertThatThrownBy(() -> change(event(null, WAREHOUSE, Map.of("pos", Map.of()))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quantities");
    }

    @Test
    void resolve_quantityWithMaximumDigits_isAccepted() {
        String integerDigits = "9".repeat(Limits.QUANTITY_INTEGER_DIGITS_MAX);
        String decimals = "1".repeat(Limits.QUANTITY_SCALE_MAX);

        ResolvedChange resolved = change(
                event(null, WAREHOUSE, pos("inbound", "-" + integerDigits + "." + decimals)));

        assertThat(resolved.quantities().get(ref("pos.inbound")))
                .isEqualByComparingTo("-" + integerDigits + "." + decimals);
    }

    @Test
    void resolve_quantityWithTooManyDecimals_isRejected() {
        String quantity = "0." + "0".repeat(Limits.QUANTITY_SCALE_MAX) + "1";

        assertThatThrownBy(() -> change(event(null, WAREHOUSE, pos("inbound", quantity))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quantities.pos.inbound")
                .hasMessageContaining("decimal places");
    }

    @Test
    void resolve_trailingZerosBeyondScaleLimit_areAccepted() {
        String quantity = "2.5" + "0".repeat(Limits.QUANTITY_SCALE_MAX + 5);

        ResolvedChange resolved = change(event(null, WAREHOUSE, pos("inbound", quantity)));

        assertThat(resolved.quantities().get(ref("pos.inbound"))).isEqualByComparingTo("2.5");
    }

    @Test
    void resolve_quantityWithTooManyIntegerDigits_isRejected() {
        String quantity = "1" + "0".repeat(Limits.QUANTITY_INTEGER_DIGITS_MAX);

        assertThatThrownBy(() -> change(event(null, WAREHOUSE, pos("outbound", quantity))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quantities.pos.outbound")
                .hasMessageContaining("out of range");
    }

    @Test
    void resolve_largeQuantityInExponentForm_isPlainAndAccepted() {
        ResolvedChange resolved = change(event(null, WAREHOUSE, pos("inbound", "1E+3")));

        BigDecimal quantity = resolved.quantities().get(ref("pos.inbound"));
        assertThat(quantity.toString()).isEqualTo("1000");
    }

    @Test
    void resolve_dimensionValueTooLong_isRejectedNamingTheKey() {
        String value = "x".repeat(Limits.VALUE_LENGTH_MAX + 1);

        assertThatThrownBy(() ->
                        change(event(null, withWarehouse("colorId", value), pos("inbound", "1"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions.colorId");
    }

    @Test
    void resolve_blankIdOrProduct_isRejected() {
        OnHandChange noId = new OnHandChange(
                " ", "usmf", "T-shirt", null, WAREHOUSE, pos("inbound", "1"), null);
        OnHandChange noProduct =
                new OnHandChange("e1", "usmf", "", null, WAREHOUSE, pos("inbound", "1"), null);

        assertThatThrownBy(() -> change(noId)).hasMessageStartingWith("id:");
        assertThatThrownBy(() -> change(noProduct)).hasMessageStartingWith("productId:");
    }

    @Test
    void resolve_setOnHandForAnotherDataSource_isRejected() {
        OnHandChange event =
                event(null, WAREHOUSE, Map.of("iv", Map.of("softreserved", BigDecimal.ONE)));

        assertThatThrownBy(() ->
                        ChangeResolver.resolve(EnvironmentId.of("env"), BY_LOCATION, event, "pos"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quantities.iv")
                .hasMessageContaining("'pos'");
    }

    @Test
    void resolve_setOnHandForSameDataSourceInOtherCase_isAccepted() {
        OnHandChange event = event(null, WAREHOUSE, pos("inbound", "100"));

        ResolvedChange resolved =
                ChangeResolver.resolve(EnvironmentId.of("env"), BY_LOCATION, event, "POS");

        assertThat(resolved.quantities()).containsOnlyKeys(ref("pos.inbound"));
    }

    @Test
    void fingerprint_sameEventInOtherSpelling_isEqual() {
        OnHandChange plain = event(null, WAREHOUSE, pos("inbound", "1.50"));
        OnHandChange spelled = event(
                "pos",
                Map.of("PosSiteId", "1", "POSLOCATIONID", "11"),
                Map.of("POS", Map.of("InBound", new BigDecimal("1.5"))));

        assertThat(change(spelled).fingerprint()).isEqualTo(change(plain).fingerprint());
        assertThat(change(event(null, WAREHOUSE, pos("inbound", "2"))).fingerprint())
                .isNotEqualTo(change(plain).fingerprint());
    }
}
