package io.ivs.cli;

import io.ivs.core.imports.ImportMode;
import io.ivs.core.imports.OnHandRow;
import io.ivs.core.imports.ProductRow;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the rows of one import go, and in which JSON: on-hand change events to
 * {@code .../onhand/bulk}, set-on-hand records to {@code .../setonhand/{dataSource}/bulk} or to
 * the records of a full sync, catalogue items to {@code .../products/bulk}. Reads the answer back
 * into one outcome per item: IV's bulk answers carry an envelope per item, in order.
 */
final class ImportTarget {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ImportMode mode;
    private final String base;
    private final String dataSource;
    private @Nullable String syncId;

    /** An item's answer: null message when it went in, else the server's reason. */
    record Outcome(@Nullable String refusal) {
        static final Outcome OK = new Outcome(null);
    }

    ImportTarget(ImportMode mode, String environment, @Nullable String dataSource) {
        this.mode = mode;
        this.base = "/api/environment/" + IvsApi.segment(environment);
        this.dataSource = dataSource == null ? "" : dataSource;
    }

    ImportMode mode() {
        return mode;
    }

    void syncId(String id) {
        this.syncId = id;
    }

    @Nullable
    String syncId() {
        return syncId;
    }

    String syncPath() {
        return base + "/sync/" + IvsApi.segment(dataSource);
    }

    /** The path of one sync's own calls (records, complete, abort). */
    String syncPath(String id) {
        return syncPath() + "/" + IvsApi.segment(id);
    }

    /** The path that takes a batch of this mode's items. */
    String batchPath() {
        return switch (mode) {
            case CHANGE -> base + "/onhand/bulk";
            case SET -> base + "/setonhand/" + IvsApi.segment(dataSource) + "/bulk";
            case SYNC -> {
                String id = syncId;
                if (id == null) {
                    throw new IllegalStateException("a sync's records need its id");
                }
                yield syncPath(id) + "/records";
            }
            case PRODUCTS -> base + "/products/bulk";
        };
    }

    /** The request body for a batch of items (OnHandRow or ProductRow, by mode). */
    String body(List<?> items) {
        ArrayNode array = JSON.createArrayNode();
        for (Object item : items) {
            array.add(
                    item instanceof ProductRow product
                            ? product(product)
                            : onHand((OnHandRow) item));
        }
        return array.toString();
    }

    static ObjectNode onHand(OnHandRow row) {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", row.id());
        item.put("organizationId", row.organizationId());
        item.put("productId", row.productId());
        ObjectNode dimensions = item.putObject("dimensions");
        row.dimensions().forEach(dimensions::put);
        ObjectNode quantities = item.putObject("quantities");
        for (Map.Entry<String, Map<String, BigDecimal>> source :
                row.quantities().entrySet()) {
            ObjectNode measures = quantities.putObject(source.getKey());
            source.getValue().forEach(measures::put);
        }
        return item;
    }

    static ObjectNode product(ProductRow row) {
        ObjectNode item = JSON.createObjectNode();
        row.fields().forEach(item::put);
        ArrayNode attributes = item.putArray("attributes");
        for (ProductRow.Attribute attribute : row.attributes()) {
            ObjectNode node = attributes.addObject();
            node.put("attributeTypeName", attribute.typeName());
            node.put("attributeName", attribute.name());
            node.put("attributeArea", attribute.area());
            ArrayNode values = node.putArray("attributeValues");
            attribute.values().forEach(values::add);
        }
        return item;
    }

    /**
     * One outcome per item from a 2xx answer. IV's bulk answer is an array of envelopes in the
     * items' order; an answer of another shape (a count, an empty body) accepted the whole batch.
     */
    static List<Outcome> outcomes(String answer, int items) {
        List<Outcome> outcomes = new ArrayList<>(items);
        JsonNode node = parse(answer);
        if (node == null || !node.isArray() || node.size() != items) {
            for (int i = 0; i < items; i++) {
                outcomes.add(Outcome.OK);
            }
            return outcomes;
        }
        for (JsonNode envelope : node) {
            int status = envelope.path("statusCode").asInt(200);
            outcomes.add(
                    status / 100 == 2
                            ? Outcome.OK
                            : new Outcome(
                                    status + " " + envelope.path("message").asString("")));
        }
        return outcomes;
    }

    private static @Nullable JsonNode parse(String answer) {
        if (answer.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(answer);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The id in the answer to a sync's begin. */
    static String syncIdOf(String answer) {
        JsonNode node = parse(answer);
        JsonNode id = node == null ? null : node.path("syncId");
        if (id == null || id.isMissingNode() || id.isNull() || id.asString("").isBlank()) {
            throw CliFailure.unavailable("the server's answer to a sync's begin has no syncId: "
                    + CliFailure.serverMessage(answer));
        }
        return id.asString();
    }
}
