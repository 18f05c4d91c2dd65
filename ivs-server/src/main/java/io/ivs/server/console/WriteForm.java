package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.allocation.AllocationCommand;
import io.ivs.core.atp.QuantitiesByDate;
import io.ivs.core.atp.ScheduleCommand;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.reservation.ReserveCommand;
import io.ivs.core.reservation.UnreserveCommand;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A write page's form as sent, and the core command it asks for. The event id comes with the
 * form (generated when the form is shown), so sending the same form twice sends the same event
 * id and the write counts once. Dimensions, groups and quantities are lines of
 * {@code name = value}; a quantity's name is {@code dataSource.measure}. Bad input throws
 * {@link InvalidInputException} naming the field, as the API's request parsing does.
 */
public record WriteForm(
        @Nullable String eventId,
        @Nullable String organizationId,
        @Nullable String productId,
        @Nullable String dimensionDataSource,
        @Nullable String dimensions,
        @Nullable String quantities,
        @Nullable String inventorySystem,
        @Nullable String quantityDataSource,
        @Nullable String modifier,
        @Nullable String quantity,
        @Nullable Boolean checkAvailability,
        @Nullable String reservationId,
        @Nullable String groups,
        @Nullable String sourceGroups,
        @Nullable String physicalMeasures,
        @Nullable String date) {

    /** An empty form with a fresh event id. */
    static WriteForm fresh(String eventId) {
        return new WriteForm(
                eventId, null, null, null, null, null, null, null, null, null, true, null, null,
                null, null, null);
    }

    /** Whether the availability check box is ticked; an unticked box is not sent at all. */
    public boolean check() {
        return Boolean.TRUE.equals(checkAvailability);
    }

    OnHandChange onHandChange() {
        return new OnHandChange(
                id(),
                organization(),
                product(),
                dataSource(),
                dimensionMap(),
                quantityLines("quantities", quantities),
                null);
    }

    /** The data source a stock count sets (the set on-hand request's inventory system). */
    String inventorySystemRequired() {
        return required("inventorySystem", inventorySystem);
    }

    ReserveCommand reserveCommand() {
        return new ReserveCommand(
                id(),
                organization(),
                product(),
                dataSource(),
                dimensionMap(),
                required("quantityDataSource", quantityDataSource),
                required("modifier", modifier),
                decimal("quantity", quantity),
                Quantities.empty(),
                check());
    }

    UnreserveCommand unreserveCommand() {
        return new UnreserveCommand(
                id(),
                organization(),
                product(),
                dataSource(),
                dimensionMap(),
                required("reservationId", reservationId),
                decimal("OffsetQty", quantity));
    }

    AllocationCommand allocationCommand(AllocationCommand.Operation operation) {
        Map<String, Map<String, String>> physical = new LinkedHashMap<>();
        if (operation == AllocationCommand.Operation.CONSUME) {
            ConfigurationEditor.pairLines("physicalMeasures", text(physicalMeasures))
                    .forEach((name, direction) -> physical.computeIfAbsent(
                                    source(name, "physicalMeasures"), k -> new LinkedHashMap<>())
                            .put(measure(name), direction));
        }
        return new AllocationCommand(
                operation,
                id(),
                organization(),
                product(),
                dataSource(),
                dimensionMap(),
                ConfigurationEditor.pairLines("groups", text(groups)),
                operation == AllocationCommand.Operation.REALLOCATE
                        ? ConfigurationEditor.pairLines("sourceGroups", text(sourceGroups))
                        : Map.of(),
                decimal("quantity", quantity),
                physical);
    }

    ScheduleCommand scheduleCommand() {
        String day = required("date", date);
        try {
            LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("date", "'" + day + "' is not a date (YYYY-MM-DD)");
        }
        return new ScheduleCommand(
                id(),
                organization(),
                product(),
                dataSource(),
                dimensionMap(),
                QuantitiesByDate.of(Map.of(day, quantityLines("quantities", quantities))));
    }

    String id() {
        return required("eventId", eventId);
    }

    private String organization() {
        return required("organizationId", organizationId);
    }

    private String product() {
        return required("productId", productId);
    }

    private @Nullable String dataSource() {
        return dimensionDataSource == null || dimensionDataSource.isBlank()
                ? null
                : dimensionDataSource.strip();
    }

    private Map<String, String> dimensionMap() {
        return ConfigurationEditor.pairLines("dimensions", text(dimensions));
    }

    private static Quantities quantityLines(String field, @Nullable String text) {
        Quantities.Builder builder = Quantities.builder();
        Map<String, String> lines = ConfigurationEditor.pairLines(field, text(text));
        if (lines.isEmpty()) {
            throw new InvalidInputException(
                    field, "needs at least one line dataSource.measure = quantity");
        }
        lines.forEach((name, value) -> builder.add(
                source(name, field), measure(name), decimal(field + "." + name, value)));
        return builder.build();
    }

    private static String source(String name, String field) {
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new InvalidInputException(
                    field, "'" + name + "' must be dataSource.measure, for example pos.inbound");
        }
        return name.substring(0, dot);
    }

    private static String measure(String name) {
        return name.substring(name.indexOf('.') + 1);
    }

    private static BigDecimal decimal(String field, @Nullable String value) {
        String text = required(field, value);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a number");
        }
    }

    private static String required(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required");
        }
        return value.strip();
    }

    private static String text(@Nullable String value) {
        return Objects.requireNonNullElse(value, "");
    }

    /** The form's kinds, their page titles and the operation of the allocation kinds. */
    public enum Kind {
        ONHAND("Post on-hand changes"),
        SETONHAND("Post a stock count (set on-hand)"),
        RESERVE("Reserve"),
        UNRESERVE("Unreserve"),
        ALLOCATE("Allocate"),
        REALLOCATE("Reallocate"),
        UNALLOCATE("Unallocate"),
        CONSUME("Consume"),
        SCHEDULE("Change schedule");

        final String title;

        Kind(String title) {
            this.title = title;
        }

        String path() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String getTitle() {
            return title;
        }

        public String getPath() {
            return path();
        }

        static Kind of(String path) {
            for (Kind kind : values()) {
                if (kind.path().equals(path)) {
                    return kind;
                }
            }
            throw new InvalidInputException("kind", "'" + path + "' is not a kind of write");
        }
    }
}
