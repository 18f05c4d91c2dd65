package io.ivs.server.summary;

import io.ivs.core.dimension.BaseDimension;

import java.util.ArrayList;
import java.util.List;

/**
 * The dimension columns of the summary and preload tables (migration V7): one nullable text column
 * per base dimension, named like it, site and location first.
 */
final class SummaryColumns {
    /** Lower-case base dimension names; each is also its column name. */
    static final List<String> DIMENSIONS = dimensions();

    private SummaryColumns() {}

    private static List<String> dimensions() {
        List<String> names = new ArrayList<>(List.of(BaseDimension.SITE, BaseDimension.LOCATION));
        for (String name : BaseDimension.all()) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** The dimension columns joined by {@code ", "}, prefixed by {@code alias.} if given. */
    static String list(String alias) {
        String prefix = alias.isEmpty() ? "" : alias + ".";
        return String.join(", ", DIMENSIONS.stream().map(d -> prefix + d).toList());
    }
}
