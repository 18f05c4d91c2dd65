package io.ivs.core.config;

import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of the runtime configuration document (spec §3.10) that IVS acts on. The document
 * itself, with every field IVS does not use, is kept by the server and returned unchanged.
 */
public record RuntimeConfiguration(
        Map<String, DataSourceConfig> dataSources,
        PartitionRule partitionRule,
        List<IndexSet> indexSets,
        ReservationSettings reservation,
        ScheduleSettings schedule,
        AllocationSettings allocation,
        SummarySettings summary) {
    /** The data source that only the ERP integration may write (spec §2.2). */
    public static final String ERP_DATA_SOURCE = "fno";

    public RuntimeConfiguration {
        dataSources = Map.copyOf(dataSources);
        indexSets = List.copyOf(indexSets);
    }

    /** A configuration without inventory summary or preloaded on-hand. */
    public RuntimeConfiguration(
            Map<String, DataSourceConfig> dataSources,
            PartitionRule partitionRule,
            List<IndexSet> indexSets,
            ReservationSettings reservation,
            ScheduleSettings schedule,
            AllocationSettings allocation) {
        this(
                dataSources,
                partitionRule,
                indexSets,
                reservation,
                schedule,
                allocation,
                SummarySettings.disabled());
    }

    /** A configuration without change schedules. */
    public RuntimeConfiguration(
            Map<String, DataSourceConfig> dataSources,
            PartitionRule partitionRule,
            List<IndexSet> indexSets,
            ReservationSettings reservation) {
        this(
                dataSources,
                partitionRule,
                indexSets,
                reservation,
                ScheduleSettings.disabled(),
                AllocationSettings.disabled());
    }

    public Optional<DataSourceConfig> dataSource(String name) {
        return Optional.ofNullable(dataSources.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether only the ERP may write the data source: {@code fno} always, any other when its
     * configuration says {@code "erpOwned": true}.
     */
    public boolean isErpOwned(DataSourceConfig ds) {
        return ds.key().equals(ERP_DATA_SOURCE) || ds.erpOwned();
    }

    /** {@link #isErpOwned(DataSourceConfig)} by name; a data source not configured is not. */
    public boolean isErpOwned(String dataSource) {
        String key = dataSource.strip().toLowerCase(Locale.ROOT);
        return key.equals(ERP_DATA_SOURCE)
                || dataSource(key).map(DataSourceConfig::erpOwned).orElse(false);
    }

    public boolean isPhysical(MeasureRef ref) {
        DataSourceConfig ds = dataSources.get(ref.dataSource());
        return ds != null && ds.physicalMeasures().contains(ref.measure());
    }

    public Optional<CalculatedMeasure> calculated(MeasureRef ref) {
        DataSourceConfig ds = dataSources.get(ref.dataSource());
        return ds == null
                ? Optional.empty()
                : Optional.ofNullable(ds.calculatedMeasures().get(ref.measure()));
    }

    /**
     * Whether a query index exists (spec §3.8). When partitioned by location, set 0 holds the
     * partition dimensions and an index is a set without them; under by-product every set is an
     * index.
     */
    public boolean hasQueryIndex() {
        if (!partitionRule.byLocation()) {
            return !indexSets.isEmpty();
        }
        return indexSets.stream()
                .anyMatch(set -> set.keys().stream().noneMatch(BaseDimension::isPartition));
    }
}
