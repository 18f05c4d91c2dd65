package io.ivs.core.atp;

import io.ivs.core.InvalidInputException;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Schedule dates are UTC calendar days (spec A.8). Accepted forms (C-A3): {@code yyyy-MM-dd},
 * {@code yyyy/M/d} as in the 2022 documents, and ISO date-times, whose date part is used.
 */
public final class ScheduleDates {
    private static final DateTimeFormatter SLASHES =
            DateTimeFormatter.ofPattern("uuuu/M/d").withResolverStyle(ResolverStyle.STRICT);

    private ScheduleDates() {}

    public static LocalDate parse(String field, String text) {
        String trimmed = text.strip();
        try {
            if (trimmed.length() == 10 && trimmed.charAt(4) == '-') {
                return LocalDate.parse(trimmed);
            }
            if (trimmed.contains("/")) {
                return LocalDate.parse(trimmed, SLASHES);
            }
            if (trimmed.contains("T")) {
                return trimmed.endsWith("Z") || trimmed.matches(".*[+-]\\d\\d:\\d\\d$")
                        ? OffsetDateTime.parse(trimmed).toLocalDate()
                        : java.time.LocalDateTime.parse(trimmed).toLocalDate();
            }
        } catch (DateTimeParseException e) {
            // Falls through to the error that names the field.
        }
        throw new InvalidInputException(field, "'" + text + "' is not a date (yyyy-MM-dd)");
    }
}
