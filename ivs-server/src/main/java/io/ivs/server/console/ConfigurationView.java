package io.ivs.server.console;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A parsed configuration as the console's pages show it: sorted, formulas as text. */
public record ConfigurationView(
        List<DataSourceView> dataSources,
        String partitionRule,
        List<String> indexSets,
        boolean reservationsEnabled,
        int reservationVersion,
        String reservationKeys,
        boolean scheduleEnabled,
        int schedulePeriodDays,
        String atpMeasures,
        List<String> atpIndexSets,
        boolean allocationEnabled,
        String allocationGroups) {

    /** A name and a value, for mappings and formulas. */
    public record Pair(String name, String value) {}

    public record DataSourceView(
            String name,
            List<String> physicalMeasures,
            List<Pair> dimensionMappings,
            List<Pair> calculatedMeasures,
            List<Pair> reservMappings) {
        /** The data source form's text: one item or {@code name = value} pair per line. */
        public ConfigurationEditor.DataSourceForm form() {
            return new ConfigurationEditor.DataSourceForm(
                    String.join("\n", physicalMeasures),
                    lines(dimensionMappings),
                    lines(calculatedMeasures),
                    lines(reservMappings));
        }

        private static String lines(List<Pair> pairs) {
            return pairs.stream()
                    .map(p -> p.name() + " = " + p.value())
                    .collect(Collectors.joining("\n"));
        }
    }

    public static ConfigurationView of(RuntimeConfiguration config) {
        List<DataSourceView> sources = config.dataSources().values().stream()
                .sorted(Comparator.comparing(DataSourceConfig::key))
                .map(ConfigurationView::dataSource)
                .toList();
        return new ConfigurationView(
                sources,
                switch (config.partitionRule()) {
                    case BY_PRODUCT -> "product";
                    case BY_LOCATION -> "location";
                    case BY_LOCATION_AND_PRODUCT -> "location-and-product";
                },
                sets(config.indexSets()),
                config.reservation().enabled(),
                config.reservation().version(),
                String.join(", ", config.reservation().keys()),
                config.schedule().enabled(),
                config.schedule().periodDays(),
                config.schedule().atpMeasures().stream()
                        .map(MeasureRef::qualified)
                        .collect(Collectors.joining(", ")),
                sets(config.schedule().indexSets()),
                config.allocation().enabled(),
                String.join(", ", config.allocation().groups()));
    }

    public ConfigurationEditor.SettingsForm settingsForm() {
        return new ConfigurationEditor.SettingsForm(
                partitionRule,
                String.join("\n", indexSets),
                reservationsEnabled,
                reservationVersion,
                reservationKeys,
                scheduleEnabled,
                schedulePeriodDays,
                atpMeasures,
                String.join("\n", atpIndexSets),
                allocationEnabled,
                allocationGroups);
    }

    private static DataSourceView dataSource(DataSourceConfig ds) {
        return new DataSourceView(
                ds.name(),
                ds.physicalMeasures().stream().sorted().toList(),
                pairs(ds.dimensionMappings()),
                ds.calculatedMeasures().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> new Pair(e.getKey(), Formulas.format(e.getValue())))
                        .toList(),
                ds.reservMappings().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> new Pair(e.getKey(), e.getValue().qualified()))
                        .toList());
    }

    private static List<Pair> pairs(Map<String, String> map) {
        return map.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new Pair(e.getKey(), e.getValue()))
                .toList();
    }

    private static List<String> sets(List<IndexSet> sets) {
        return sets.stream()
                .sorted(Comparator.comparingInt(IndexSet::setNumber))
                .map(set -> String.join(", ", set.keys()))
                .toList();
    }
}
