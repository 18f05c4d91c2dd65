package io.ivs.core.config;

import static io.ivs.core.TestConfigurations.calculated;
import static io.ivs.core.TestConfigurations.dataSource;
import static io.ivs.core.TestConfigurations.ref;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.TestConfigurations;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ConfigurationValidatorTest {
    private static final ReservationSettings RESERVATION =
            new ReservationSettings(true, 0, List.of("siteid", "locationid", "colorid", "sizeid"));
    private static final List<IndexSet> INDEX = List.of(
            new IndexSet(1, List.of("colorid", "sizeid", "styleid")),
            new IndexSet(2, List.of("empty")));

    /** The default sources, with iv.softreserved mapped to iv.availabletoreserve. */
    private static Map<String, DataSourceConfig> validSources() {
        Map<String, DataSourceConfig> sources = new HashMap<>();
        for (DataSourceConfig ds : TestConfigurations.defaultSources()) {
            sources.put(ds.key(), ds);
        }
        DataSourceConfig iv = sources.get("iv");
        sources.put(
                "iv",
                new DataSourceConfig(
                        iv.name(),
                        iv.dimensionMappings(),
                        iv.physicalMeasures(),
                        iv.calculatedMeasures(),
                        Map.of("softreserved", ref("iv.availabletoreserve"))));
        return sources;
    }

    private static RuntimeConfiguration config(Map<String, DataSourceConfig> sources) {
        return new RuntimeConfiguration(sources, PartitionRule.BY_LOCATION, INDEX, RESERVATION);
    }

    private static List<String> problemsWith(DataSourceConfig replaced) {
        Map<String, DataSourceConfig> sources = validSources();
        sources.put(replaced.key(), replaced);
        return ConfigurationValidator.validate(config(sources));
    }

    private static DataSourceConfig pos(
            Map<String, String> mappings,
            Set<String> physical,
            List<CalculatedMeasure> calculated) {
        return dataSource("pos", mappings, physical, calculated);
    }

    private static DataSourceConfig ivWith(CalculatedMeasure extra) {
        DataSourceConfig iv = validSources().get("iv");
        Map<String, CalculatedMeasure> measures = new HashMap<>(iv.calculatedMeasures());
        measures.put(extra.name(), extra);
        return new DataSourceConfig(
                "iv", iv.dimensionMappings(), iv.physicalMeasures(), measures, iv.reservMappings());
    }

    private static DataSourceConfig ivReserving(String measure, MeasureRef target) {
        DataSourceConfig iv = validSources().get("iv");
        return new DataSourceConfig(
                "iv",
                iv.dimensionMappings(),
                iv.physicalMeasures(),
                iv.calculatedMeasures(),
                Map.of(measure, target));
    }

    private static List<String> problemsWithIndex(List<IndexSet> index) {
        return ConfigurationValidator.validate(new RuntimeConfiguration(
                validSources(), PartitionRule.BY_LOCATION, index, RESERVATION));
    }

    private static List<String> problemsWithReservation(
            PartitionRule rule, ReservationSettings reservation) {
        return ConfigurationValidator.validate(
                new RuntimeConfiguration(validSources(), rule, INDEX, reservation));
    }

    @Test
    void validate_validConfiguration_hasNoProblems() {
        assertThat(ConfigurationValidator.validate(config(validSources()))).isEmpty();
    }

    @Test
    void validate_mappingToItself_isAccepted() {
        DataSourceConfig ds =
                pos(Map.of("colorid", "colorid"), Set.of("inbound", "outbound"), List.of());

        assertThat(problemsWith(ds)).isEmpty();
    }

    @Test
    void validate_tooManyDataSources_isAProblem() {
        Map<String, DataSourceConfig> sources = validSources();
        for (int i = 0; sources.size() <= ConfigurationValidator.DATA_SOURCES_MAX; i++) {
            DataSourceConfig ds = dataSource("extra" + i, Map.of(), Set.of("qty"), List.of());
            sources.put(ds.key(), ds);
        }

        assertThat(ConfigurationValidator.validate(config(sources)))
                .singleElement()
                .asString()
                .contains("at most " + ConfigurationValidator.DATA_SOURCES_MAX + " data sources");
    }

    @Test
    void validate_blankDataSourceName_isAProblem() {
        Map<String, DataSourceConfig> sources = validSources();
        sources.put(" ", dataSource(" ", Map.of(), Set.of("qty"), List.of()));

        assertThat(ConfigurationValidator.validate(config(sources)))
                .singleElement()
                .asString()
                .contains("empty name");
    }

    @Test
    void validate_mappingTargetNotBase_namesSourceMappingAndTarget() {
        DataSourceConfig ds =
                pos(Map.of("posshade", "shade"), Set.of("inbound", "outbound"), List.of());

        assertThat(problemsWith(ds))
                .singleElement()
                .asString()
                .contains("'pos'", "'posshade'", "'shade'", "not a base dimension");
    }

    @Test
    void validate_baseNameMappedToAnotherBase_namesTheMapping() {
        DataSourceConfig ds =
                pos(Map.of("colorid", "sizeid"), Set.of("inbound", "outbound"), List.of());

        assertThat(problemsWith(ds))
                .singleElement()
                .asString()
                .contains("'pos'", "'colorid'", "may only map to itself");
    }

    @Test
    void validate_tooManyMeasures_namesTheDataSource() {
        Set<String> physical = new HashSet<>();
        for (int i = 0; i <= ConfigurationValidator.MEASURES_PER_DATA_SOURCE_MAX; i++) {
            physical.add("m" + i);
        }
        physical.add("inbound");
        physical.add("outbound");

        assertThat(problemsWith(pos(Map.of(), physical, List.of())))
                .singleElement()
                .asString()
                .contains(
                        "'pos'",
                        String.valueOf(ConfigurationValidator.MEASURES_PER_DATA_SOURCE_MAX));
    }

    @Test
    void validate_blankPhysicalMeasure_namesTheDataSource() {
        DataSourceConfig ds = pos(Map.of(), Set.of("inbound", "outbound", " "), List.of());

        assertThat(problemsWith(ds))
                .singleElement()
                .asString()
                .contains("'pos'", "physical measure has an empty name");
    }

    @Test
    void validate_calculatedNamedLikePhysical_namesTheMeasure() {
        CalculatedMeasure clash = calculated("inbound", List.of("pos.outbound"), List.of());
        DataSourceConfig ds = pos(Map.of(), Set.of("inbound", "outbound"), List.of(clash));

        assertThat(problemsWith(ds))
                .singleElement()
                .asString()
                .contains("'pos.inbound'", "physical measure of the same data source");
    }

    @Test
    void validate_calculatedWithoutComponents_namesTheMeasure() {
        CalculatedMeasure nothing = calculated("nothing", List.of(), List.of());

        assertThat(problemsWith(ivWith(nothing)))
                .singleElement()
                .asString()
                .contains("'iv.nothing'", "no components");
    }

    @Test
    void validate_duplicateComponent_namesMeasureAndComponent() {
        CalculatedMeasure twice =
                calculated("twice", List.of("pos.inbound"), List.of("pos.outbound", "pos.inbound"));

        assertThat(problemsWith(ivWith(twice)))
                .singleElement()
                .asString()
                .contains("'iv.twice'", "'pos.inbound'", "more than once");
    }

    @Test
    void validate_nestedCalculated_namesMeasureAndComponent() {
        CalculatedMeasure nested =
                calculated("nested", List.of("iv.availabletoreserve"), List.of("pos.outbound"));

        assertThat(problemsWith(ivWith(nested)))
                .singleElement()
                .asString()
                .contains("'iv.nested'", "'iv.availabletoreserve'", "cannot be nested");
    }

    @Test
    void validate_componentOfUnconfiguredSource_namesTheSource() {
        CalculatedMeasure foreign = calculated("foreign", List.of("erp.unrestricted"), List.of());

        assertThat(problemsWith(ivWith(foreign)))
                .singleElement()
                .asString()
                .contains("'iv.foreign'", "'erp.unrestricted'", "'erp'", "not configured");
    }

    @Test
    void validate_componentNotAPhysicalMeasure_namesTheComponent() {
        CalculatedMeasure unknown = calculated("unknown", List.of("pos.returned"), List.of());

        assertThat(problemsWith(ivWith(unknown)))
                .singleElement()
                .asString()
                .contains("'iv.unknown'", "'pos.returned'", "not a physical measure");
    }

    @Test
    void validate_reservationMappingFromNonPhysical_namesTheMeasure() {
        DataSourceConfig iv = ivReserving("held", ref("iv.availabletoreserve"));

        assertThat(problemsWith(iv))
                .singleElement()
                .asString()
                .contains("'iv'", "'held'", "not a physical measure");
    }

    @Test
    void validate_reservationMappingToPhysical_namesTheTarget() {
        DataSourceConfig iv = ivReserving("softreserved", ref("pos.inbound"));

        assertThat(problemsWith(iv))
                .singleElement()
                .asString()
                .contains("'softreserved'", "'pos.inbound'", "not a calculated measure");
    }

    @Test
    void validate_tooManyIndexSets_isAProblem() {
        List<IndexSet> sets = new ArrayList<>();
        for (int i = 1; i <= ConfigurationValidator.INDEX_SETS_MAX + 1; i++) {
            sets.add(new IndexSet(i, List.of("colorid")));
        }

        assertThat(problemsWithIndex(sets))
                .singleElement()
                .asString()
                .contains("at most " + ConfigurationValidator.INDEX_SETS_MAX + " index sets");
    }

    @Test
    void validate_indexSetNumberTwice_namesTheNumber() {
        List<IndexSet> sets =
                List.of(new IndexSet(3, List.of("colorid")), new IndexSet(3, List.of("sizeid")));

        assertThat(problemsWithIndex(sets))
                .singleElement()
                .asString()
                .contains("index set 3", "more than once");
    }

    @Test
    void validate_indexKeyNotBase_namesSetAndKey() {
        List<IndexSet> sets = List.of(new IndexSet(1, List.of("colorid", "shade")));

        assertThat(problemsWithIndex(sets))
                .singleElement()
                .asString()
                .contains("index set 1", "'shade'", "not a base dimension");
    }

    @Test
    void validate_partitionDimensionInQueryIndex_namesSetAndKey() {
        List<IndexSet> sets = List.of(new IndexSet(4, List.of("colorid", "siteid")));

        assertThat(problemsWithIndex(sets))
                .singleElement()
                .asString()
                .contains("index set 4", "'siteid'", "partition dimension");
    }

    @Test
    void validate_partitionDimensionInIndexUnderByProduct_isAccepted() {
        RuntimeConfiguration config = TestConfigurations.of(
                PartitionRule.BY_PRODUCT,
                TestConfigurations.defaultSources(),
                List.of(new IndexSet(1, List.of("siteid", "locationid", "colorid"))));

        assertThat(ConfigurationValidator.validate(config)).isEmpty();
        assertThat(config.hasQueryIndex()).isTrue();
    }

    @Test
    void validate_reservationVersionTwo_isAProblem() {
        ReservationSettings reservation = new ReservationSettings(true, 2, RESERVATION.keys());

        assertThat(problemsWithReservation(PartitionRule.BY_LOCATION, reservation))
                .singleElement()
                .asString()
                .contains("reservConfiguration.version");
    }

    @Test
    void validate_reservationKeyNotBase_namesTheKey() {
        ReservationSettings reservation =
                new ReservationSettings(true, 1, List.of("siteid", "locationid", "shade"));

        assertThat(problemsWithReservation(PartitionRule.BY_LOCATION, reservation))
                .singleElement()
                .asString()
                .contains("reservConfiguration.keys", "'shade'");
    }

    @Test
    void validate_reservationWithoutLocationByLocation_namesMissingDimensions() {
        ReservationSettings reservation =
                new ReservationSettings(true, 0, List.of("siteid", "colorid"));

        assertThat(problemsWithReservation(PartitionRule.BY_LOCATION, reservation))
                .singleElement()
                .asString()
                .contains("siteid", "locationid", "by-location");
    }

    @Test
    void validate_reservationWithoutLocationByProduct_isAccepted() {
        ReservationSettings reservation = new ReservationSettings(true, 0, List.of("colorid"));

        assertThat(problemsWithReservation(PartitionRule.BY_PRODUCT, reservation))
                .isEmpty();
    }

    @Test
    void validate_severalFaults_reportsEachOne() {
        CalculatedMeasure nested =
                calculated("nested", List.of("iv.availabletoreserve"), List.of());
        Map<String, DataSourceConfig> sources = validSources();
        sources.put("iv", ivWith(nested));
        sources.put(
                "pos", pos(Map.of("posshade", "shade"), Set.of("inbound", "outbound"), List.of()));
        List<IndexSet> index = List.of(new IndexSet(1, List.of("locationid")));

        List<String> problems = ConfigurationValidator.validate(
                new RuntimeConfiguration(sources, PartitionRule.BY_LOCATION, index, RESERVATION));

        assertThat(problems).hasSize(3);
        assertThat(String.join("\n", problems))
                .contains("'iv.nested'", "'posshade'", "'locationid'");
    }

    @Test
    void servable_completeConfiguration_hasNoProblems() {
        assertThat(ConfigurationValidator.servable(config(validSources()))).isEmpty();
    }

    @Test
    void servable_nothingToWrite_namesTheDataSources() {
        RuntimeConfiguration empty = new RuntimeConfiguration(
                Map.of(), PartitionRule.BY_LOCATION, List.of(), RESERVATION);

        assertThat(ConfigurationValidator.servable(empty))
                .singleElement()
                .asString()
                .contains("inventorySystemConfigurations", "no data source has a physical measure");
    }

    @Test
    void servable_withoutQueryIndex_isAcceptedAsTheOriginalDoes() {
        RuntimeConfiguration noIndex = new RuntimeConfiguration(
                validSources(), PartitionRule.BY_LOCATION, List.of(), RESERVATION);

        assertThat(ConfigurationValidator.servable(noIndex)).isEmpty();
        assertThat(noIndex.hasQueryIndex()).isFalse();
    }

    @Test
    void servable_dataSourceWithoutMeasuresBesideOthers_isAccepted() {
        Map<String, DataSourceConfig> sources = validSources();
        sources.put("diff", dataSource("diff", Map.of(), Set.of(), List.of()));

        assertThat(ConfigurationValidator.validate(config(sources))).isEmpty();
        assertThat(ConfigurationValidator.servable(config(sources))).isEmpty();
    }

    @Test
    void validate_atpMeasurePeriodOutOfRange_namesTheMeasure() {
        MeasureRef atr = ref("iv.availabletoreserve");
        ScheduleSettings schedule =
                new ScheduleSettings(true, 30, List.of(atr), Map.of(atr, 181), List.of());
        RuntimeConfiguration config = new RuntimeConfiguration(
                validSources(),
                PartitionRule.BY_LOCATION,
                INDEX,
                RESERVATION,
                schedule,
                AllocationSettings.disabled());

        assertThat(ConfigurationValidator.validate(config))
                .singleElement()
                .asString()
                .contains("iv.availabletoreserve", "1 to 180", "181");
        assertThat(schedule.windowDays()).isEqualTo(181);
        assertThat(schedule.periodDays(atr)).isEqualTo(181);
        assertThat(schedule.periodDays(ref("pos.availquantity"))).isEqualTo(30);
    }

    @Test
    void validate_reservationWithoutLocationBothFlags_namesMissingDimensions() {
        ReservationSettings reservation = new ReservationSettings(true, 0, List.of("colorid"));

        assertThat(problemsWithReservation(PartitionRule.BY_LOCATION_AND_PRODUCT, reservation))
                .singleElement()
                .asString()
                .contains("siteid", "locationid", "by-location-and-product");
    }
}
