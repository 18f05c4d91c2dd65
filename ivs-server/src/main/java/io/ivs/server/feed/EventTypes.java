package io.ivs.server.feed;

import io.ivs.core.InvalidInputException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The event types a reader of the feed chooses from: {@code change} (a record's new values,
 * schedule or deletion) and the stock alerts. Readers that choose nothing get {@link #DEFAULT},
 * changes only, so that alerts never surprise a consumer written before they existed.
 */
public final class EventTypes {
    public static final String CHANGE = "change";
    public static final String STOCK_OUT = "stock.out";
    public static final String STOCK_BACK = "stock.back";
    public static final String STOCK_BELOW = "stock.below";
    public static final String STOCK_RECOVERED = "stock.recovered";

    public static final Set<String> ALERTS =
            Set.of(STOCK_OUT, STOCK_BACK, STOCK_BELOW, STOCK_RECOVERED);
    public static final Set<String> ALL =
            Set.of(CHANGE, STOCK_OUT, STOCK_BACK, STOCK_BELOW, STOCK_RECOVERED);
    public static final Set<String> DEFAULT = Set.of(CHANGE);

    private EventTypes() {}

    /** The event type of a change of the feed. */
    public static String of(ChangeFeed.Change change) {
        Alert alert = change.alert();
        return alert == null ? CHANGE : alert.type();
    }

    /**
     * Reads a list of event types, case-insensitively; an empty list means {@link #DEFAULT}.
     * {@code stock.*} stands for every alert type.
     */
    public static Set<String> parse(String field, List<String> given) {
        if (given.isEmpty()) {
            return DEFAULT;
        }
        Set<String> types = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String type = given.get(i).strip().toLowerCase(Locale.ROOT);
            if (type.equals("stock.*")) {
                types.addAll(ALERTS);
            } else if (ALL.contains(type)) {
                types.add(type);
            } else {
                throw new InvalidInputException(
                        field + "[" + i + "]",
                        "'" + given.get(i) + "' is not an event type; use change, stock.out,"
                                + " stock.back, stock.below, stock.recovered or stock.*");
            }
        }
        return Set.copyOf(types);
    }

    /** Reads a comma-separated list ({@code types=change,stock.out}); blank means the default. */
    public static Set<String> parseCsv(String field, String given) {
        if (given.isBlank()) {
            return DEFAULT;
        }
        return parse(field, List.of(given.split(",", -1)));
    }
}
