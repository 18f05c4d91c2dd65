package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.measure.MeasureRef;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Edits of a configuration document (spec §3.10) made from the console's forms. It changes only
 * the fields a form covers and keeps every other field, as the API keeps the document verbatim.
 * Field names are matched case-insensitively (DESIGN D8); an edited field is written with its
 * documented spelling and other spellings of it are removed. Whether the result is a valid
 * configuration is decided by the server's validation, not here.
 */
public final class ConfigurationEditor {
    static final String SYSTEMS = "inventorySystemConfigurations";
    static final int LINES_MAX = 1_000;

    private ConfigurationEditor() {}

    /** What the data source form edits, as lines of text. */
    public record DataSourceForm(
            @Nullable String physicalMeasures,
            @Nullable String dimensionMappings,
            @Nullable String calculatedMeasures,
            @Nullable String reservMappings) {}

    /** What the settings form edits. */
    public record SettingsForm(
            @Nullable String partitionRule,
            @Nullable String indexSets,
            @Nullable Boolean reservationsEnabled,
            @Nullable Integer reservationVersion,
            @Nullable String reservationKeys,
            @Nullable Boolean scheduleEnabled,
            @Nullable Integer schedulePeriodDays,
            @Nullable String atpMeasures,
            @Nullable String atpIndexSets,
            @Nullable Boolean allocationEnabled,
            @Nullable String allocationGroups) {
        /** An unticked box is not sent at all: absent means off. */
        static boolean on(@Nullable Boolean value) {
            return Boolean.TRUE.equals(value);
        }

        static int required(String field, @Nullable Integer value) {
            if (value == null) {
                throw new InvalidInputException(field, "is required");
            }
            return value;
        }

        static String text(@Nullable String value) {
            return value == null ? "" : value;
        }
    }

    static ObjectNode copy(JsonNode document) {
        return (ObjectNode) Json.object(document, "configuration").deepCopy();
    }

    /** Adds an empty data source; the name must be new. */
    static void addDataSource(ObjectNode document, String name) {
        String clean = Json.requireStorable("dataSourceName", name.strip());
        if (clean.isEmpty()) {
            throw new InvalidInputException("dataSourceName", "is required");
        }
        if (findDataSource(document, clean) != null) {
            throw new InvalidInputException(
                    "dataSourceName", "data source '" + clean + "' exists already");
        }
        JsonNode systems = systems(document);
        ObjectNode ds = Json.mapper().createObjectNode();
        ds.put("dataSourceName", clean);
        ds.putObject("dimensionMappings");
        ds.putArray("physicalMeasures");
        ds.putObject("calculatedMeasures");
        ds.putObject("reservMappings");
        if (systems instanceof ArrayNode array) {
            array.add(ds);
        } else {
            ((ObjectNode) systems).set(clean, ds);
        }
    }

    static void removeDataSource(ObjectNode document, String name) {
        JsonNode systems = systems(document);
        if (systems instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (name.equalsIgnoreCase(dataSourceName(array.get(i), null))) {
                    array.remove(i);
                    return;
                }
            }
        } else {
            Iterator<Map.Entry<String, JsonNode>> it =
                    ((ObjectNode) systems).properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (name.equalsIgnoreCase(dataSourceName(entry.getValue(), entry.getKey()))) {
                    it.remove();
                    return;
                }
            }
        }
        throw new InvalidInputException("dataSourceName", "no data source '" + name + "'");
    }

    /** Replaces the measures and mappings of a data source from the form's lines. */
    static void updateDataSource(ObjectNode document, String name, DataSourceForm form) {
        ObjectNode ds = findDataSource(document, name);
        if (ds == null) {
            throw new InvalidInputException("dataSourceName", "no data source '" + name + "'");
        }
        ArrayNode physical = Json.mapper().createArrayNode();
        list("physicalMeasures", SettingsForm.text(form.physicalMeasures())).forEach(physical::add);
        put(ds, "physicalMeasures", physical);
        put(
                ds,
                "dimensionMappings",
                pairs("dimensionMappings", SettingsForm.text(form.dimensionMappings())));
        ObjectNode calculated = Json.mapper().createObjectNode();
        pairLines("calculatedMeasures", SettingsForm.text(form.calculatedMeasures()))
                .forEach((measure, formula) -> {
                    Formulas.Terms terms = Formulas.parse("calculatedMeasures." + measure, formula);
                    ObjectNode node = calculated.putObject(measure);
                    ArrayNode add = node.putArray("additionModifiers");
                    terms.additions().forEach(ref -> add.add(ref.qualified()));
                    ArrayNode sub = node.putArray("subtractionModifiers");
                    terms.subtractions().forEach(ref -> sub.add(ref.qualified()));
                });
        put(ds, "calculatedMeasures", calculated);
        put(
                ds,
                "reservMappings",
                pairs("reservMappings", SettingsForm.text(form.reservMappings())));
    }

    /** Replaces the partition rule, index sets and feature switches from the settings form. */
    static void updateSettings(ObjectNode document, SettingsForm form) {
        ObjectNode partition = object(document, "partitionConfiguration");
        String rule = SettingsForm.text(form.partitionRule());
        boolean byProduct = switch (rule) {
            case "product", "location-and-product" -> true;
            case "location" -> false;
            default ->
                throw new InvalidInputException(
                        "partitionRule", "must be location, product or location-and-product");
        };
        boolean byLocation = !rule.equals("product");
        put(partition, "useProductId", Json.mapper().getNodeFactory().booleanNode(byProduct));
        put(partition, "useDimensions", Json.mapper().getNodeFactory().booleanNode(byLocation));
        ObjectNode index = object(document, "indexConfiguration");
        put(
                index,
                "indexAttributeSets",
                indexSets("indexSets", SettingsForm.text(form.indexSets())));

        ObjectNode reserv = object(document, "reservConfiguration");
        putBoolean(reserv, "isReservEnabled", SettingsForm.on(form.reservationsEnabled()));
        put(
                reserv,
                "version",
                Json.mapper()
                        .getNodeFactory()
                        .numberNode(SettingsForm.required(
                                "reservationVersion", form.reservationVersion())));
        put(
                reserv,
                "keys",
                strings(list("reservationKeys", SettingsForm.text(form.reservationKeys()))));

        ObjectNode schedule = object(document, "scheduleConfiguration");
        putBoolean(schedule, "isScheduleEnabled", SettingsForm.on(form.scheduleEnabled()));
        put(
                schedule,
                "schedulePeriodInDays",
                Json.mapper()
                        .getNodeFactory()
                        .numberNode(SettingsForm.required(
                                "schedulePeriodDays", form.schedulePeriodDays())));
        List<String> atpMeasures = list("atpMeasures", SettingsForm.text(form.atpMeasures()));
        JsonNode atpBefore = Json.field(schedule, "atpCalculatedMeasures", "scheduleConfiguration");
        put(
                schedule,
                "atpCalculatedMeasures",
                atpBefore != null && atpBefore.isObject()
                        ? atpPeriods(atpBefore, atpMeasures, form.schedulePeriodDays())
                        : strings(atpMeasures));
        put(
                schedule,
                "indexAttributeSets",
                indexSets("atpIndexSets", SettingsForm.text(form.atpIndexSets())));

        ObjectNode allocation = object(document, "allocationConfiguration");
        List<String> groups = list("allocationGroups", SettingsForm.text(form.allocationGroups()));
        putBoolean(allocation, "isEnabled", SettingsForm.on(form.allocationEnabled()));
        remove(allocation, "isAllocationEnabled");
        put(allocation, "groups", strings(groups));
        // groupsOrder says the same as groups; keep the two in step so they cannot disagree.
        ObjectNode order = Json.mapper().createObjectNode();
        for (int level = 0; level < groups.size(); level++) {
            order.put(groups.get(level), "g" + level);
        }
        put(allocation, "groupsOrder", order);
    }

    /** Items separated by commas or line breaks, trimmed, empty ones dropped. */
    static List<String> list(String field, String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split("[,\\n]")) {
            String clean = item.strip();
            if (!clean.isEmpty()) {
                items.add(Json.requireStorable(field, clean));
            }
            if (items.size() > LINES_MAX) {
                throw new InvalidInputException(field, "has more than " + LINES_MAX + " items");
            }
        }
        return items;
    }

    /** {@code name = value} lines, in order; blank lines are skipped. */
    static Map<String, String> pairLines(String field, String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int number = 0;
        for (String line : text.split("\\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            String where = field + " line " + number;
            if (equals <= 0 || line.substring(0, equals).isBlank()) {
                throw new InvalidInputException(
                        where, "'" + line.strip() + "' must be name = value");
            }
            String name = Json.requireStorable(where, line.substring(0, equals).strip());
            if (pairs.put(
                            name.toLowerCase(Locale.ROOT),
                            line.substring(equals + 1).strip())
                    != null) {
                throw new InvalidInputException(where, "'" + name + "' is given twice");
            }
            if (pairs.size() > LINES_MAX) {
                throw new InvalidInputException(field, "has more than " + LINES_MAX + " lines");
            }
        }
        return pairs;
    }

    private static ObjectNode pairs(String field, String text) {
        ObjectNode node = Json.mapper().createObjectNode();
        pairLines(field, text).forEach((name, value) -> {
            if (value.isEmpty()) {
                throw new InvalidInputException(field + "." + name, "needs a value after =");
            }
            node.put(name, Json.requireStorable(field + "." + name, value));
        });
        return node;
    }

    /** One index set per line, its dimensions separated by commas; numbered from 1. */
    private static ArrayNode indexSets(String field, String text) {
        ArrayNode sets = Json.mapper().createArrayNode();
        int number = 0;
        for (String line : text.split("\\n")) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode set = sets.addObject();
            set.put("setNumber", ++number);
            set.set("keys", strings(list(field, line)));
        }
        return sets;
    }

    /**
     * Keeps the original's object form of ATP measures, with each kept measure's own period; an
     * added measure gets the schedule period.
     */
    private static ObjectNode atpPeriods(
            JsonNode before, List<String> measures, @Nullable Integer periodDays) {
        ObjectNode periods = Json.mapper().createObjectNode();
        for (String qualified : measures) {
            MeasureRef ref = MeasureRef.parse("atpMeasures", qualified);
            JsonNode kept = null;
            for (Map.Entry<String, JsonNode> source : before.properties()) {
                if (source.getKey().equalsIgnoreCase(ref.dataSource())
                        && source.getValue().isObject()) {
                    kept = Json.field(source.getValue(), ref.measure(), "atpCalculatedMeasures");
                }
            }
            JsonNode days =
                    kept != null ? kept : periods.numberNode(periodDays == null ? 30 : periodDays);
            JsonNode source = periods.get(ref.dataSource());
            ObjectNode target =
                    source instanceof ObjectNode o ? o : periods.putObject(ref.dataSource());
            target.set(ref.measure(), days);
        }
        return periods;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = Json.mapper().createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static JsonNode systems(ObjectNode document) {
        JsonNode systems = Json.field(document, SYSTEMS, "");
        if (systems == null) {
            return document.putObject(SYSTEMS);
        }
        if (!systems.isArray() && !systems.isObject()) {
            throw new InvalidInputException(SYSTEMS, "must be a JSON object or array");
        }
        return systems;
    }

    static @Nullable ObjectNode findDataSource(ObjectNode document, String name) {
        JsonNode systems = systems(document);
        if (systems.isArray()) {
            for (JsonNode item : systems.values()) {
                if (item.isObject() && name.equalsIgnoreCase(dataSourceName(item, null))) {
                    return (ObjectNode) item;
                }
            }
            return null;
        }
        for (Map.Entry<String, JsonNode> entry : systems.properties()) {
            if (entry.getValue().isObject()
                    && name.equalsIgnoreCase(dataSourceName(entry.getValue(), entry.getKey()))) {
                return (ObjectNode) entry.getValue();
            }
        }
        return null;
    }

    private static @Nullable String dataSourceName(JsonNode ds, @Nullable String key) {
        String name = ds.isObject() ? Json.optionalText(ds, "dataSourceName", SYSTEMS) : null;
        return name == null ? key : name.strip();
    }

    /** The object field {@code name}, created when missing. */
    private static ObjectNode object(ObjectNode parent, String name) {
        JsonNode node = Json.field(parent, name, "");
        if (node instanceof ObjectNode object) {
            return object;
        }
        if (node != null) {
            throw new InvalidInputException(name, "must be a JSON object");
        }
        return parent.putObject(name);
    }

    private static void putBoolean(ObjectNode parent, String name, boolean value) {
        put(parent, name, Json.mapper().getNodeFactory().booleanNode(value));
    }

    /** Sets a field, replacing it in place whatever its spelling, or appending it. */
    private static void put(ObjectNode parent, String name, JsonNode value) {
        ObjectNode rebuilt = Json.mapper().createObjectNode();
        boolean placed = false;
        for (Map.Entry<String, JsonNode> entry : parent.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                if (!placed) {
                    rebuilt.set(name, value);
                    placed = true;
                }
            } else {
                rebuilt.set(entry.getKey(), entry.getValue());
            }
        }
        if (!placed) {
            rebuilt.set(name, value);
        }
        parent.removeAll();
        parent.setAll(rebuilt);
    }

    private static void remove(ObjectNode parent, String name) {
        parent.properties().removeIf(entry -> entry.getKey().equalsIgnoreCase(name));
    }
}
