package io.ivs.core.reservation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.Rejection;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.DimensionResolver;
import io.ivs.core.config.ReservationSettings;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.ChangeResolver;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.PartitionIds;
import io.ivs.core.onhand.RecordKey;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates reserve and unreserve events against the configuration (spec §2.4, §2.5, §3.9):
 * the feature switch, the reservation measure and its mapping to an available-to-reserve measure,
 * and the reservation dimensions. Any subset of the reservation keys is a valid level, as long as
 * it holds the partition dimensions under by-location (A7); dimensions outside the keys are an
 * error with {@code version} 0 and ignored with {@code version} 1.
 */
public final class ReservationResolver {
    private ReservationResolver() {}

    /** @param now the time a hold's {@code ttlSeconds} counts from */
    public static ResolvedReservation reserve(
            EnvironmentId environmentId,
            RuntimeConfiguration config,
            ReserveCommand command,
            Instant now) {
        requireEnabled(config);
        ChangeResolver.requireId("id", command.id());
        String org = Limits.requireText("organizationId", command.organizationId());
        String product = Limits.requireText("productId", command.productId());
        Map.Entry<MeasureRef, BigDecimal> measure = measure(config, command);
        MeasureRef ref = measure.getKey();
        BigDecimal quantity = Limits.requireQuantity("quantity", measure.getValue());
        if (quantity.signum() == 0) {
            throw new InvalidInputException("quantity", "must not be zero");
        }
        DimensionSet dims = dimensions(config, command.dimensionDataSource(), command.dimensions());
        CalculatedMeasure afr = null;
        if (command.checkAvailability()) {
            if (quantity.signum() < 0) {
                throw new ReservationRejectedException(
                        Rejection.NEGATIVE_CHECKED,
                        "quantity",
                        "a negative quantity cancels a reservation and is only allowed with"
                                + " ifCheckAvailForReserv false");
            }
            afr = availableToReserve(config, ref);
        }
        HoldTerms hold = command.hold();
        if (hold != null && quantity.signum() < 0) {
            throw new InvalidInputException(
                    hold.expiresAt() != null ? "expiresAt" : "ttlSeconds",
                    "a cancelling (negative) reserve cannot make a hold");
        }
        RecordKey record = new RecordKey(environmentId, org, product, dims);
        String reservationId = ReservationIds.of(org, product, ref, dims);
        String fingerprint = Fingerprints.of(org
                + '\u0000'
                + product
                + '\u0000'
                + dims.key()
                + '\u0000'
                + ref.qualified()
                + '='
                + quantity.toPlainString()
                + '\u0000'
                + command.checkAvailability()
                // Only a hold adds to the fingerprint, so that the answers stored for reserves
                // without one keep matching their retries.
                + (hold == null ? "" : "\u0000" + hold.fingerprint()));
        return new ResolvedReservation(
                EventId.of(command.id()),
                record,
                PartitionIds.of(config.partitionRule(), org, product, dims),
                ref,
                quantity,
                afr,
                reservationId,
                fingerprint,
                hold == null ? null : hold.expiry(now));
    }

    public static ResolvedUnreserve unreserve(
            EnvironmentId environmentId, RuntimeConfiguration config, UnreserveCommand command) {
        requireEnabled(config);
        ChangeResolver.requireId("id", command.id());
        String org = Limits.requireText("organizationId", command.organizationId());
        String product = Limits.requireText("productId", command.productId());
        String reservationId = Limits.requireText("reservationId", command.reservationId());
        BigDecimal offset = Limits.requireQuantity("OffsetQty", command.offsetQuantity());
        if (offset.signum() <= 0) {
            throw new InvalidInputException("OffsetQty", "must be greater than zero");
        }
        DimensionSet dims = dimensions(config, command.dimensionDataSource(), command.dimensions());
        String fingerprint = Fingerprints.of(org
                + '\u0000'
                + product
                + '\u0000'
                + dims.key()
                + '\u0000'
                + reservationId
                + '='
                + offset.toPlainString());
        return new ResolvedUnreserve(
                EventId.of(command.id()),
                new RecordKey(environmentId, org, product, dims),
                PartitionIds.of(config.partitionRule(), org, product, dims),
                reservationId,
                offset,
                fingerprint);
    }

    private static void requireEnabled(RuntimeConfiguration config) {
        if (!config.reservation().enabled()) {
            throw new ReservationRejectedException(
                    Rejection.DISABLED,
                    "",
                    "soft reservations are switched off for this environment; set"
                            + " reservConfiguration.isReservEnabled to true in the configuration");
        }
    }

    /** The reservation measure and signed quantity, from either request form (A26). */
    private static Map.Entry<MeasureRef, BigDecimal> measure(
            RuntimeConfiguration config, ReserveCommand command) {
        Map.Entry<MeasureRef, BigDecimal> fromMap = fromQuantities(command.quantities());
        boolean modifierForm = command.modifier() != null || command.quantity() != null;
        if (!modifierForm) {
            if (fromMap == null) {
                throw new InvalidInputException(
                        "modifier",
                        "is required (with quantity), or give quantities with one measure");
            }
            String dataSource = command.quantityDataSource();
            if (dataSource != null
                    && !dataSource.isBlank()
                    && !dataSource.strip().equalsIgnoreCase(fromMap.getKey().dataSource())) {
                throw new InvalidInputException(
                        "quantityDataSource",
                        "names another data source than quantities; give one form or make them"
                                + " agree");
            }
            return checkedMeasure(config, fromMap.getKey(), fromMap.getValue());
        }
        if (command.modifier() == null || command.modifier().isBlank()) {
            throw new InvalidInputException("modifier", "is required with quantity");
        }
        if (command.quantity() == null) {
            throw new InvalidInputException("quantity", "is required with modifier");
        }
        String dataSource = command.quantityDataSource();
        if (dataSource == null || dataSource.isBlank()) {
            dataSource = fromMap != null
                    ? fromMap.getKey().dataSource()
                    : dataSourceMapping(config, command.modifier());
        }
        MeasureRef ref = new MeasureRef(dataSource.strip(), command.modifier().strip());
        if (fromMap != null
                && (!fromMap.getKey().equals(ref)
                        || fromMap.getValue().compareTo(command.quantity()) != 0)) {
            throw new InvalidInputException(
                    "quantities",
                    "names another measure or quantity than quantityDataSource, modifier and"
                            + " quantity; give one form or make them agree");
        }
        return checkedMeasure(config, ref, command.quantity());
    }

    /** The one measure of the {@code quantities} form; null when no data source is named. */
    private static Map.@Nullable Entry<MeasureRef, BigDecimal> fromQuantities(
            Quantities quantities) {
        if (quantities.dataSources().isEmpty()) {
            return null;
        }
        if (quantities.size() != 1) {
            throw new InvalidInputException("quantities", "must name exactly one measure");
        }
        Quantities.Entry entry = quantities.entries().get(0);
        return Map.entry(
                new MeasureRef(entry.dataSource().strip(), entry.measure().strip()),
                entry.quantity());
    }

    /** Without quantityDataSource: the one data source that maps this measure for reservation. */
    private static String dataSourceMapping(RuntimeConfiguration config, String modifier) {
        String lower = modifier.strip().toLowerCase(Locale.ROOT);
        List<String> candidates = config.dataSources().values().stream()
                .filter(ds -> ds.reservMappings().containsKey(lower))
                .map(DataSourceConfig::key)
                .sorted()
                .toList();
        if (candidates.size() != 1) {
            throw new InvalidInputException(
                    "quantityDataSource",
                    candidates.isEmpty()
                            ? "is required: no data source maps '" + modifier + "' for reservation"
                            : "is required: several data sources map '" + modifier + "': "
                                    + candidates);
        }
        return candidates.get(0);
    }

    private static Map.Entry<MeasureRef, BigDecimal> checkedMeasure(
            RuntimeConfiguration config, MeasureRef ref, BigDecimal quantity) {
        DataSourceConfig ds = config.dataSource(ref.dataSource())
                .orElseThrow(() -> new InvalidInputException(
                        "quantityDataSource",
                        "data source '" + ref.dataSource() + "' is not configured"));
        // Reservations never write an ERP-owned data source, not even for the ERP: its
        // measures are the ERP's picture of the stock, which only set on-hand replaces.
        if (config.isErpOwned(ds)) {
            throw new ReadOnlyException(
                    "quantityDataSource",
                    "data source '" + ds.name() + "' is written only"
                            + " by the ERP integration and is read-only for API callers");
        }
        if (!ds.physicalMeasures().contains(ref.measure())) {
            throw new InvalidInputException(
                    "modifier",
                    "'" + ref.measure() + "' is not a physical measure of data source '" + ds.name()
                            + "'");
        }
        return Map.entry(ref, quantity);
    }

    private static CalculatedMeasure availableToReserve(
            RuntimeConfiguration config, MeasureRef ref) {
        DataSourceConfig ds = config.dataSource(ref.dataSource()).orElseThrow();
        MeasureRef target = ds.reservMappings().get(ref.measure());
        if (target == null) {
            throw new InvalidInputException(
                    "modifier",
                    "'" + ref + "' has no reservation mapping"
                            + " to an available-to-reserve measure (reservMappings); add one, or"
                            + " send ifCheckAvailForReserv false");
        }
        return config.calculated(target)
                .orElseThrow(() -> new InvalidInputException(
                        "modifier",
                        "the reservation mapping of '" + ref + "' names '" + target
                                + "', which is not a calculated measure"));
    }

    private static DimensionSet dimensions(
            RuntimeConfiguration config,
            @Nullable String dimensionDataSource,
            Map<String, String> dimensions) {
        ReservationSettings settings = config.reservation();
        boolean strict = settings.version() == 0;
        DimensionResolver resolver = DimensionResolver.of(config, dimensionDataSource);
        Map<String, String> base = new TreeMap<>();
        for (Map.Entry<String, String> entry : dimensions.entrySet()) {
            String field = "dimensions." + entry.getKey();
            String name;
            try {
                name = resolver.resolve(field, entry.getKey());
            } catch (InvalidInputException unknown) {
                if (strict) {
                    throw unknown;
                }
                continue;
            }
            if (!settings.keys().contains(name)) {
                if (strict) {
                    throw new InvalidInputException(
                            field,
                            "'" + BaseDimension.canonical(name)
                                    + "' is not a reservation dimension (reservConfiguration.keys: "
                                    + settings.keys() + ")");
                }
                continue;
            }
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
        if (config.partitionRule().locationRequiredOnCommitments()) {
            requirePartition(config, base, BaseDimension.SITE, "dimensions.siteId");
            requirePartition(config, base, BaseDimension.LOCATION, "dimensions.locationId");
        }
        return DimensionSet.of(base);
    }

    private static void requirePartition(
            RuntimeConfiguration config, Map<String, String> dims, String name, String field) {
        String value = dims.get(name);
        if (value == null || value.isBlank()) {
            throw new ReservationRejectedException(
                    Rejection.MISSING_PARTITION,
                    field,
                    "is required under the " + config.partitionRule().label() + " partition rule");
        }
    }
}
