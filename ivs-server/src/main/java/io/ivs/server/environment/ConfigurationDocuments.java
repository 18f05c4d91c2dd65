package io.ivs.server.environment;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.AllocationSettings;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.ReservationSettings;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.config.ScheduleSettings;
import io.ivs.core.config.SummarySettings;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the runtime configuration document (spec §3.10) into the core model. Field names match
 * case-insensitively; fields IVS does not act on are ignored here and kept in the stored document.
 * {@code inventorySystemConfigurations} may be an object keyed by data source or an array.
 */
public final class ConfigurationDocuments {
    /**
     * The sections without which no write or query of an environment can be served: its data
     * sources, its partition rule and its index. Every other section is a feature that is off
     * when absent or null.
     */
    public static final List<String> REQUIRED_SECTIONS = List.of(
            "inventorySystemConfigurations", "partitionConfiguration", "indexConfiguration");

    static final String ENVIRONMENT_ID = "environmentId";
    static final String CONFIGURATION_VERSION = "configurationVersion";

    private ConfigurationDocuments() {}

    /** One problem for each required section that is absent or null. */
    public static List<String> missingSections(JsonNode document) {
        List<String> problems = new ArrayList<>();
        for (String section : REQUIRED_SECTIONS) {
            if (Json.field(document, section, "") == null) {
                problems.add(section + " is required: a configuration becomes active only when"
                        + " complete (" + String.join(", ", REQUIRED_SECTIONS) + ")");
            }
        }
        return problems;
    }

    /**
     * The document as IVS stores it: the server owns {@code configurationVersion} (the version
     * it assigns) and fills an absent or empty {@code environmentId} with the path's; every other
     * field is kept as given, under the key spelling given.
     */
    public static String stored(ObjectNode document, String environmentId, int version) {
        ObjectNode stored = document.deepCopy();
        JsonNode given = Json.field(stored, ENVIRONMENT_ID, "");
        if (given == null || !given.isString() || given.asString().isBlank()) {
            replace(stored, ENVIRONMENT_ID, stored.stringNode(environmentId));
        }
        replace(stored, CONFIGURATION_VERSION, stored.numberNode(version));
        return Json.mapper().writeValueAsString(stored);
    }

    /** The document's {@code environmentId} when it names one, else null. */
    public static @Nullable String environmentId(JsonNode document) {
        JsonNode given = Json.field(document, ENVIRONMENT_ID, "");
        if (given == null) {
            return null;
        }
        String text = Json.text(given, ENVIRONMENT_ID);
        return text.isBlank() ? null : text.strip();
    }

    private static void replace(ObjectNode document, String name, JsonNode value) {
        for (String key : document.propertyNames()) {
            if (key.equalsIgnoreCase(name)) {
                document.set(key, value);
                return;
            }
        }
        document.set(name, value);
    }

    public static RuntimeConfiguration parse(JsonNode document) {
        Json.object(document, "configuration");
        Map<String, DataSourceConfig> sources = new HashMap<>();
        for (Named dsNode : dataSourceNodes(document)) {
            DataSourceConfig ds = dataSource(dsNode.key(), dsNode.value());
            if (sources.put(ds.key(), ds) != null) {
                throw new InvalidInputException(
                        "inventorySystemConfigurations",
                        "data source '" + ds.name() + "' is defined more than once");
            }
        }
        return new RuntimeConfiguration(
                sources,
                partitionRule(document),
                indexSets(document),
                reservation(document),
                schedule(document),
                allocation(document),
                summary(document));
    }

    private record Named(String key, JsonNode value) {}

    private static List<Named> dataSourceNodes(JsonNode document) {
        JsonNode systems = Json.field(document, "inventorySystemConfigurations", "");
        List<Named> nodes = new ArrayList<>();
        if (systems == null) {
            return nodes;
        }
        if (systems.isArray()) {
            int i = 0;
            for (JsonNode item : systems.values()) {
                String path = "inventorySystemConfigurations[" + i++ + "]";
                Json.object(item, path);
                nodes.add(new Named(Json.requiredText(item, "dataSourceName", path), item));
            }
        } else {
            Json.object(systems, "inventorySystemConfigurations");
            for (Map.Entry<String, JsonNode> entry : systems.properties()) {
                String path = "inventorySystemConfigurations." + entry.getKey();
                Json.object(entry.getValue(), path);
                String name = Json.optionalText(entry.getValue(), "dataSourceName", path);
                String key = Json.requireStorable(path, entry.getKey());
                nodes.add(new Named(name == null ? key : name, entry.getValue()));
            }
        }
        return nodes;
    }

    private static DataSourceConfig dataSource(String name, JsonNode node) {
        String path = "inventorySystemConfigurations." + name;
        Map<String, String> mappings = new HashMap<>();
        Json.stringMap(Json.field(node, "dimensionMappings", path), path + ".dimensionMappings")
                .forEach((ext, base) -> mappings.put(lower(ext), lower(base)));
        Set<String> physical = new LinkedHashSet<>();
        for (String measure : Json.stringList(
                Json.field(node, "physicalMeasures", path), path + ".physicalMeasures")) {
            if (!physical.add(lower(measure))) {
                throw new InvalidInputException(
                        path + ".physicalMeasures",
                        "physical measure '" + measure + "' is listed twice");
            }
        }
        Map<String, CalculatedMeasure> calculated = calculatedMeasures(node, path);
        Map<String, MeasureRef> reserv = new HashMap<>();
        Json.stringMap(Json.field(node, "reservMappings", path), path + ".reservMappings")
                .forEach((measure, target) -> reserv.put(
                        lower(measure),
                        MeasureRef.parse(path + ".reservMappings." + measure, target)));
        // IVS's own field: only the ERP (role inventory.erp) writes an ERP-owned data source.
        boolean erpOwned = Json.optionalBoolean(node, "erpOwned", path, false);
        return new DataSourceConfig(name.strip(), mappings, physical, calculated, reserv, erpOwned);
    }

    private static Map<String, CalculatedMeasure> calculatedMeasures(JsonNode node, String path) {
        Map<String, CalculatedMeasure> calculated = new HashMap<>();
        JsonNode calcNode = Json.field(node, "calculatedMeasures", path);
        if (calcNode == null) {
            return calculated;
        }
        String calcPath = path + ".calculatedMeasures";
        Json.object(calcNode, calcPath);
        for (Map.Entry<String, JsonNode> entry : calcNode.properties()) {
            String measurePath = calcPath + "." + entry.getKey();
            Json.object(entry.getValue(), measurePath);
            List<MeasureRef> additions = refs(entry.getValue(), "additionModifiers", measurePath);
            List<MeasureRef> subtractions =
                    refs(entry.getValue(), "subtractionModifiers", measurePath);
            String name = lower(entry.getKey());
            if (calculated.put(name, new CalculatedMeasure(name, additions, subtractions))
                    != null) {
                throw new InvalidInputException(measurePath, "is defined more than once");
            }
        }
        return calculated;
    }

    private static List<MeasureRef> refs(JsonNode node, String name, String path) {
        String field = path + "." + name;
        return Json.stringList(Json.field(node, name, path), field).stream()
                .map(ref -> MeasureRef.parse(field, ref.strip()))
                .toList();
    }

    /**
     * {@code useDimensions} alone is by location, {@code useProductId} alone by product, both by
     * location and product (spec §3.7 as the original service has it); neither is refused.
     */
    private static PartitionRule partitionRule(JsonNode document) {
        JsonNode partition = Json.field(document, "partitionConfiguration", "");
        if (partition == null) {
            return PartitionRule.BY_LOCATION;
        }
        Json.object(partition, "partitionConfiguration");
        boolean useDimensions =
                Json.optionalBoolean(partition, "useDimensions", "partitionConfiguration", true);
        boolean useProductId =
                Json.optionalBoolean(partition, "useProductId", "partitionConfiguration", false);
        return PartitionRule.of(useDimensions, useProductId)
                .orElseThrow(() -> new InvalidInputException(
                        "partitionConfiguration",
                        "at least one of useDimensions (by location) and useProductId"
                                + " (by product) must be true"));
    }

    private static List<IndexSet> indexSets(JsonNode document) {
        JsonNode index = Json.field(document, "indexConfiguration", "");
        if (index == null) {
            return new ArrayList<>();
        }
        Json.object(index, "indexConfiguration");
        return indexSets(
                Json.field(index, "indexAttributeSets", "indexConfiguration"),
                "indexConfiguration.indexAttributeSets");
    }

    private static List<IndexSet> indexSets(@Nullable JsonNode setsNode, String field) {
        List<IndexSet> sets = new ArrayList<>();
        if (setsNode == null) {
            return sets;
        }
        int i = 0;
        for (JsonNode set : Json.array(setsNode, field)) {
            String path = field + "[" + i++ + "]";
            Json.object(set, path);
            int setNumber = Json.optionalInt(set, "setNumber", path, i);
            List<String> keys =
                    Json.stringList(Json.field(set, "keys", path), path + ".keys").stream()
                            .map(ConfigurationDocuments::lower)
                            .toList();
            sets.add(new IndexSet(setNumber, keys));
        }
        return sets;
    }

    /**
     * {@code allocationConfiguration} (spec B.2): the switch ({@code isEnabled} or
     * {@code isAllocationEnabled}) and the group names in level order, from {@code groups} or,
     * without it, from {@code groupsOrder} ({@code {"channel": "g0", …}}).
     */
    private static AllocationSettings allocation(JsonNode document) {
        JsonNode node = Json.field(document, "allocationConfiguration", "");
        if (node == null) {
            return AllocationSettings.disabled();
        }
        String path = "allocationConfiguration";
        Json.object(node, path);
        boolean enabled = Json.optionalBoolean(node, "isEnabled", path, false)
                || Json.optionalBoolean(node, "isAllocationEnabled", path, false);
        List<String> groups =
                Json.stringList(Json.field(node, "groups", path), path + ".groups").stream()
                        .map(String::strip)
                        .toList();
        JsonNode order = Json.field(node, "groupsOrder", path);
        if (groups.isEmpty() && order != null) {
            Map<Integer, String> byLevel = new java.util.TreeMap<>();
            Json.stringMap(order, path + ".groupsOrder").forEach((name, level) -> {
                String digits = level.strip().toLowerCase(Locale.ROOT).replace("g", "");
                if (!digits.matches("\\d")) {
                    throw new InvalidInputException(
                            path + ".groupsOrder." + name, "must be a level g0 to g7");
                }
                byLevel.put(Integer.parseInt(digits), name.strip());
            });
            groups = List.copyOf(byLevel.values());
        }
        return new AllocationSettings(enabled, groups);
    }

    /**
     * {@code availableToAllocateCalculation} ({@code {"iv.onhand": "addition", …}}) is how the
     * original's settings page shows {@code @iv.@available_to_allocate}; IVS computes from the
     * calculated measure and only checks, when a document is posted, that each entry is a
     * measure and a direction (documents stored before this check are read as they are).
     */
    public static void checkAvailableToAllocateCalculation(JsonNode document) {
        JsonNode node = Json.field(document, "allocationConfiguration", "");
        if (node == null || !node.isObject()) {
            return;
        }
        String path = "allocationConfiguration";
        String field = path + ".availableToAllocateCalculation";
        Json.stringMap(Json.field(node, "availableToAllocateCalculation", path), field)
                .forEach((measure, direction) -> {
                    MeasureRef.parse(field, measure.strip());
                    String lower = direction.strip().toLowerCase(Locale.ROOT);
                    if (!lower.equals("addition") && !lower.equals("subtraction")) {
                        throw new InvalidInputException(
                                field + "." + measure,
                                "must be 'addition' or 'subtraction', not '" + direction + "'");
                    }
                });
    }

    /**
     * {@code scheduleConfiguration} (spec A.2): ATP measures as {@code "ds.measure"} strings or
     * objects naming {@code dataSourceName} and {@code calculatedMeasureName}.
     */
    private static ScheduleSettings schedule(JsonNode document) {
        JsonNode node = Json.field(document, "scheduleConfiguration", "");
        if (node == null) {
            return ScheduleSettings.disabled();
        }
        String path = "scheduleConfiguration";
        Json.object(node, path);
        boolean enabled = Json.optionalBoolean(node, "isScheduleEnabled", path, false);
        int period = Json.optionalInt(
                node, "schedulePeriodInDays", path, ScheduleSettings.PERIOD_DAYS_DEFAULT);
        List<MeasureRef> measures = new ArrayList<>();
        Map<MeasureRef, Integer> periods = new HashMap<>();
        JsonNode measuresNode = Json.field(node, "atpCalculatedMeasures", path);
        if (measuresNode != null && measuresNode.isObject()) {
            atpMeasurePeriods(measuresNode, path + ".atpCalculatedMeasures", measures, periods);
        } else if (measuresNode != null) {
            int i = 0;
            for (JsonNode measure : Json.array(measuresNode, path + ".atpCalculatedMeasures")) {
                String field = path + ".atpCalculatedMeasures[" + i++ + "]";
                measures.add(
                        measure.isObject()
                                ? new MeasureRef(
                                        Json.requiredText(measure, "dataSourceName", field),
                                        Json.requiredText(measure, "calculatedMeasureName", field))
                                : MeasureRef.parse(
                                        field, Json.text(measure, field).strip()));
            }
        }
        return new ScheduleSettings(
                enabled,
                period,
                measures,
                periods,
                indexSets(
                        Json.field(node, "indexAttributeSets", path),
                        path + ".indexAttributeSets"));
    }

    /**
     * The original's object form, {@code {"<dataSource>": {"<calculatedMeasure>": <days>}}}: one
     * ATP measure per entry, each with its own schedule period.
     */
    private static void atpMeasurePeriods(
            JsonNode node,
            String path,
            List<MeasureRef> measures,
            Map<MeasureRef, Integer> periods) {
        for (Map.Entry<String, JsonNode> source : node.properties()) {
            String sourcePath = path + "." + source.getKey();
            Json.object(source.getValue(), sourcePath);
            for (Map.Entry<String, JsonNode> measure : source.getValue().properties()) {
                String field = sourcePath + "." + measure.getKey();
                MeasureRef ref =
                        new MeasureRef(source.getKey().strip(), measure.getKey().strip());
                if (periods.put(ref, wholeNumber(measure.getValue(), field, "days")) != null) {
                    throw new InvalidInputException(field, "is given more than once");
                }
                measures.add(ref);
            }
        }
    }

    /**
     * {@code storageConfiguration} (inventory summary) and
     * {@code onHandIndexQueryPreloadStorageConfiguration} (preloaded on-hand), spec §3.10, §4.
     * A feature is on when its own switch or its {@code isEnabled} is true. {@code refreshMode}
     * ({@code periodic} or {@code immediate}, in either section) is an IVS extension.
     */
    private static SummarySettings summary(JsonNode document) {
        String storagePath = "storageConfiguration";
        JsonNode storage = Json.field(document, storagePath, "");
        boolean summaryEnabled = false;
        int minutes = SummarySettings.FREQUENCY_MINUTES_DEFAULT;
        boolean immediate = false;
        if (storage != null) {
            Json.object(storage, storagePath);
            summaryEnabled = Json.optionalBoolean(
                            storage, "isOnHandMostSpecificStorageEnabled", storagePath, false)
                    || Json.optionalBoolean(storage, "isEnabled", storagePath, false);
            JsonNode frequency = Json.field(storage, "ohmsBackgroundServiceFreq", storagePath);
            if (frequency != null) {
                minutes = wholeNumber(
                        frequency, storagePath + ".ohmsBackgroundServiceFreq", "minutes");
            }
            immediate = refreshMode(storage, storagePath);
        }
        String preloadPath = "onHandIndexQueryPreloadStorageConfiguration";
        JsonNode preload = Json.field(document, preloadPath, "");
        boolean preloadEnabled = false;
        List<String> groupBy = List.of();
        if (preload != null) {
            Json.object(preload, preloadPath);
            preloadEnabled = Json.optionalBoolean(
                            preload, "isOnHandIndexQueryPreloadStorageEnabled", preloadPath, false)
                    || Json.optionalBoolean(preload, "isEnabled", preloadPath, false);
            groupBy = preloadGroupBy(
                    Json.field(preload, "groupByValues", preloadPath),
                    preloadPath + ".groupByValues");
            immediate |= refreshMode(preload, preloadPath);
        }
        return new SummarySettings(
                summaryEnabled,
                preloadEnabled,
                immediate
                        ? SummarySettings.RefreshMode.IMMEDIATE
                        : SummarySettings.RefreshMode.PERIODIC,
                minutes,
                groupBy);
    }

    private static int wholeNumber(JsonNode node, String field, String unit) {
        java.math.BigDecimal value = Json.decimal(node, field);
        if (value.signum() < 0
                || value.stripTrailingZeros().scale() > 0
                || value.compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new InvalidInputException(field, "must be a whole number of " + unit);
        }
        return value.intValue();
    }

    /** True for {@code "immediate"}; absent or {@code "periodic"} is false. */
    private static boolean refreshMode(JsonNode section, String path) {
        String mode = Json.optionalText(section, "refreshMode", path);
        if (mode == null || mode.strip().equalsIgnoreCase("periodic")) {
            return false;
        }
        if (mode.strip().equalsIgnoreCase("immediate")) {
            return true;
        }
        throw new InvalidInputException(
                path + ".refreshMode", "must be 'periodic' or 'immediate', not '" + mode + "'");
    }

    /**
     * Preload set 0: a list of dimension names, or a list of sets
     * ({@code {"setNumber": 0, "keys": [...]}}) of which set 0 (else the first) is used.
     */
    private static List<String> preloadGroupBy(@Nullable JsonNode node, String field) {
        if (node == null) {
            return List.of();
        }
        List<JsonNode> items = Json.array(node, field);
        if (items.isEmpty() || items.get(0).isString()) {
            return Json.stringList(node, field).stream()
                    .map(ConfigurationDocuments::lower)
                    .toList();
        }
        List<IndexSet> sets = indexSets(node, field);
        return sets.stream()
                .filter(set -> set.setNumber() == 0)
                .findFirst()
                .orElse(sets.get(0))
                .keys();
    }

    private static ReservationSettings reservation(JsonNode document) {
        JsonNode node = Json.field(document, "reservConfiguration", "");
        if (node == null) {
            return ReservationSettings.disabled();
        }
        String path = "reservConfiguration";
        Json.object(node, path);
        boolean enabled = Json.optionalBoolean(node, "isReservEnabled", path, false);
        int version = Json.optionalInt(node, "version", path, 0);
        List<String> keys = Json.stringList(Json.field(node, "keys", path), path + ".keys").stream()
                .map(ConfigurationDocuments::lower)
                .toList();
        return new ReservationSettings(enabled, version, keys);
    }

    private static String lower(@Nullable String value) {
        return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    }
}
