package io.ivs.bench;

import io.ivs.core.config.PartitionRule;
import io.ivs.core.dimension.DimensionSet;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.event.EventId;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.onhand.PartitionIds;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.onhand.ResolvedChange;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The logical changes of the benchmark. Batch {@code n} of a stream is always the same events, so
 * IVS and the ceilings can be given identical work; only the event ids carry a stream prefix.
 */
final class Events {
    static final String ORGANIZATION = "usmf";
    static final MeasureRef INBOUND = new MeasureRef("pos", "inbound");

    private Events() {}

    /** One on-hand change: +quantity of pos.inbound at (product, site, location, colour). */
    record Event(
            String id,
            String productId,
            String siteId,
            String locationId,
            String colorId,
            int quantity) {}

    /** The product and warehouse space random changes are drawn from. */
    record Space(int products, int sites, int locationsPerSite, int colors) {
        long records() {
            return (long) products * sites * locationsPerSite * colors;
        }
    }

    /** Batch {@code batch} of a stream of random changes: same batch number, same events. */
    static List<Event> randomBatch(String stream, long batch, int size, Space space) {
        SplittableRandom random = new SplittableRandom(batch * 0x9E3779B97F4A7C15L + 17);
        List<Event> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(new Event(
                    stream + "-" + batch + "-" + i,
                    product(random.nextInt(space.products())),
                    "S" + random.nextInt(space.sites()),
                    "L" + random.nextInt(space.locationsPerSite()),
                    "C" + random.nextInt(space.colors()),
                    1 + random.nextInt(10)));
        }
        return events;
    }

    /**
     * Events {@code first .. first+size-1} of a load that creates one new record per event:
     * record {@code r} is product {@code r / perProduct} at one of {@code perProduct} warehouses.
     */
    static List<Event> distinctRecords(String stream, long first, int size, int perProduct) {
        List<Event> events = new ArrayList<>(size);
        for (long r = first; r < first + size; r++) {
            int slot = (int) (r % perProduct);
            events.add(new Event(
                    stream + "-" + r,
                    product(r / perProduct),
                    "S" + (slot % 2),
                    "L" + (slot / 2),
                    "C0",
                    1 + (int) (r % 10)));
        }
        return events;
    }

    static String product(long index) {
        return "P" + index;
    }

    static byte[] json(List<Event> events) {
        StringBuilder out = new StringBuilder(events.size() * 190).append('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendJson(out, events.get(i));
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(Event event) {
        StringBuilder out = new StringBuilder(200);
        appendJson(out, event);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Ids and values are letters and digits only, so no escaping is needed. */
    private static void appendJson(StringBuilder out, Event e) {
        out.append("{\"id\":\"")
                .append(e.id())
                .append("\",\"organizationId\":\"")
                .append(ORGANIZATION)
                .append("\",\"productId\":\"")
                .append(e.productId())
                .append("\",\"dimensions\":{\"siteId\":\"")
                .append(e.siteId())
                .append("\",\"locationId\":\"")
                .append(e.locationId())
                .append("\",\"colorId\":\"")
                .append(e.colorId())
                .append("\"},\"quantities\":{\"pos\":{\"inbound\":")
                .append(e.quantity())
                .append("}}}");
    }

    /** The event as IVS resolves it under the default configuration (by-location partitions). */
    static ResolvedChange resolve(String environmentId, Event e) {
        DimensionSet dims = DimensionSet.of(
                Map.of("siteid", e.siteId(), "locationid", e.locationId(), "colorid", e.colorId()));
        RecordKey record =
                new RecordKey(EnvironmentId.of(environmentId), ORGANIZATION, e.productId(), dims);
        TreeMap<MeasureRef, BigDecimal> quantities = new TreeMap<>();
        quantities.put(INBOUND, BigDecimal.valueOf(e.quantity()));
        String partition =
                PartitionIds.of(PartitionRule.BY_LOCATION, ORGANIZATION, e.productId(), dims);
        return new ResolvedChange(EventId.of(e.id()), record, partition, quantities, null);
    }
}
