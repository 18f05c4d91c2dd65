package io.ivs.server.inventorylog;

import io.ivs.core.InvalidInputException;
import io.ivs.server.web.Json;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * A log request (the original's {@code logTransactionDetails} body): the organization, the UTC
 * dates (both inclusive, {@code yyyy/M/d}), and optionally the product, site and location.
 */
record LogRequest(
        @Nullable String id,
        String organizationId,
        LocalDate utcFromDate,
        LocalDate utcToDate,
        @Nullable String productId,
        @Nullable String siteId,
        @Nullable String locationId) {
    static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu/M/d").withResolverStyle(ResolverStyle.STRICT);

    /** The longest span one request may cover, so that a job's scan stays bounded. */
    static final int DAYS_MAX = 366;

    static LogRequest parse(JsonNode body) {
        Json.object(body, "body");
        LocalDate from = date(body, "UtcFromDate");
        LocalDate to = date(body, "UtcToDate");
        if (to.isBefore(from)) {
            throw new InvalidInputException("UtcToDate", "is before UtcFromDate");
        }
        if (from.plusDays(DAYS_MAX).isBefore(to)) {
            throw new InvalidInputException(
                    "UtcToDate", "is more than " + DAYS_MAX + " days after UtcFromDate");
        }
        JsonNode dimensions = Json.field(body, "dimensions", "");
        if (dimensions != null) {
            Json.object(dimensions, "dimensions");
        }
        return new LogRequest(
                Json.optionalText(body, "id", ""),
                Json.requiredText(body, "organizationId", ""),
                from,
                to,
                blankToNull(Json.optionalText(body, "productId", "")),
                dimension(dimensions, "SiteId"),
                dimension(dimensions, "LocationId"));
    }

    private static @Nullable String dimension(@Nullable JsonNode dimensions, String name) {
        return dimensions == null
                ? null
                : blankToNull(Json.optionalText(dimensions, name, "dimensions"));
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static LocalDate date(JsonNode body, String field) {
        String text = Json.requiredText(body, field, "");
        try {
            return LocalDate.parse(text.strip(), DATE);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(
                    field, "'" + text + "' is not a date of the form yyyy/M/d, e.g. 2026/12/7");
        }
    }
}
