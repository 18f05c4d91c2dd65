package io.ivs.core.simulation;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.PartitionRule;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.CalculatedMeasure;
import io.ivs.core.measure.MeasureRef;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small Inventory Visibility written straight from the spec ({@code iv-core.md} §2.1–§2.9 and
 * the recommendations of §7), sharing no rule with the core: it reads only the data of the
 * configuration (measures, formulas, mappings, switches) into plain strings and keeps records as
 * nested maps. Events are applied one after another, each seeing the ones before it.
 *
 * <p>Names are lower-case (A14); the partition rule is by location; a warehouse (site and
 * location) is a partition.
 */
final class ReferenceModel {
    /** A stored record: organization, product and its base dimensions (lower-case names). */
    record Key(String organization, String product, TreeMap<String, String> dimensions) {
        String warehouse() {
            return organization + "/" + dimensions.getOrDefault("siteid", "") + "/"
                    + dimensions.getOrDefault("locationid", "");
        }
    }

    /** A calculated measure: Σ additions − Σ subtractions, each "ds.measure". */
    record Calculated(List<String> additions, List<String> subtractions) {
        boolean hasComponentIn(Map<String, BigDecimal> row) {
            return additions.stream().anyMatch(row::containsKey)
                    || subtractions.stream().anyMatch(row::containsKey);
        }

        BigDecimal of(Map<String, BigDecimal> row) {
            BigDecimal value = BigDecimal.ZERO;
            for (String add : additions) {
                value = value.add(row.getOrDefault(add, BigDecimal.ZERO));
            }
            for (String sub : subtractions) {
                value = value.subtract(row.getOrDefault(sub, BigDecimal.ZERO));
            }
            return value;
        }
    }

    /**
     * Why the spec refuses a write, in the model's own words; the simulation maps each to the
     * core's rejection code only where it compares answers, so that the model does not follow
     * the core's naming.
     */
    enum Refusal {
        /** The request breaks a rule of its shape: an unknown measure, a zero, no warehouse. */
        MALFORMED,
        /** A reservation without site or location, which no partition can hold (A7). */
        NO_WAREHOUSE,
        /** A checked reserve that would take back stock (§2.4). */
        CHECKED_CANCEL,
        /** Reservations are switched off. */
        SWITCHED_OFF,
        /** A data source the client may not write (fno). */
        READ_ONLY_SOURCE,
        /** The reservation id names no reservation at those dimensions. */
        NO_SUCH_RESERVATION,
        /** The event id was used before for other content (A1). */
        ID_REUSED,
        /** A checked reserve asks for more than is available to reserve (A10). */
        NOT_ENOUGH_TO_RESERVE
    }

    /**
     * One answer: accepted (with a message, or with released and invalid quantities for an
     * unreserve) or rejected for a reason.
     */
    record Answer(
            boolean accepted,
            @Nullable Refusal reason,
            String message,
            BigDecimal released,
            BigDecimal invalid) {
        static Answer ok(String message) {
            return new Answer(true, null, message, BigDecimal.ZERO, BigDecimal.ZERO);
        }

        static Answer rejected(Refusal reason) {
            return new Answer(false, reason, "", BigDecimal.ZERO, BigDecimal.ZERO);
        }

        static Answer unreserved(BigDecimal released, BigDecimal invalid) {
            return new Answer(true, null, "", released, invalid);
        }

        @Override
        public String toString() {
            if (!accepted) {
                return "rejected " + reason;
            }
            return message.isEmpty() && released.signum() == 0 && invalid.signum() == 0
                    ? "accepted"
                    : "accepted '" + message + "' released " + released + " invalid " + invalid;
        }
    }

    /** A processed event id: what it carried, its answer, and the warehouse of its effect. */
    private record Processed(String payload, Answer answer, String warehouse) {}

    /** A reservation: the record it lies on and its measure (A8). */
    record Reservation(Key key, String measure) {}

    private static final Set<String> BASE_DIMENSIONS =
            Set.of("siteid", "locationid", "colorid", "sizeid", "styleid");

    private final Map<Key, Map<String, BigDecimal>> records = new LinkedHashMap<>();
    /** When each (record, measure) was last set by set on-hand (A5). */
    private final Map<Key, Map<String, Instant>> setAt = new HashMap<>();

    private final Map<String, Processed> processed = new HashMap<>();
    /** Net quantity reserved through each reservation (A8). */
    private final Map<Reservation, BigDecimal> ledgers = new LinkedHashMap<>();

    private final Map<String, Set<String>> physical = new HashMap<>();
    private final Map<String, Map<String, String>> mappings = new HashMap<>();
    private final Map<String, Calculated> calculated = new TreeMap<>();
    private final Map<String, String> reservMappings = new HashMap<>();
    private final boolean reservationsEnabled;
    private final boolean strictReservationDimensions;
    private final Set<String> reservationDimensions;

    /** Reads the data of the configuration; every rule stays here. */
    ReferenceModel(RuntimeConfiguration config) {
        if (config.partitionRule() != PartitionRule.BY_LOCATION) {
            throw new IllegalArgumentException("the model knows the by-location rule only");
        }
        for (DataSourceConfig ds : config.dataSources().values()) {
            String name = lower(ds.name());
            physical.put(name, lowerAll(ds.physicalMeasures()));
            Map<String, String> mapping = new HashMap<>();
            ds.dimensionMappings().forEach((k, v) -> mapping.put(lower(k), lower(v)));
            mappings.put(name, mapping);
            for (CalculatedMeasure measure : ds.calculatedMeasures().values()) {
                calculated.put(
                        name + "." + lower(measure.name()),
                        new Calculated(names(measure.additions()), names(measure.subtractions())));
            }
            ds.reservMappings()
                    .forEach((m, target) -> reservMappings.put(
                            name + "." + lower(m),
                            lower(target.dataSource() + "." + target.measure())));
        }
        reservationsEnabled = config.reservation().enabled();
        strictReservationDimensions = config.reservation().version() == 0;
        reservationDimensions = lowerAll(config.reservation().keys());
    }

    private static List<String> names(List<MeasureRef> refs) {
        return refs.stream().map(r -> lower(r.dataSource() + "." + r.measure())).toList();
    }

    private static Set<String> lowerAll(java.util.Collection<String> names) {
        Set<String> out = new TreeSet<>();
        names.forEach(n -> out.add(lower(n)));
        return out;
    }

    // ---- validation (spec §2.1, §2.2, A5, A6, A15b, A19) -------------------------------------

    /** Base dimensions of an event, or null when a name does not resolve (§2.1). */
    TreeMap<String, String> resolve(String dataSource, Map<String, String> raw) {
        Map<String, String> mapping =
                dataSource == null ? Map.of() : mappings.getOrDefault(lower(dataSource), Map.of());
        TreeMap<String, String> base = new TreeMap<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String name = lower(entry.getKey());
            String resolved = mapping.getOrDefault(name, name);
            if (!BASE_DIMENSIONS.contains(resolved)) {
                return null;
            }
            base.put(resolved, entry.getValue());
        }
        return base;
    }

    private static boolean hasWarehouse(Map<String, String> dims) {
        return !dims.getOrDefault("siteid", "").isBlank()
                && !dims.getOrDefault("locationid", "").isBlank();
    }

    /** The reason an on-hand write is refused, or null; {@code setSystem} null for a change. */
    private @Nullable Refusal refusal(
            TreeMap<String, String> dims, Map<String, BigDecimal> values, String setSystem) {
        if (dims == null || !hasWarehouse(dims)) {
            return Refusal.MALFORMED;
        }
        for (String qualified : values.keySet()) {
            String ds = qualified.substring(0, qualified.indexOf('.'));
            if (ds.equals("fno")) {
                return Refusal.READ_ONLY_SOURCE;
            }
            Set<String> measures = physical.get(ds);
            if (measures == null
                    || !measures.contains(qualified.substring(qualified.indexOf('.') + 1))
                    || (setSystem != null && !ds.equals(lower(setSystem)))) {
                return Refusal.MALFORMED;
            }
        }
        return values.isEmpty() ? Refusal.MALFORMED : null;
    }

    /** The same content makes the same event, whatever the number's scale or the names' form. */
    private static String payload(Key key, Map<String, BigDecimal> values, String extra) {
        StringBuilder out = new StringBuilder(key.toString());
        new TreeMap<>(values)
                .forEach((m, q) -> out.append(' ')
                        .append(m)
                        .append('=')
                        .append(q.stripTrailingZeros().toPlainString()));
        return out.append(' ').append(extra).toString();
    }

    /** The earlier answer to a known id, a conflict for other content, or null for a new id. */
    private Answer replay(String family, String id, String payload) {
        Processed known = processed.get(family + " " + id);
        if (known == null) {
            return null;
        }
        return known.payload().equals(payload)
                ? known.answer()
                : Answer.rejected(Refusal.ID_REUSED);
    }

    private void remember(String family, String id, String payload, Answer answer, Key key) {
        processed.put(family + " " + id, new Processed(payload, answer, key.warehouse()));
    }

    // ---- writes ------------------------------------------------------------------------------

    /** §2.2: adds each delta; a known id answers as before (A1). */
    Answer change(
            String id,
            String org,
            String product,
            String dataSource,
            Map<String, String> raw,
            Map<String, BigDecimal> deltas) {
        TreeMap<String, String> dims = resolve(dataSource, raw);
        Refusal refused = refusal(dims, deltas, null);
        if (refused != null) {
            return Answer.rejected(refused);
        }
        Key key = new Key(org, product, dims);
        String payload = payload(key, deltas, "");
        Answer earlier = replay("change", id, payload);
        if (earlier != null) {
            return earlier;
        }
        Map<String, BigDecimal> values = records.computeIfAbsent(key, k -> new TreeMap<>());
        deltas.forEach((m, q) -> values.merge(m, q, BigDecimal::add));
        Answer answer = Answer.ok("");
        remember("change", id, payload, answer, key);
        return answer;
    }

    /** One item of a set on-hand request. */
    record SetItem(
            String id,
            String org,
            String product,
            Map<String, String> dimensions,
            Map<String, BigDecimal> values,
            Instant modifiedAt) {}

    /**
     * §2.3 and A5: each item overwrites its measures unless a later observation was set; the
     * stale measure stays and the answer says so. Without a time, the observation is made
     * {@code now}. The items of one request are applied in order, and an item whose value a later
     * observation of the same request replaced is stale as well: the request is one batch of
     * observations, and only the latest of each record and measure lands.
     */
    List<Answer> set(String system, List<SetItem> items, Instant now) {
        Answer[] answers = new Answer[items.size()];
        Map<String, SetItem> fresh = new LinkedHashMap<>();
        Map<String, TreeSet<String>> stale = new HashMap<>();
        Map<String, Map<String, Instant>> observed = new LinkedHashMap<>();
        Map<Integer, String> sameAsFresh = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            SetItem item = items.get(i);
            TreeMap<String, String> dims = resolve(null, item.dimensions());
            Refusal refused = refusal(dims, item.values(), system);
            if (refused != null) {
                answers[i] = Answer.rejected(refused);
                continue;
            }
            Key key = new Key(item.org(), item.product(), dims);
            String payload = payload(
                    key,
                    item.values(),
                    item.modifiedAt() == null ? "" : item.modifiedAt().toString());
            Answer earlier = replay("set", item.id(), payload);
            if (earlier != null) {
                answers[i] = earlier;
                if (earlier.accepted() && fresh.containsKey(item.id())) {
                    sameAsFresh.put(i, item.id());
                }
                continue;
            }
            Instant at = item.modifiedAt() == null ? now : item.modifiedAt();
            TreeSet<String> staleHere = stale.computeIfAbsent(item.id(), k -> new TreeSet<>());
            Map<String, BigDecimal> stored = records.computeIfAbsent(key, k -> new TreeMap<>());
            Map<String, Instant> stamps = setAt.computeIfAbsent(key, k -> new HashMap<>());
            item.values().forEach((m, q) -> {
                Instant last = stamps.get(m);
                if (last == null || !at.isBefore(last)) {
                    stored.put(m, q);
                    stamps.put(m, at);
                } else {
                    staleHere.add(m);
                }
                observed.computeIfAbsent(key + " " + m, k -> new LinkedHashMap<>())
                        .put(item.id(), at);
            });
            fresh.put(item.id(), item);
            remember("set", item.id(), payload, Answer.ok(""), key);
        }
        // Observations a later one of the same request replaced.
        observed.forEach((keyAndMeasure, times) -> {
            Instant latest = times.values().stream().max(Instant::compareTo).orElseThrow();
            String measure = keyAndMeasure.substring(keyAndMeasure.lastIndexOf(' ') + 1);
            times.forEach((id, at) -> {
                if (at.isBefore(latest)) {
                    stale.get(id).add(measure);
                }
            });
        });
        Map<String, Answer> finals = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            SetItem item = items.get(i);
            if (answers[i] == null) {
                List<String> messages = new ArrayList<>();
                stale.get(item.id())
                        .forEach(m -> messages.add("stale: " + m
                                + " was set from a later observation and is unchanged"));
                answers[i] = Answer.ok(String.join("; ", messages));
                Processed kept = processed.get("set " + item.id());
                processed.put(
                        "set " + item.id(),
                        new Processed(kept.payload(), answers[i], kept.warehouse()));
                finals.put(item.id(), answers[i]);
            }
        }
        sameAsFresh.forEach((i, id) -> answers[i] = finals.get(id));
        return List.of(answers);
    }

    /** The reason a reservation's dimensions are refused (§2.4 step 2, A6, A7), or null. */
    private @Nullable Refusal dimensionRefusal(TreeMap<String, String> dims) {
        if (dims == null) {
            return Refusal.MALFORMED;
        }
        if (strictReservationDimensions && !reservationDimensions.containsAll(dims.keySet())) {
            return Refusal.MALFORMED;
        }
        return hasWarehouse(dims) ? null : Refusal.NO_WAREHOUSE;
    }

    /**
     * §2.4: with the check, the mapped available-to-reserve measure aggregated over every record
     * at or below the requested dimensions (A10) must cover the quantity; then the quantity is
     * added to the reservation measure on the record of those dimensions and to the ledger.
     */
    Answer reserve(
            String id,
            String org,
            String product,
            Map<String, String> raw,
            String measure,
            BigDecimal quantity,
            boolean check) {
        if (!reservationsEnabled) {
            return Answer.rejected(Refusal.SWITCHED_OFF);
        }
        if (quantity.signum() == 0) {
            return Answer.rejected(Refusal.MALFORMED);
        }
        TreeMap<String, String> dims = resolve(null, raw);
        Refusal refused = dimensionRefusal(dims);
        if (refused != null) {
            return Answer.rejected(refused);
        }
        if (check && quantity.signum() < 0) {
            return Answer.rejected(Refusal.CHECKED_CANCEL);
        }
        String target = reservMappings.get(measure);
        if (check && (target == null || !calculated.containsKey(target))) {
            return Answer.rejected(Refusal.MALFORMED);
        }
        Key key = new Key(org, product, dims);
        String payload = payload(key, Map.of(measure, quantity), "check=" + check);
        Answer earlier = replay("reserve", id, payload);
        if (earlier != null) {
            return earlier;
        }
        if (check && quantity.compareTo(availableAt(key, target)) > 0) {
            return Answer.rejected(Refusal.NOT_ENOUGH_TO_RESERVE);
        }
        records.computeIfAbsent(key, k -> new TreeMap<>())
                .merge(measure, quantity, BigDecimal::add);
        ledgers.merge(new Reservation(key, measure), quantity, BigDecimal::add);
        Answer answer = Answer.ok("");
        remember("reserve", id, payload, answer, key);
        return answer;
    }

    /**
     * §2.5, A8 and A9: releases min(offset, what the reservation holds), never below zero, and
     * reports the excess. {@code named} is the reservation the id stands for (null if none); it
     * must lie at the requested organization, product and dimensions.
     */
    Answer unreserve(
            String id,
            String org,
            String product,
            Map<String, String> raw,
            String reservationId,
            Reservation named,
            BigDecimal offset) {
        if (!reservationsEnabled) {
            return Answer.rejected(Refusal.SWITCHED_OFF);
        }
        if (offset.signum() <= 0) {
            return Answer.rejected(Refusal.MALFORMED);
        }
        TreeMap<String, String> dims = resolve(null, raw);
        Refusal refused = dimensionRefusal(dims);
        if (refused != null) {
            return Answer.rejected(refused);
        }
        Key key = new Key(org, product, dims);
        String payload = payload(key, Map.of(reservationId, offset), "");
        Answer earlier = replay("unreserve", id, payload);
        if (earlier != null) {
            return earlier;
        }
        BigDecimal held = named == null || !named.key().equals(key) ? null : ledgers.get(named);
        if (held == null) {
            return Answer.rejected(Refusal.NO_SUCH_RESERVATION);
        }
        BigDecimal released = offset.min(held.max(BigDecimal.ZERO));
        Answer answer = Answer.unreserved(released, offset.subtract(released));
        if (released.signum() > 0) {
            ledgers.merge(named, released.negate(), BigDecimal::add);
            records.computeIfAbsent(key, k -> new TreeMap<>())
                    .merge(named.measure(), released.negate(), BigDecimal::add);
        }
        remember("unreserve", id, payload, answer, key);
        return answer;
    }

    /** §2.6: reverses every reservation on the data sources (all when empty); answers how many. */
    int reverseReservations(Set<String> dataSources) {
        int reversed = 0;
        for (Map.Entry<Reservation, BigDecimal> ledger : ledgers.entrySet()) {
            Reservation reservation = ledger.getKey();
            String ds = reservation.measure().substring(0, reservation.measure().indexOf('.'));
            if (ledger.getValue().signum() == 0
                    || (!dataSources.isEmpty() && !dataSources.contains(ds))) {
                continue;
            }
            records.get(reservation.key())
                    .merge(reservation.measure(), ledger.getValue().negate(), BigDecimal::add);
            ledger.setValue(BigDecimal.ZERO);
            reversed++;
        }
        return reversed;
    }

    /**
     * Deletes a warehouse's records, the reservations on them, and the event ids whose effect
     * lay there (an id is remembered as long as the data it changed); answers how many records.
     */
    int deleteWarehouse(String org, String site, String location) {
        String warehouse = org + "/" + site + "/" + location;
        int before = records.size();
        records.keySet().removeIf(k -> k.warehouse().equals(warehouse));
        setAt.keySet().removeIf(k -> k.warehouse().equals(warehouse));
        ledgers.keySet().removeIf(r -> r.key().warehouse().equals(warehouse));
        processed.values().removeIf(p -> p.warehouse().equals(warehouse));
        return before - records.size();
    }

    BigDecimal held(Reservation reservation) {
        return ledgers.getOrDefault(reservation, BigDecimal.ZERO);
    }

    /** Every reservation that exists, with its net quantity. */
    Map<Reservation, BigDecimal> ledgers() {
        return Map.copyOf(ledgers);
    }

    /** A calculated or physical measure aggregated over every record at or below {@code key}. */
    BigDecimal availableAt(Key key, String qualified) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (Map.Entry<Key, Map<String, BigDecimal>> record : records.entrySet()) {
            Key stored = record.getKey();
            if (stored.organization().equals(key.organization())
                    && stored.product().equals(key.product())
                    && stored.dimensions()
                            .entrySet()
                            .containsAll(key.dimensions().entrySet())) {
                record.getValue().forEach((m, q) -> sum.merge(m, q, BigDecimal::add));
            }
        }
        Calculated formula = calculated.get(qualified);
        return formula == null ? sum.getOrDefault(qualified, BigDecimal.ZERO) : formula.of(sum);
    }

    // ---- queries (§2.7, §2.9, A12, A13) ------------------------------------------------------

    /** One condition of a query: allowed values per dimension (an empty set allows any). */
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
     * Rows per (product, site, location, grouping values) over the organization's records that
     * pass any filter (one for an index query, one per tuple for an exact query): physical sums
     * of the measures present, and the calculated measures with a component present, a negative
     * calculated value shown as 0 unless {@code returnNegative}.
     */
    Map<String, Map<String, BigDecimal>> query(
            String org,
            Set<String> products,
            List<Filter> filters,
            List<String> grouping,
            boolean returnNegative) {
        Map<String, Map<String, BigDecimal>> sums = new TreeMap<>();
        for (Map.Entry<Key, Map<String, BigDecimal>> record : records.entrySet()) {
            Key key = record.getKey();
            if (!key.organization().equals(org)
                    || (!products.isEmpty() && !products.contains(key.product()))
                    || filters.stream().noneMatch(f -> f.test(key.dimensions()))) {
                continue;
            }
            Map<String, String> group = new TreeMap<>();
            group.put("siteid", key.dimensions().getOrDefault("siteid", ""));
            group.put("locationid", key.dimensions().getOrDefault("locationid", ""));
            for (String dimension : grouping) {
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

    static String rowKey(String product, Map<String, String> dimensions) {
        return product + " " + new TreeMap<>(dimensions);
    }

    private Map<String, BigDecimal> withCalculated(
            Map<String, BigDecimal> physicalSum, boolean returnNegative) {
        Map<String, BigDecimal> row = new TreeMap<>();
        physicalSum.forEach((m, q) -> row.put(m, q.stripTrailingZeros()));
        calculated.forEach((name, formula) -> {
            if (formula.hasComponentIn(physicalSum)) {
                BigDecimal value = formula.of(physicalSum);
                row.put(
                        name,
                        (returnNegative ? value : value.max(BigDecimal.ZERO)).stripTrailingZeros());
            }
        });
        return row;
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The warehouses holding records, for clean-ups. */
    Set<String> warehouses() {
        Set<String> out = new HashSet<>();
        records.keySet().forEach(k -> out.add(k.warehouse()));
        return out;
    }
}
