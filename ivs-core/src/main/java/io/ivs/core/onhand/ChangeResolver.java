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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
        return resolve(environmentId, config, event, inventorySystem, WriteAccess.API);
    }

    /**
     * @param access which data sources the caller may write; a quantity of any other is refused
     *     with a {@link ReadOnlyException}
     */
    public static ResolvedChange resolve(
            EnvironmentId environmentId,
            RuntimeConfiguration config,
            OnHandChange event,
            @Nullable String inventorySystem,
            WriteAccess access) {
        requireId("id", event.id());
        String org = Limits.requireText("organizationId", event.organizationId());
        String product = Limits.requireText("productId", event.productId());
        DimensionSet dims = resolveDimensions(config, event);
        SortedMap<MeasureRef, BigDecimal> quantities =
                resolveQuantities(config, event.quantities(), inventorySystem, access);
        List<ReservationOffset> offsets =
                resolveOffsets(event.reservationOffsets(), inventorySystem != null);
        RecordKey key = new RecordKey(environmentId, org, product, dims);
        String partitionId = PartitionIds.of(config.partitionRule(), org, product, dims);
        return new ResolvedChange(
                EventId.of(event.id()), key, partitionId, quantities, event.modifiedAt(), offsets);
    }

    /**
     * Reservation offsets ride set on-hand records only: a change event carrying them is refused
     * rather than applied without them, which would count the consumed quantity twice.
     */
    static List<ReservationOffset> resolveOffsets(List<ReservationOffset> offsets, boolean set) {
        if (offsets.isEmpty()) {
            return List.of();
        }
        if (!set) {
            throw new InvalidInputException(
                    "reservationOffsets",
                    "is read by set on-hand (.../setonhand/{dataSource}/bulk) only");
        }
        if (offsets.size() > Limits.OFFSETS_PER_EVENT_MAX) {
            throw new InvalidInputException(
                    "reservationOffsets",
                    "has more than " + Limits.OFFSETS_PER_EVENT_MAX + " entries");
        }
        List<ReservationOffset> resolved = new ArrayList<>(offsets.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < offsets.size(); i++) {
            String field = "reservationOffsets[" + i + "]";
            ReservationOffset offset = offsets.get(i);
            String id = Limits.requireText(field + ".reservationId", offset.reservationId());
            if (!seen.add(id)) {
                throw new InvalidInputException(
                        field + ".reservationId", "names reservation '" + id + "' twice");
            }
            BigDecimal quantity = Limits.requireQuantity(field + ".quantity", offset.quantity());
            if (quantity.signum() <= 0) {
                throw new InvalidInputException(field + ".quantity", "must be more than zero");
            }
            resolved.add(new ReservationOffset(id, quantity));
        }
        return resolved;
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
        return resolveQuantities(config, quantities, null, WriteAccess.API);
    }

    private static SortedMap<MeasureRef, BigDecimal> resolveQuantities(
            RuntimeConfiguration config,
            Quantities quantities,
            @Nullable String inventorySystem,
            WriteAccess access) {
        if (quantities.dataSources().isEmpty()) {
            throw new InvalidInputException("quantities", "must name at least one measure");
        }
        SortedMap<MeasureRef, BigDecimal> resolved = new TreeMap<>();
        quantities.forEachDataSource((source, measures) -> {
            String field = "quantities." + source;
            DataSourceConfig ds = writableDataSource(config, field, source, access);
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

    /**
     * The data source, if this caller may write it. Every spelling of a name resolves to one
     * configured data source first, so the ownership check sees the name the data is stored
     * under.
     */
    private static DataSourceConfig writableDataSource(
            RuntimeConfiguration config, String field, String name, WriteAccess access) {
        DataSourceConfig ds = config.dataSource(name.strip())
                .orElseThrow(() -> new InvalidInputException(
                        field, "data source '" + name + "' is not configured"));
        boolean erpOwned = config.isErpOwned(ds);
        if (erpOwned && !access.erpOwned()) {
            throw new ReadOnlyException(
                    field,
                    "data source '" + ds.name() + "' is written only by the ERP integration"
                            + " (role inventory.erp) and is read-only for API callers");
        }
        if (!erpOwned && !access.others()) {
            throw new ReadOnlyException(
                    field,
                    "data source '" + ds.name() + "' is not ERP-owned: writing it needs the"
                            + " role inventory.write");
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
