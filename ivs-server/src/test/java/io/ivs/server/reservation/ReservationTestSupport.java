package io.ivs.server.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;
import io.ivs.server.support.QueryTestSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers shared by the soft-reservation tests (spec §2.4–§2.6): configurations with an
 * available-to-reserve measure, reserve and unreserve bodies, and reading measures at a level.
 */
public abstract class ReservationTestSupport extends QueryTestSupport {
    public static final String ORG = "usmf";
    public static final String INSUFFICIENT = "insufficient availability";

    /**
     * The §2.4 configuration, with {@code erp.unrestricted} standing for
     * {@code fno.availphysical} (fno cannot be written through the API): physical
     * {@code iv.softreservphysical}, {@code iv.availabletoreserve = +erp.unrestricted
     * +pos.inbound -pos.outbound -iv.softreservphysical}, mapped for reservation, feature on.
     */
    public void configureAfr() {
        configure(document -> {
            ObjectNode iv = ivDataSource(document);
            ((ArrayNode) iv.get("physicalMeasures")).add("softreservphysical");
            calculated(
                    iv,
                    "availabletoreserve",
                    new String[] {"erp.unrestricted", "pos.inbound"},
                    new String[] {"pos.outbound", "iv.softreservphysical"});
            ObjectNode mappings = iv.putObject("reservMappings");
            mappings.put("softreservphysical", "iv.availabletoreserve");
            enableReservations(document, 0);
        });
    }

    public static ObjectNode ivDataSource(ObjectNode document) {
        return (ObjectNode) document.get("inventorySystemConfigurations").get("iv");
    }

    public static void enableReservations(ObjectNode document, int version) {
        ObjectNode reserv = (ObjectNode) document.get("reservConfiguration");
        reserv.put("isReservEnabled", true);
        reserv.put("version", version);
    }

    /** Dimensions site 1, location 11 and optional color and size. */
    public static Map<String, Object> level(String color, String size) {
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put("siteId", "1");
        dims.put("locationId", "11");
        if (color != null) {
            dims.put("colorId", color);
        }
        if (size != null) {
            dims.put("sizeId", size);
        }
        return dims;
    }

    /** A reserve event in the modifier form. */
    public static Map<String, Object> reserveBody(
            String id,
            String product,
            Map<String, Object> dims,
            String dataSource,
            String modifier,
            Object quantity,
            boolean check) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                ORG,
                "productId",
                product,
                "dimensions",
                dims,
                "quantityDataSource",
                dataSource,
                "modifier",
                modifier,
                "quantity",
                quantity,
                "ifCheckAvailForReserv",
                check);
    }

    /** A reserve of {@code iv.softreservphysical}. */
    public static Map<String, Object> reserveBody(
            String id, String product, Map<String, Object> dims, Object quantity, boolean check) {
        return reserveBody(id, product, dims, "iv", "softreservphysical", quantity, check);
    }

    public static Map<String, Object> unreserveBody(
            String id,
            String product,
            Map<String, Object> dims,
            String reservationId,
            Object offset) {
        return IvsClient.map(
                "id",
                id,
                "organizationId",
                ORG,
                "productId",
                product,
                "reservationId",
                reservationId,
                "dimensions",
                dims,
                "OffsetQty",
                offset);
    }

    public IvsClient.Response reserve(Map<String, Object> body) {
        return reserve(client, body);
    }

    public IvsClient.Response reserve(IvsClient via, Map<String, Object> body) {
        return via.post(api("/onhand/reserve"), IvsClient.json(body));
    }

    public IvsClient.Response unreserve(Map<String, Object> body) {
        return client.post(api("/onhand/unreserve"), IvsClient.json(body));
    }

    /** A reserve that must succeed; answers its reservation id. */
    public String reserveOk(Map<String, Object> body) {
        IvsClient.Response response = reserve(body);
        assertSuccess(response, "ohre~" + body.get("id"));
        return response.json().path("reservationId").asString();
    }

    /** A reserve or unreserve envelope of full success, HTTP 200. */
    public static void assertSuccess(IvsClient.Response response, String id) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("processingStatus").asString())
                .as(response.body())
                .isEqualTo("success");
        assertThat(body.path("statusCode").asInt()).as(response.body()).isEqualTo(200);
        assertThat(body.path("id").asString()).as(response.body()).isEqualTo(id);
        assertThat(body.path("message").asString()).as(response.body()).isEmpty();
        assertThat(body.path("reservationId").asString()).as(response.body()).isNotBlank();
    }

    /** Posts a change event adding {@code quantity} to {@code ds.measure} of a record. */
    public void stock(
            String id,
            String product,
            Map<String, Object> dims,
            String ds,
            String measure,
            Object quantity) {
        post(event(id, ORG, product, dims, ds, measure, quantity));
    }

    /**
     * Every quantity of the one row an index query (returnNegative true) answers for the
     * product at exactly this level, as {@code ds.measure → plain value}; empty without rows.
     */
    public Map<String, String> at(IvsClient via, String product, Map<String, Object> dims) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("organizationId", List.of(ORG));
        filters.put("productId", List.of(product));
        dims.forEach((name, value) -> filters.put(name, List.of(value)));
        String body = IvsClient.json(IvsClient.map(
                "filters", filters, "groupByValues", List.of(), "returnNegative", true));
        IvsClient.Response response = via.post(api("/onhand/indexquery"), body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode rows = response.json();
        assertThat(rows.size()).as(response.body()).isLessThanOrEqualTo(1);
        return rows.isEmpty() ? Map.of() : measures(rows.get(0));
    }

    public Map<String, String> at(String product, Map<String, Object> dims) {
        return at(client, product, dims);
    }

    /** {@code iv.availabletoreserve} at the level. */
    public String afr(String product, Map<String, Object> dims) {
        return at(product, dims).get("iv.availabletoreserve");
    }

    /** {@code iv.softreservphysical} at the level (aggregated over finer records). */
    public String reserved(String product, Map<String, Object> dims) {
        return at(product, dims).get("iv.softreservphysical");
    }

    /** The admin holdings list for the query string ("" for all). */
    public List<JsonNode> holdings(String query) {
        IvsClient.Response response =
                client.get("/admin/environments/" + env + "/reservations" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        response.json().forEach(rows::add);
        return rows;
    }

    /** Reservation id → remaining quantity in the admin holdings list for the query. */
    public Map<String, String> held(String query) {
        Map<String, String> held = new LinkedHashMap<>();
        for (JsonNode row : holdings(query)) {
            held.put(row.path("reservationId").asString(), row.path("quantity").asString());
        }
        return held;
    }
}
