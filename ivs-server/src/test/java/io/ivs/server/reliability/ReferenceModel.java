package io.ivs.server.reliability;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small in-memory Inventory Visibility, written straight from the spec ({@code iv-core.md}
 * §2.2–2.9 and the recommendations of §7) and sharing no code with IVS: records of physical
 * measures, calculated measures evaluated on aggregated rows, idempotent event ids, set on-hand
 * with a last-writer-wins time, checked soft reservations and unreservations. The simulation
 * applies every operation to it and to IVS and compares the answers.
 *
 * <p>Names are lower-case here (spec A14); partitioning is by location; the organization is
 * always {@code usmf}.
 */
final class ReferenceModel {
    /** A stored record: product plus its full set of base dimensions (lower-case names). */
    record Key(String product, TreeMap<String, String> dimensions) {}

    /** A calculated measure: Σ additions − Σ subtractions, each "ds.measure". */
    record Calculated(List<String> additions, List<String> subtractions) {}

    /** One item's answer: the status in the envelope and, when relevant, extra numbers. */
    record Answer(int statusCode, String processingStatus, BigDecimal invalidOffset) {
        static Answer success() {
            return new Answer(200, "success", null);
        }

        static Answer failure(int status) {
            return new Answer(status, "failure", null);
        }
    }

    private final Map<Key, Map<String, BigDecimal>> records = new HashMap<>();
    /** When each (record, measure) was last set by set on-hand (spec A5). */
    private final Map<Key, Map<String, Instant>> setAt = new HashMap<>();
    /** Processed event ids per family (A1): the payload they came with. */
    private final Map<String, String> processed = new HashMap<>();
    /** Net quantity reserved through each reservation, by (product, dims, measure) (A8). */
    private final Map<String, BigDecimal> reserved = new HashMap<>();

    private Map<String, Set<String>> physical = new HashMap<>();
    private Map<String, Calculated> calculated = new HashMap<>();
    private Map<String, String> reservMappings = new HashMap<>();
    private boolean reservationsEnabled;

    /** Reads the parts of a configuration document (§3.10) the model acts on. */
    void configure(JsonNode document) {
        Map<String, Set<String>> newPhysical = new HashMap<>();
        Map<String, Calculated> newCalculated = new HashMap<>();
        Map<String, String> newReserv = new HashMap<>();
        for (Map.Entry<String, JsonNode> ds :
                document.path("inventorySystemConfigurations").properties()) {
            String name = lower(ds.getKey());
            Set<String> measures = new TreeSet<>();
            ds.getValue().path("physicalMeasures").forEach(m -> measures.add(lower(m.asString())));
            newPhysical.put(name, measures);
            for (Map.Entry<String, JsonNode> calc :
                    ds.getValue().path("calculatedMeasures").properties()) {
                newCalculated.put(
                        name + "." + lower(calc.getKey()),
                        new Calculated(
                                refs(calc.getValue().path("additionModifiers")),
                                refs(calc.getValue().path("subtractionModifiers"))));
            }
            for (Map.Entry<String, JsonNode> mapping :
                    ds.getValue().path("reservMappings").properties()) {
                newReserv.put(
                        name + "." + lower(mapping.getKey()),
                        lower(mapping.getValue().asString()));
            }
        }
        physical = newPhysical;
        calculated = newCalculated;
        reservMappings = newReserv;
        reservationsEnabled =
                document.path("reservConfiguration").path("isReservEnabled").asBoolean(false);
    }

    private static List<String> refs(JsonNode list) {
        List<String> refs = new ArrayList<>();
        list.forEach(r -> refs.add(lower(r.asString())));
        return refs;
    }

    boolean isPhysical(String qualified) {
        int dot = qualified.indexOf('.');
        Set<String> measures = physical.get(qualified.substring(0, dot));
        return measures != null && measures.contains(qualified.substring(dot + 1));
    }

    Set<String> calculatedNames() {
        return new TreeSet<>(calculated.keySet());
    }

    // ---- writes ---------------------------------------------------------------------------

    /** §2.2: adds each delta; a known id answers as before (or 409 with another payload). */
    Answer change(String id, String payload, Key key, Map<String, BigDecimal> deltas) {
        Answer duplicate = duplicate("change", id, payload);
        if (duplicate != null) {
            return duplicate;
        }
        for (String measure : deltas.keySet()) {
            if (!isPhysical(measure) || measure.startsWith("fno.")) {
                return Answer.failure(measure.startsWith("fno.") ? 403 : 400);
            }
        }
        Map<String, BigDecimal> values = records.computeIfAbsent(key, k -> new TreeMap<>());
        deltas.forEach((m, q) -> values.merge(m, q, BigDecimal::add));
        processed.put("change " + id, payload);
        return Answer.success();
    }

    /** §2.3 and A5: overwrites the given measures unless an earlier-stamped set is newer. */
    Answer set(String id, String payload, Key key, Map<String, BigDecimal> values, Instant at) {
        Answer duplicate = duplicate("set", id, payload);
        if (duplicate != null) {
            return duplicate;
        }
        Map<String, BigDecimal> stored = records.computeIfAbsent(key, k -> new TreeMap<>());
        Map<String, Instant> stamps = setAt.computeIfAbsent(key, k -> new HashMap<>());
        values.forEach((m, q) -> {
            Instant last = stamps.get(m);
            if (last == null || !at.isBefore(last)) {
                stored.put(m, q);
                stamps.put(m, at);
            }
        });
        processed.put("set " + id, payload);
        return Answer.success();
    }

    /**
     * §2.4: checks the mapped available-to-reserve measure at exactly the requested dimensions
     * (aggregating every record below them, A10), then adds to the reservation measure on the
     * record of those dimensions.
     */
    Answer reserve(
            String id,
            String payload,
            Key key,
            String measure,
            BigDecimal quantity,
            boolean check) {
        Answer duplicate = duplicate("reserve", id, payload);
        if (duplicate != null) {
            return duplicate;
        }
        if (!reservationsEnabled) {
            return Answer.failure(400);
        }
        if (check) {
            String afr = reservMappings.get(measure);
            if (quantity.signum() < 0
                    || afr == null
                    || quantity.compareTo(aggregate(key, afr)) > 0) {
                return Answer.failure(500);
            }
        }
        records.computeIfAbsent(key, k -> new TreeMap<>())
                .merge(measure, quantity, BigDecimal::add);
        reserved.merge(reservation(key, measure), quantity, BigDecimal::add);
        processed.put("reserve " + id, payload);
        return Answer.success();
    }

    /** §2.5 and A9: releases min(offset, reserved); the excess is reported, not applied. */
    Answer unreserve(String id, String payload, Key key, String measure, BigDecimal offset) {
        Answer duplicate = duplicate("unreserve", id, payload);
        if (duplicate != null) {
            return duplicate;
        }
        String reservation = reservation(key, measure);
        BigDecimal held = reserved.getOrDefault(reservation, BigDecimal.ZERO).max(BigDecimal.ZERO);
        BigDecimal released = offset.min(held);
        BigDecimal invalid = offset.subtract(released);
        if (released.signum() > 0) {
            reserved.merge(reservation, released.negate(), BigDecimal::add);
            records.computeIfAbsent(key, k -> new TreeMap<>())
                    .merge(measure, released.negate(), BigDecimal::add);
        }
        processed.put("unreserve " + id, payload);
        return new Answer(200, invalid.signum() > 0 ? "partialSuccess" : "success", invalid);
    }

    BigDecimal reservedThrough(Key key, String measure) {
        return reserved.getOrDefault(reservation(key, measure), BigDecimal.ZERO);
    }

    private static String reservation(Key key, String measure) {
        return key.product() + " " + key.dimensions() + " " + measure;
    }

    private Answer duplicate(String family, String id, String payload) {
        String known = processed.get(family + " " + id);
        if (known == null) {
            return null;
        }
        return known.equals(payload) ? Answer.success() : Answer.failure(409);
    }

    /** A calculated or physical measure summed over every record matching {@code key}. */
    private BigDecimal aggregate(Key key, String qualified) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (Map.Entry<Key, Map<String, BigDecimal>> record : records.entrySet()) {
            if (record.getKey().product().equals(key.product())
                    && matches(record.getKey().dimensions(), key.dimensions())) {
                record.getValue().forEach((m, q) -> sum.merge(m, q, BigDecimal::add));
            }
        }
        Map<String, BigDecimal> row = withCalculated(sum, true);
        return row.getOrDefault(qualified, BigDecimal.ZERO);
    }

    private static boolean matches(Map<String, String> record, Map<String, String> wanted) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(record.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    // ---- queries --------------------------------------------------------------------------

    /** One condition of a query: allowed values per dimension (empty = any). */
    record Filter(Map<String, Set<String>> allowed) {
        boolean test(Map<String, String> dimensions) {
            for (Map.Entry<String, Set<String>> e : allowed.entrySet()) {
                if (!e.getValue().isEmpty()
                        && !e.getValue().contains(dimensions.getOrDefault(e.getKey(), ""))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * §2.7: rows per (product, site, location, group-by values) over the records that pass any
     * of the filters (one for an index query, one per tuple for an exact query, §2.9); physical
     * measures with a stored value and calculated measures with a component (A13), negative
     * calculated values clamped to 0 unless {@code returnNegative} (A12).
     */
    Map<String, Map<String, BigDecimal>> query(
            Set<String> products,
            List<Filter> filters,
            List<String> groupBy,
            boolean returnNegative) {
        Map<String, Map<String, BigDecimal>> sums = new TreeMap<>();
        for (Map.Entry<Key, Map<String, BigDecimal>> record : records.entrySet()) {
            Key key = record.getKey();
            if (!products.isEmpty() && !products.contains(key.product())) {
                continue;
            }
            if (filters.stream().noneMatch(f -> f.test(key.dimensions()))) {
                continue;
            }
            Map<String, String> group = new TreeMap<>();
            for (String dimension : groupByWithPartition(groupBy)) {
                group.put(dimension, key.dimensions().getOrDefault(dimension, ""));
            }
            Map<String, BigDecimal> sum =
                    sums.computeIfAbsent(rowKey(key.product(), group), k -> new TreeMap<>());
            record.getValue().forEach((m, q) -> sum.merge(m, q, BigDecimal::add));
        }
        Map<String, Map<String, BigDecimal>> rows = new TreeMap<>();
        sums.forEach((k, sum) -> rows.put(k, withCalculated(sum, returnNegative)));
        return rows;
    }

    static List<String> groupByWithPartition(List<String> groupBy) {
        List<String> all = new ArrayList<>(List.of("siteid", "locationid"));
        for (String dimension : groupBy) {
            if (!all.contains(dimension)) {
                all.add(dimension);
            }
        }
        return all;
    }

    /** How rows are named in comparisons: product and dimension values ("" = absent). */
    static String rowKey(String product, Map<String, String> dimensions) {
        Map<String, String> present = new TreeMap<>();
        dimensions.forEach((k, v) -> {
            if (!v.isEmpty()) {
                present.put(k, v);
            }
        });
        return product + " " + present;
    }

    private Map<String, BigDecimal> withCalculated(
            Map<String, BigDecimal> physicalSum, boolean returnNegative) {
        Map<String, BigDecimal> row = new TreeMap<>(physicalSum);
        for (Map.Entry<String, Calculated> calc : calculated.entrySet()) {
            Calculated formula = calc.getValue();
            boolean present = false;
            BigDecimal value = BigDecimal.ZERO;
            for (String add : formula.additions()) {
                present |= physicalSum.containsKey(add);
                value = value.add(physicalSum.getOrDefault(add, BigDecimal.ZERO));
            }
            for (String sub : formula.subtractions()) {
                present |= physicalSum.containsKey(sub);
                value = value.subtract(physicalSum.getOrDefault(sub, BigDecimal.ZERO));
            }
            if (present) {
                row.put(calc.getKey(), returnNegative ? value : value.max(BigDecimal.ZERO));
            }
        }
        return row;
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static Map<String, BigDecimal> normalized(Map<String, BigDecimal> values) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.stripTrailingZeros()));
        return out;
    }
}
