package io.ivs.core.config;

import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One data source: its name as configured (used as the key in query results), its dimension
 * mappings (external lower-case name to base lower-case name), physical measures, calculated
 * measures and reservation mappings. All map keys are lower-case. {@code erpOwned} marks a data
 * source that only the ERP may write (the configuration's {@code "erpOwned": true}); {@code fno}
 * is ERP-owned whatever the flag says ({@link RuntimeConfiguration#isErpOwned}).
 */
public record DataSourceConfig(
        String name,
        Map<String, String> dimensionMappings,
        Set<String> physicalMeasures,
        Map<String, CalculatedMeasure> calculatedMeasures,
        Map<String, MeasureRef> reservMappings,
        boolean erpOwned) {
    public DataSourceConfig {
        dimensionMappings = Map.copyOf(dimensionMappings);
        physicalMeasures = Set.copyOf(physicalMeasures);
        calculatedMeasures = Map.copyOf(calculatedMeasures);
        reservMappings = Map.copyOf(reservMappings);
    }

    /** A data source that the configuration does not mark ERP-owned. */
    public DataSourceConfig(
            String name,
            Map<String, String> dimensionMappings,
            Set<String> physicalMeasures,
            Map<String, CalculatedMeasure> calculatedMeasures,
            Map<String, MeasureRef> reservMappings) {
        this(name, dimensionMappings, physicalMeasures, calculatedMeasures, reservMappings, false);
    }

    public String key() {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    public Optional<String> mapDimension(String lowerExternalName) {
        return Optional.ofNullable(dimensionMappings.get(lowerExternalName));
    }
}
