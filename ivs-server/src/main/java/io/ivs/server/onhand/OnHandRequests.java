package io.ivs.server.onhand;

import io.ivs.core.InvalidInputException;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.QueryRequest;
import io.ivs.core.onhand.ReservationOffset;
import io.ivs.server.web.Json;
import io.ivs.server.web.QuantitiesJson;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** IV-shaped JSON bodies to core commands; every error names the field (spec §1.3). */
public final class OnHandRequests {
    private OnHandRequests() {}

    /**
     * A change or set event (the item shape of {@code …/onhand/bulk} and {@code
     * …/setonhand/{dataSource}/bulk}); the core refuses reservation offsets on a change.
     */
    public static OnHandChange change(JsonNode node, String path, boolean set) {
        Json.object(node, path.isEmpty() ? "body" : path);
        String id = Json.requiredText(node, "id", path);
        Quantities quantities = quantities(node, path);
        Instant modifiedAt = set ? modifiedAt(node, path) : null;
        return new OnHandChange(
                id,
                Json.requiredText(node, "organizationId", path),
                Json.requiredText(node, "productId", path),
                Json.optionalText(node, "dimensionDataSource", path),
                Json.stringMap(Json.field(node, "dimensions", path), Json.join(path, "dimensions")),
                quantities,
                modifiedAt,
                reservationOffsets(node, path));
    }

    /**
     * {@code reservationOffsets}: {@code [{"reservationId": "…", "quantity": 2}, …]}; the
     * quantity may also be spelled {@code OffsetQty}, as in an unreserve.
     */
    private static List<ReservationOffset> reservationOffsets(JsonNode node, String path) {
        String field = Json.join(path, "reservationOffsets");
        JsonNode offsets = Json.field(node, "reservationOffsets", path);
        if (offsets == null) {
            return List.of();
        }
        List<ReservationOffset> read = new ArrayList<>();
        int i = 0;
        for (JsonNode offset : Json.array(offsets, field)) {
            String itemPath = field + "[" + i++ + "]";
            Json.object(offset, itemPath);
            JsonNode quantity = Json.field(offset, "quantity", itemPath);
            String quantityName = "quantity";
            if (quantity == null) {
                quantity = Json.field(offset, "OffsetQty", itemPath);
                quantityName = "OffsetQty";
            }
            if (quantity == null) {
                throw new InvalidInputException(Json.join(itemPath, "quantity"), "is required");
            }
            read.add(new ReservationOffset(
                    Json.requiredText(offset, "reservationId", itemPath),
                    Json.decimal(quantity, Json.join(itemPath, quantityName))));
        }
        return read;
    }

    /** The optional {@code quantities} object of a reserve event (A26); empty when absent. */
    public static Quantities quantitiesOrEmpty(JsonNode node, String path) {
        return Json.field(node, "quantities", path) == null
                ? Quantities.empty()
                : quantities(node, path);
    }

    private static Quantities quantities(JsonNode node, String path) {
        String field = Json.join(path, "quantities");
        JsonNode quantities = Json.field(node, "quantities", path);
        if (quantities == null) {
            throw new InvalidInputException(field, "is required");
        }
        return QuantitiesJson.read(quantities, field);
    }

    private static @Nullable Instant modifiedAt(JsonNode node, String path) {
        String text = Json.optionalText(node, "modifiedDateTimeUTC", path);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text.strip())
                        .toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw new InvalidInputException(
                        Json.join(path, "modifiedDateTimeUTC"),
                        "'" + text + "' is not an ISO-8601 date and time");
            }
        }
    }

    /** An index query ({@code exact} false) or an exact query body. */
    public static QueryRequest query(JsonNode body, boolean exact, int apiVersion) {
        Json.object(body, "body");
        refuseProductSearch(body, exact);
        JsonNode filtersNode = Json.field(body, "filters", "");
        if (filtersNode == null) {
            throw new InvalidInputException("filters", "is required");
        }
        Json.object(filtersNode, "filters");
        Map<String, List<String>> filters = new LinkedHashMap<>();
        List<String> exactKeys = null;
        List<List<String>> exactValues = new ArrayList<>();
        String keysName = apiVersion >= 2 ? "keys" : "dimensions";
        for (Map.Entry<String, JsonNode> entry : filtersNode.properties()) {
            String name = entry.getKey();
            String field = "filters." + name;
            if (exact && name.equalsIgnoreCase(keysName)) {
                exactKeys = Json.stringList(entry.getValue(), field);
            } else if (exact && name.equalsIgnoreCase("values")) {
                exactValues = tuples(entry.getValue(), field);
            } else if (entry.getValue().isNull()) {
                continue;
            } else {
                filters.put(name, Json.stringList(entry.getValue(), field));
            }
        }
        if (exact && exactKeys == null) {
            throw new InvalidInputException("filters." + keysName, "is required");
        }
        return new QueryRequest(
                Json.optionalText(body, "dimensionDataSource", ""),
                filters,
                Json.stringList(Json.field(body, "groupByValues", ""), "groupByValues"),
                Json.optionalBoolean(body, "returnNegative", "", false),
                exactKeys,
                exactValues);
    }

    /**
     * A product search belongs to its own endpoints; left unread here it would silently widen
     * the query to every product of the filtered warehouses.
     */
    private static void refuseProductSearch(JsonNode body, boolean exact) {
        if (Json.field(body, "productSearch", "") != null) {
            throw new InvalidInputException(
                    "productSearch",
                    "is not read by this endpoint; post queries with a product search to"
                            + " .../onhand/productsearch/" + (exact ? "exactquery" : "indexquery"));
        }
    }

    private static List<List<String>> tuples(JsonNode node, String field) {
        List<List<String>> tuples = new ArrayList<>();
        int i = 0;
        for (JsonNode tuple : Json.array(node, field)) {
            String tupleField = field + "[" + i++ + "]";
            Json.array(tuple, tupleField);
            tuples.add(Json.stringList(tuple, tupleField));
        }
        return tuples;
    }
}
