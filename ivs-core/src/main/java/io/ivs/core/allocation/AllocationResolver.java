package io.ivs.core.allocation;

import io.ivs.core.InvalidInputException;
import io.ivs.core.ReadOnlyException;
import io.ivs.core.config.AllocationSettings;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.ChangeResolver;
import io.ivs.core.onhand.Fingerprints;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.PartitionIds;
import io.ivs.core.onhand.RecordKey;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates allocation requests (spec B.4, B.5, C-B2, C-B9): allocation switched on, group values
 * given top-down without gaps by configured names, quantity greater than zero, and for consume
 * real measures named with Addition or Subtraction, never {@code fno}, and opposite to their role
 * in the available-to-allocate formula.
 */
public final class AllocationResolver {
    private AllocationResolver() {}

    public static void requireEnabled(RuntimeConfiguration config) {
        if (!config.allocation().enabled()) {
            throw new InvalidInputException(
                    "",
                    "inventory allocation is switched off for this"
                            + " environment; set allocationConfiguration.isEnabled to true");
        }
    }

    public static ResolvedAllocation resolve(
            EnvironmentId environmentId, RuntimeConfiguration config, AllocationCommand command) {
        requireEnabled(config);
        ChangeResolver.requireId("id", command.id());
        String org = Limits.requireText("organizationId", command.organizationId());
        String product = Limits.requireText("productId", command.productId());
        DimensionSet dims = ChangeResolver.resolveDimensions(
                config, command.dimensionDataSource(), command.dimensions());
        BigDecimal quantity = Limits.requireQuantity("quantity", command.quantity());
        if (quantity.signum() <= 0) {
            throw new InvalidInputException("quantity", "must be greater than zero");
        }
        List<String> path = path(config, "groups", command.groups(), false);
        List<String> source = command.operation() == AllocationCommand.Operation.REALLOCATE
                ? path(config, "sourceGroups", command.sourceGroups(), false)
                : List.of();
        Map<MeasureRef, Integer> signs = command.operation() == AllocationCommand.Operation.CONSUME
                ? consumeSigns(config, command.physicalMeasures())
                : Map.of();
        RecordKey record = new RecordKey(environmentId, org, product, dims);
        String fingerprint = Fingerprints.of(command.operation() + "\u0000" + org + '\u0000'
                + product + '\u0000' + dims.key() + '\u0000' + path + '\u0000' + source + '\u0000'
                + quantity.toPlainString() + '\u0000' + new TreeMap<>(signs));
        return new ResolvedAllocation(
                command.operation(),
                EventId.of(command.id()),
                record,
                PartitionIds.of(config.partitionRule(), org, product, dims),
                path,
                source,
                quantity,
                signs,
                fingerprint);
    }

    /**
     * Group values by level: names match the hierarchy case-insensitively, and the levels given
     * must be the top ones with no gap (B.2.4). An empty path is allowed only for queries.
     */
    public static List<String> path(
            RuntimeConfiguration config, String field, Map<String, String> groups, boolean query) {
        List<String> hierarchy = config.allocation().groups();
        String[] values = new String[hierarchy.size()];
        for (Map.Entry<String, String> entry : groups.entrySet()) {
            int level = levelOf(hierarchy, entry.getKey());
            if (level < 0) {
                throw new InvalidInputException(
                        field + "." + entry.getKey(),
                        "is not an allocation group (allocationConfiguration.groups: " + hierarchy
                                + ")");
            }
            if (values[level] != null) {
                throw new InvalidInputException(
                        field + "." + entry.getKey(),
                        "names group '" + hierarchy.get(level) + "' more than once");
            }
            values[level] = Limits.requireText(field + "." + entry.getKey(), entry.getValue());
        }
        List<String> path = new ArrayList<>();
        for (int level = 0; level < values.length; level++) {
            if (values[level] == null) {
                for (int below = level + 1; below < values.length; below++) {
                    if (values[below] != null) {
                        throw new InvalidInputException(
                                field,
                                "gives group '"
                                        + hierarchy.get(below) + "' without '"
                                        + hierarchy.get(level)
                                        + "'; give group values top-down without gaps");
                    }
                }
                break;
            }
            path.add(values[level]);
        }
        if (path.isEmpty() && !query) {
            throw new InvalidInputException(
                    field,
                    "must give at least the top group ('"
                            + (hierarchy.isEmpty() ? "none configured" : hierarchy.get(0)) + "')");
        }
        return path;
    }

    /** The level of a group name, matched case-insensitively; -1 when it is not configured. */
    private static int levelOf(List<String> hierarchy, String name) {
        for (int level = 0; level < hierarchy.size(); level++) {
            if (hierarchy.get(level).equalsIgnoreCase(name.strip())) {
                return level;
            }
        }
        return -1;
    }

    private static Map<MeasureRef, Integer> consumeSigns(
            RuntimeConfiguration config, Map<String, Map<String, String>> measures) {
        CalculatedMeasure ata = availableToAllocate(config);
        Map<MeasureRef, Integer> signs = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> source : measures.entrySet()) {
            String field = "physicalMeasures." + source.getKey();
            DataSourceConfig ds = config.dataSource(source.getKey().strip())
                    .orElseThrow(() -> new InvalidInputException(
                            field, "data source '" + source.getKey() + "' is not configured"));
            if (config.isErpOwned(ds)) {
                throw new ReadOnlyException(
                        field,
                        "data source '" + ds.name() + "' cannot be consumed from:"
                                + " it is written only by the ERP integration");
            }
            for (Map.Entry<String, String> measure : source.getValue().entrySet()) {
                String measureField = field + "." + measure.getKey();
                MeasureRef ref = new MeasureRef(ds.key(), measure.getKey().strip());
                if (!ds.physicalMeasures().contains(ref.measure())) {
                    throw new InvalidInputException(
                            measureField,
                            "'" + ref.measure() + "' is not a physical measure of data source '"
                                    + ds.name() + "'");
                }
                int sign = switch (measure.getValue().strip().toLowerCase(Locale.ROOT)) {
                    case "addition" -> 1;
                    case "subtraction" -> -1;
                    default ->
                        throw new InvalidInputException(
                                measureField, "must be Addition or Subtraction");
                };
                int role = ata.additions().contains(ref)
                        ? 1
                        : ata.subtractions().contains(ref) ? -1 : 0;
                if (role != 0 && role == sign) {
                    throw new InvalidInputException(
                            measureField,
                            "'" + ref + "' is "
                                    + (role > 0 ? "added in" : "subtracted in")
                                    + " @iv.@available_to_allocate, so consume it with "
                                    + (role > 0 ? "Subtraction" : "Addition"));
                }
                if (signs.put(ref, sign) != null) {
                    throw new InvalidInputException(
                            measureField, "'" + ref + "' is given more than once");
                }
            }
        }
        return signs;
    }

    public static CalculatedMeasure availableToAllocate(RuntimeConfiguration config) {
        return config.calculated(new MeasureRef(
                        AllocationSettings.DATA_SOURCE, AllocationSettings.AVAILABLE_TO_ALLOCATE))
                .orElseThrow(() -> new InvalidInputException(
                        "", "calculated measure '@iv.@available_to_allocate' is not configured"));
    }
}
