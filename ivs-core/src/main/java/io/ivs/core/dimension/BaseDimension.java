package io.ivs.core.dimension;

import io.ivs.core.InvalidInputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed list of canonical dimension names (spec §3.2): 13 standard, 12 custom and 8 extended
 * dimensions, plus {@code Empty}, which only names an aggregate-everything index. Every stored
 * record and every query is expressed in these names; they are matched case-insensitively and
 * stored lower-case.
 */
public final class BaseDimension {
    public static final String SITE = "siteid";
    public static final String LOCATION = "locationid";
    public static final String EMPTY = "empty";

    private static final Map<String, String> CANONICAL_BY_LOWER = build();

    private BaseDimension() {}

    private static Map<String, String> build() {
        List<String> names = new ArrayList<>(List.of(
                "ColorId",
                "SizeId",
                "StyleId",
                "ConfigId",
                "BatchId",
                "SerialId",
                "LocationId",
                "SiteId",
                "StatusId",
                "WMSLocationId",
                "WMSPalletId",
                "LicensePlateId",
                "VersionId"));
        for (int i = 1; i <= 12; i++) {
            names.add("CustomDimension" + i);
        }
        for (int i = 1; i <= 8; i++) {
            names.add("ExtendedDimension" + i);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : names) {
            map.put(name.toLowerCase(Locale.ROOT), name);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The 33 mappable base dimensions, lower-case, in the order of spec §3.2. */
    public static List<String> all() {
        return List.copyOf(CANONICAL_BY_LOWER.keySet());
    }

    public static boolean isBase(String name) {
        return CANONICAL_BY_LOWER.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The lower-case base name for a name in any case, if it is one. */
    public static Optional<String> lookup(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CANONICAL_BY_LOWER.containsKey(lower) ? Optional.of(lower) : Optional.empty();
    }

    public static String require(String field, String name) {
        return lookup(name)
                .orElseThrow(() ->
                        new InvalidInputException(field, "'" + name + "' is not a base dimension"));
    }

    /** The documented casing ({@code ColorId}) of a lower-case base name. */
    public static String canonical(String lowerName) {
        String canonical = CANONICAL_BY_LOWER.get(lowerName);
        return canonical == null ? lowerName : canonical;
    }

    public static boolean isPartition(String lowerName) {
        return SITE.equals(lowerName) || LOCATION.equals(lowerName);
    }
}
