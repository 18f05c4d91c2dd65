package io.ivs.core;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.ReservationSettings;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Small configurations for core tests, shaped like the shipped default (spec §3.11): {@code fno}
 * (read-only), {@code pos} with external dimension names, and {@code iv}.
 */
public final class TestConfigurations {
    private TestConfigurations() {}

    public static MeasureRef ref(String qualified) {
        return MeasureRef.parse("test", qualified);
    }

    public static CalculatedMeasure calculated(
            String name, List<String> additions, List<String> subtractions) {
        return new CalculatedMeasure(
                name,
                additions.stream().map(TestConfigurations::ref).toList(),
                subtractions.stream().map(TestConfigurations::ref).toList());
    }

    public static DataSourceConfig dataSource(
            String name,
            Map<String, String> mappings,
            Set<String> physical,
            List<CalculatedMeasure> calculated) {
        Map<String, CalculatedMeasure> byName = new HashMap<>();
        for (CalculatedMeasure measure : calculated) {
            byName.put(measure.name(), measure);
        }
        return new DataSourceConfig(name, mappings, physical, byName, Map.of());
    }

    /** fno, pos (mapping PosSiteId, PosLocationId, PosColorId, PosSizeId) and iv. */
    public static List<DataSourceConfig> defaultSources() {
        DataSourceConfig fno = dataSource(
                "fno",
                Map.of("inventcolorid", "colorid", "inventsiteid", "siteid"),
                Set.of("availphysical", "physicalinvent", "reservphysical"),
                List.of());
        DataSourceConfig pos = dataSource(
                "pos",
                Map.of(
                        "possiteid", "siteid",
                        "poslocationid", "locationid",
                        "poscolorid", "colorid",
                        "possizeid", "sizeid"),
                Set.of("inbound", "outbound"),
                List.of(calculated(
                        "availquantity",
                        List.of("fno.availphysical", "pos.inbound"),
                        List.of("pos.outbound"))));
        DataSourceConfig iv = dataSource(
                "iv",
                Map.of(),
                Set.of("softreserved"),
                List.of(calculated(
                        "availabletoreserve",
                        List.of("fno.physicalinvent", "pos.inbound"),
                        List.of("iv.softreserved", "pos.outbound"))));
        return List.of(fno, pos, iv);
    }

    public static RuntimeConfiguration byLocation() {
        return of(PartitionRule.BY_LOCATION, defaultSources());
    }

    public static RuntimeConfiguration byProduct() {
        return of(PartitionRule.BY_PRODUCT, defaultSources());
    }

    public static RuntimeConfiguration of(PartitionRule rule, List<DataSourceConfig> sources) {
        return of(rule, sources, List.of(new IndexSet(1, List.of("colorid", "sizeid", "styleid"))));
    }

    public static RuntimeConfiguration of(
            PartitionRule rule, List<DataSourceConfig> sources, List<IndexSet> indexSets) {
        Map<String, DataSourceConfig> byKey = new HashMap<>();
        for (DataSourceConfig ds : new ArrayList<>(sources)) {
            byKey.put(ds.key(), ds);
        }
        return new RuntimeConfiguration(byKey, rule, indexSets, ReservationSettings.disabled());
    }
}
