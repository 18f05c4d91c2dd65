package io.ivs.core.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.config.AllocationSettings;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.DimensionResolver;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Validates an on-hand change or set event against the configuration and resolves it to the
 * record and physical measures it touches (spec §2.1–§2.3, A5, A6, A15b, A19).
 */
public final class ChangeResolver {
    private ChangeResolver() {}

    /**
     * @param inventorySystem for a set event, the data source named in the path; null for a change
     */
    public static ResolvedChange resolve(
            EnvironmentId environmentId,
            RuntimeConfiguration config,
            OnHandChange event,
            @Nullable String inventorySystem) {
        requireId("id", event.id());
        String org = Limits.requireText("organizationId", event.organizationId());
        String product = Limits.requireText("productId", event.productId());
        DimensionSet dims = resolveDimensions(config, event);
        SortedMap<MeasureRef, BigDecimal> quantities =
                resolveQuantities(config, event.quantities(), inventorySystem);
        RecordKey key = new RecordKey(environmentId, org, product, dims);
        String partitionId = PartitionIds.of(config.partitionRule(), org, product, dims);
        return new ResolvedChange(
                EventId.of(event.id()), key, partitionId, quantities, event.modifiedAt());
    }

    public static String requireId(String field, String id) {
        if (id.isBlank()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        if (id.length() > Limits.ID_LENGTH_MAX) {
            throw new InvalidInputException(
                    field, "is longer than " + Limits.ID_LENGTH_MAX + " characters");
        }
        return id;
    }

    static DimensionSet resolveDimensions(RuntimeConfiguration config, OnHandChange event) {
        return resolveDimensions(
                config,
                event.dimensionDataSource(),
                event.dimensions(),
                config.partitionRule().locationRequiredOnChanges());
    }

    /**
     * Resolves the dimensions of a reservation, allocation or change schedule, which need a site
     * and a location whenever the partition rule partitions by location.
     */
    public static DimensionSet resolveDimensions(
            RuntimeConfiguration config,
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions) {
        return resolveDimensions(
                config,
                dimensionDataSource,
                dimensions,
                config.partitionRule().locationRequiredOnCommitments());
    }

    /** Resolves a write's dimensions to base dimensions; site and location when required. */
    private static DimensionSet resolveDimensions(
            RuntimeConfiguration config,
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions,
            boolean locationRequired) {
        if (dimensions.size() > Limits.DIMENSIONS_PER_EVENT_MAX) {
            throw new InvalidInputException(
                    "dimensions", "has more than " + Limits.DIMENSIONS_PER_EVENT_MAX + " entries");
        }
        DimensionResolver resolver = DimensionResolver.of(config, dimensionDataSource);
        Map<String, String> base = new TreeMap<>();
        for (Map.Entry<String, String> entry : dimensions.entrySet()) {
            String field = "dimensions." + entry.getKey();
            String name = resolver.resolve(field, entry.getKey());
            String value = Limits.requireLength(field, entry.getValue());
            String previous = base.put(name, value);
            if (previous != null && !previous.equals(value)) {
                throw new InvalidInputException(
                        field,
                        "resolves to base dimension '"
                                + BaseDimension.canonical(name)
                                + "', which is given twice with different"
                                + " values");
            }
        }
        if (locationRequired) {
            requirePartition(config, base, BaseDimension.SITE, "dimensions.siteId");
            requirePartition(config, base, BaseDimension.LOCATION, "dimensions.locationId");
        }
        return DimensionSet.of(base);
    }

    private static void requirePartition(
            RuntimeConfiguration config, Map<String, String> dims, String name, String field) {
        String value = dims.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(
                    field,
                    "is required under the " + config.partitionRule().label() + " partition rule");
        }
    }

    /** Resolves quantities to writable physical measures (not {@code fno}). */
    public static SortedMap<MeasureRef, BigDecimal> resolveQuantities(
            RuntimeConfiguration config, Quantities quantities) {
        return resolveQuantities(config, quantities, null);
    }

    private static SortedMap<MeasureRef, BigDecimal> resolveQuantities(
            RuntimeConfiguration config, Quantities quantities, @Nullable String inventorySystem) {
        if (quantities.dataSources().isEmpty()) {
            throw new InvalidInputException("quantities", "must name at least one measure");
        }
        SortedMap<MeasureRef, BigDecimal> resolved = new TreeMap<>();
        quantities.forEachDataSource((source, measures) -> {
            String field = "quantities." + source;
            DataSourceConfig ds = writableDataSource(config, field, source);
            if (inventorySystem != null
                    && !ds.key().equals(inventorySystem.toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException(
                        field,
                        "a set on-hand request for '" + inventorySystem
                                + "' may only set measures of that data source");
            }
            for (Quantities.Entry measure : measures) {
                String measureField = field + "." + measure.measure();
                MeasureRef ref = new MeasureRef(ds.key(), measure.measure().strip());
                requirePhysical(config, ds, ref, measureField);
                if (ds.key().equals(AllocationSettings.DATA_SOURCE)
                        && AllocationSettings.PHYSICAL_MEASURES.contains(ref.measure())) {
                    throw new ReadOnlyException(
                            measureField,
                            "'" + ref + "' is kept by the"
                                    + " allocation API (…/allocation/…) and cannot be written"
                                    + " directly");
                }
                BigDecimal quantity = Limits.requireQuantity(measureField, measure.quantity());
                if (resolved.put(ref, quantity) != null) {
                    throw new InvalidInputException(measureField, "is given more than once");
                }
            }
        });
        if (resolved.isEmpty()) {
            throw new InvalidInputException("quantities", "must name at least one measure");
        }
        if (resolved.size() > Limits.MEASURES_PER_EVENT_MAX) {
            throw new InvalidInputException(
                    "quantities", "names more than " + Limits.MEASURES_PER_EVENT_MAX + " measures");
        }
        return resolved;
    }

    private static DataSourceConfig writableDataSource(
            RuntimeConfiguration config, String field, String name) {
        DataSourceConfig ds = config.dataSource(name.strip())
                .orElseThrow(() -> new InvalidInputException(
                        field, "data source '" + name + "' is not configured"));
        if (ds.key().equals(RuntimeConfiguration.ERP_DATA_SOURCE)) {
            throw new ReadOnlyException(
                    field,
                    "data source 'fno' is written only by the"
                            + " ERP integration and is read-only for API callers");
        }
        return ds;
    }

    private static void requirePhysical(
            RuntimeConfiguration config, DataSourceConfig ds, MeasureRef ref, String field) {
        if (ds.physicalMeasures().contains(ref.measure())) {
            return;
        }
        if (config.calculated(ref).isPresent()) {
            throw new InvalidInputException(
                    field,
                    "'" + ref + "' is a calculated measure;"
                            + " only physical measures can be written");
        }
        throw new InvalidInputException(
                field,
                "'" + ref.measure() + "' is not a physical measure of data source '" + ds.name()
                        + "'");
    }
}
