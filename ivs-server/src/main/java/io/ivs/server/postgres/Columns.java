package io.ivs.server.postgres;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Spring's single-column queries answer nullable values, since a column may hold NULL. The
 * columns read through here never do (they are NOT NULL, or computed so), so a null would mean
 * the schema and the code disagree: that fails here, by name, rather than later as a
 * NullPointerException far from the query.
 */
public final class Columns {
    private Columns() {}

    public static <T> List<T> notNull(List<@Nullable T> values) {
        List<T> present = new ArrayList<>(values.size());
        for (T value : values) {
            if (value == null) {
                throw new IllegalStateException("a column read as NOT NULL answered NULL");
            }
            present.add(value);
        }
        return present;
    }
}
