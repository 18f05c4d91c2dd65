package io.ivs.core.onhand;

import io.ivs.core.InvalidInputException;

import java.math.BigDecimal;

/** Named bounds on every input (spec §6 and A27), checked where the input is resolved. */
public final class Limits {
    public static final int BULK_ITEMS_MAX = 512;

    /**
     * Set on-hand bulk requests and full-sync batches: the ERP's push sends 1 to 1,000 records
     * per request (512 by default), so set on-hand takes that many where other bulks take 512.
     */
    public static final int SET_BULK_ITEMS_MAX = 1_000;

    /** Reservations one set on-hand record may offset. */
    public static final int OFFSETS_PER_EVENT_MAX = 64;

    public static final int ID_LENGTH_MAX = 256;
    public static final int VALUE_LENGTH_MAX = 256;
    public static final int DIMENSIONS_PER_EVENT_MAX = 40;
    public static final int MEASURES_PER_EVENT_MAX = 256;
    public static final int QUERY_PRODUCTS_MAX = 5_000;
    public static final int QUERY_SITE_LOCATION_PAIRS_MAX = 10_000;
    public static final int QUERY_FILTER_VALUES_MAX = 10_000;
    public static final int EXACT_QUERY_TUPLES_MAX = 10_000;
    public static final int QUANTITY_INTEGER_DIGITS_MAX = 18;
    public static final int QUANTITY_SCALE_MAX = 10;

    private Limits() {}

    public static String requireText(String field, String value) {
        if (value.isBlank()) {
            throw new InvalidInputException(field, "must not be empty");
        }
        return requireLength(field, value);
    }

    public static String requireLength(String field, String value) {
        if (value.length() > VALUE_LENGTH_MAX) {
            throw new InvalidInputException(
                    field, "is longer than " + VALUE_LENGTH_MAX + " characters");
        }
        return value;
    }

    public static BigDecimal requireQuantity(String field, BigDecimal quantity) {
        BigDecimal stripped = quantity.stripTrailingZeros();
        if (stripped.scale() > QUANTITY_SCALE_MAX) {
            throw new InvalidInputException(
                    field, "has more than " + QUANTITY_SCALE_MAX + " decimal places");
        }
        // long arithmetic: for 1e2147483647 the int difference overflows to a negative number
        if ((long) stripped.precision() - stripped.scale() > QUANTITY_INTEGER_DIGITS_MAX) {
            throw new InvalidInputException(
                    field, "is out of range (at most " + QUANTITY_INTEGER_DIGITS_MAX + " digits)");
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
