package io.ivs.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Helpers shared by the allocation tests (spec part B): switching allocation on with a chosen
 * available-to-allocate formula, building allocation requests, reading buckets through
 * {@code …/allocation/query} and the record's measures through the index query.
 */
public abstract class AllocationTestSupport extends QueryTestSupport {
    static final String[] GROUP_NAMES = {"channel", "customerGroup", "region", "orderType"};
    static final String ORG = "usmf";
    static final String BIKE = "Bike";
    static final Map<String, Object> RED =
            dims("siteId", "1", "locationId", "11", "colorId", "red");
    static final Map<String, String> US = groups("Online", "VIP", "US");
    static final Map<String, String> EU = groups("Online", "VIP", "EU");

    /** A group path by level names of the default hierarchy, top-down. */
    public static Map<String, String> groups(String... values) {
        Map<String, String> groups = new LinkedHashMap<>();
        for (int level = 0; level < values.length; level++) {
            groups.put(GROUP_NAMES[level], values[level]);
        }
        return groups;
    }

    /**
     * Switches allocation and reservations on and sets {@code @iv.@available_to_allocate} and
     * {@code iv.availabletoreserve} to the same formula (B.2.3: with soft reservation both
     * should be the same expression).
     */
    void enableAllocation(String[] additions, String[] subtractions) {
        configure(document -> {
            ((ObjectNode) document.get("allocationConfiguration")).put("isEnabled", true);
            ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
            ObjectNode systems = (ObjectNode) document.get("inventorySystemConfigurations");
            ObjectNode iv = (ObjectNode) systems.get("@iv");
            ((ObjectNode) iv.get("calculatedMeasures")).remove("@available_to_allocate");
            calculated(iv, "@available_to_allocate", additions, subtractions);
            ObjectNode ivReservations = (ObjectNode) systems.get("iv");
            ((ObjectNode) ivReservations.get("calculatedMeasures")).remove("availabletoreserve");
            calculated(ivReservations, "availabletoreserve", additions, subtractions);
        });
    }

    /**
     * The B.6.1 formula without {@code fno}: {@code +pos.inbound −iv.softreserved
     * −@iv.@allocated}. {@code fno} measures can only be written by the ERP integration, never
     * through the API, so {@code fno.onordered} of the doc formula (0 in B.6.1) is left out.
     */
    void enableAllocationWithPosSupply() {
        enableAllocation(
                new String[] {"pos.inbound"}, new String[] {"iv.softreserved", "@iv.@allocated"});
    }

    /** Adds {@code quantity} to {@code ds.measure} of the record at {@code dimensions}. */
    void stock(String id, Map<String, Object> dimensions, String ds, String measure, int quantity) {
        post(event(id, ORG, BIKE, dimensions, ds, measure, quantity));
    }

    /** An allocation write body at the red bike record. */
    static Map<String, Object> request(String id, Map<String, String> groups, Object quantity) {
        return request(id, RED, groups, quantity);
    }

    static Map<String, Object> request(
            String id, Map<String, Object> dimensions, Map<String, String> groups, Object qty) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("organizationId", ORG);
        body.put("productId", BIKE);
        body.put("dimensions", dimensions);
        body.put("groups", groups);
        body.put("quantity", qty);
        return body;
    }

    static Map<String, Object> reallocation(
            String id, Map<String, String> source, Map<String, String> target, Object quantity) {
        Map<String, Object> body = request(id, target, quantity);
        body.put("sourceGroups", source);
        return body;
    }

    /** A consume body naming one real measure with a direction word. */
    static Map<String, Object> consumption(
            String id,
            Map<String, String> groups,
            Object quantity,
            String ds,
            String measure,
            String direction) {
        Map<String, Object> body = request(id, groups, quantity);
        body.put("physicalMeasures", IvsClient.map(ds, IvsClient.map(measure, direction)));
        return body;
    }

    /** Posts an allocation write ({@code allocate}, {@code unallocate}, …) as it is. */
    IvsClient.Response write(String operation, Map<String, Object> body) {
        return client.post(api("/allocation/" + operation), IvsClient.json(body));
    }

    /** Posts an allocation write that must succeed; answers its body. */
    JsonNode success(String operation, Map<String, Object> body) {
        IvsClient.Response response = write(operation, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answer = response.json();
        assertThat(answer.path("processingStatus").asString())
                .as(response.body())
                .isEqualTo("success");
        assertThat(answer.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        assertThat(answer.path("id").asString()).isEqualTo(body.get("id"));
        return answer;
    }

    /** Posts an allocation query; answers the raw response. */
    IvsClient.Response queryResponse(Map<String, Object> dimensions, Map<String, String> groups) {
        return client.post(
                api("/allocation/query"),
                IvsClient.json(IvsClient.map(
                        "organizationId",
                        ORG,
                        "productId",
                        BIKE,
                        "dimensions",
                        dimensions,
                        "groups",
                        groups)));
    }

    /** Buckets at exactly {@code dimensions} under the group prefix, keyed by "v0/v1/…". */
    Map<String, Balance> buckets(Map<String, Object> dimensions, Map<String, String> groups) {
        IvsClient.Response response = queryResponse(dimensions, groups);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rows = response.json();
        assertThat(rows.isArray()).as(response.body()).isTrue();
        Map<String, Balance> buckets = new TreeMap<>();
        for (JsonNode row : rows) {
            assertThat(row.path("organizationId").asString()).isEqualTo(ORG);
            assertThat(row.path("productId").asString()).isEqualTo(BIKE);
            List<String> path = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, JsonNode> group : row.path("groups").properties()) {
                names.add(group.getKey());
                path.add(group.getValue().asString());
            }
            int known = Math.min(names.size(), GROUP_NAMES.length);
            assertThat(names.subList(0, known))
                    .as("group names of %s", row)
                    .isEqualTo(List.of(GROUP_NAMES).subList(0, known));
            Balance previous = buckets.put(String.join("/", path), Balance.of(row));
            assertThat(previous).as("duplicate bucket %s in %s", path, rows).isNull();
        }
        return buckets;
    }

    /** All buckets of the red bike record. */
    Map<String, Balance> buckets() {
        return buckets(RED, Map.of());
    }

    /** The balance of one bucket of the red bike record; the bucket must exist. */
    Balance bucket(Map<String, String> groups) {
        String key = String.join("/", groups.values());
        Map<String, Balance> found = buckets(RED, groups);
        assertThat(found).as("bucket %s", key).containsKey(key);
        return found.get(key);
    }

    /**
     * Every measure of the red bike record as {@code ds.measure → value}, read with an index
     * query filtered to site 1, location 11, colour red, negative values kept as they are;
     * empty when nothing is stored.
     */
    Map<String, String> onHand() {
        return onHand(BIKE, "red");
    }

    Map<String, String> onHand(String product, String color) {
        JsonNode rows = indexQuery("""
                {"filters": {"organizationId": ["%s"], "productId": ["%s"],
                             "siteId": ["1"], "locationId": ["11"], "colorId": ["%s"]},
                 "groupByValues": [], "returnNegative": true}""".formatted(ORG, product, color));
        assertThat(rows.size()).as(rows.toString()).isLessThanOrEqualTo(1);
        return rows.isEmpty() ? Map.of() : measures(rows.get(0));
    }

    /** One measure of the red bike record; "0" when it is not stored. */
    String onHand(String qualified) {
        return onHand().getOrDefault(qualified, "0");
    }

    /** The available-to-allocate quantity of the red bike record. */
    String ata() {
        Map<String, String> measures = onHand();
        assertThat(measures).containsKey("@iv.@available_to_allocate");
        return measures.get("@iv.@available_to_allocate");
    }

    /** The four balances of a bucket as plain numbers. */
    record Balance(
            String allocated,
            String consumed,
            String cumulativeAllocated,
            String cumulativeConsumed) {
        static Balance of(JsonNode row) {
            return new Balance(
                    plain(row, "allocated"),
                    plain(row, "consumed"),
                    plain(row, "cumulativeAllocated"),
                    plain(row, "cumulativeConsumed"));
        }

        private static String plain(JsonNode row, String field) {
            JsonNode value = row.path(field);
            assertThat(value.isNumber()).as("%s in %s", field, row).isTrue();
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
    }

    static Balance balance(int allocated, int consumed, int cumAllocated, int cumConsumed) {
        return new Balance(
                String.valueOf(allocated),
                String.valueOf(consumed),
                String.valueOf(cumAllocated),
                String.valueOf(cumConsumed));
    }
}
