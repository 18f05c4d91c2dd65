package io.ivs.server.adjustment;

import io.ivs.core.InvalidInputException;
import io.ivs.core.onhand.Limits;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Map;

/** Adjustment bodies to {@link Adjustment}s; every error names the field. */
final class AdjustmentRequests {
    /** Room for {@link Adjustment#EVENT_ID_PREFIX} within the on-hand event id limit. */
    static final int ID_LENGTH_MAX = Limits.ID_LENGTH_MAX - Adjustment.EVENT_ID_PREFIX.length();

    private static final DateTimeFormatter SLASHED_DATE =
            DateTimeFormatter.ofPattern("uuuu/M/d").withResolverStyle(ResolverStyle.STRICT);

    private AdjustmentRequests() {}

    static Adjustment adjustment(JsonNode node, String path) {
        Json.object(node, path.isEmpty() ? "body" : path);
        String id = Json.requiredText(node, "id", path);
        if (id.isBlank() || id.length() > ID_LENGTH_MAX) {
            throw new InvalidInputException(
                    Json.join(path, "id"), "must be 1 to " + ID_LENGTH_MAX + " characters");
        }
        String dimensionsField = Json.join(path, "dimensions");
        JsonNode dimensionsNode = Json.field(node, "dimensions", path);
        if (dimensionsNode == null) {
            throw new InvalidInputException(dimensionsField, "is required");
        }
        Map<String, String> dimensions = Json.stringMap(dimensionsNode, dimensionsField);
        requireDimension(dimensionsNode, dimensionsField, "siteId");
        requireDimension(dimensionsNode, dimensionsField, "locationId");
        JsonNode quantity = Json.field(node, "quantity", path);
        if (quantity == null) {
            throw new InvalidInputException(Json.join(path, "quantity"), "is required");
        }
        JsonNode costPrice = Json.field(node, "costPrice", path);
        String journal = Json.optionalText(node, "fnoJournalNameId", path);
        return new Adjustment(
                id,
                Json.requiredText(node, "organizationId", path),
                Json.requiredText(node, "productId", path),
                Json.requiredText(node, "quantityDataSource", path),
                Json.requiredText(node, "physicalMeasure", path),
                dimensions,
                Json.decimal(quantity, Json.join(path, "quantity")),
                Json.optionalText(node, "externalReferenceCategory", path),
                Json.optionalText(node, "externalReferenceId", path),
                journal == null ? "" : journal.strip(),
                costPrice == null ? null : costPrice(costPrice, Json.join(path, "costPrice")),
                transDate(
                        Json.optionalText(node, "transDate", path), Json.join(path, "transDate")));
    }

    private static void requireDimension(JsonNode dimensions, String field, String name) {
        String value = Json.optionalText(dimensions, name, field);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(Json.join(field, name), "is required");
        }
    }

    private static BigDecimal costPrice(JsonNode node, String field) {
        BigDecimal price = Json.decimal(node, field);
        if (price.signum() < 0) {
            throw new InvalidInputException(field, "must not be negative");
        }
        return price;
    }

    /** A journal line date: yyyy-MM-dd, yyyy/M/d or an ISO date and time (its UTC date). */
    static @Nullable LocalDate transDate(@Nullable String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException notIsoDate) {
            try {
                return LocalDate.parse(value, SLASHED_DATE);
            } catch (DateTimeParseException notSlashed) {
                try {
                    return OffsetDateTime.parse(value)
                            .atZoneSameInstant(ZoneOffset.UTC)
                            .toLocalDate();
                } catch (DateTimeParseException notDateTime) {
                    throw new InvalidInputException(
                            field, "'" + text + "' is not a date (yyyy-MM-dd or yyyy/M/d)");
                }
            }
        }
    }
}
