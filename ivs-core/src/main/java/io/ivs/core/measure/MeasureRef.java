package io.ivs.core.measure;

import io.ivs.core.InvalidInputException;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/** A measure of a data source, both names lower-case, written {@code ds.measure}. */
public record MeasureRef(String dataSource, String measure) implements Comparable<MeasureRef> {
    public MeasureRef {
        dataSource = dataSource.toLowerCase(Locale.ROOT);
        measure = measure.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code ds.measure}; the data source name ends at the first dot. */
    public static MeasureRef parse(String field, String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new InvalidInputException(
                    field, "'" + qualified + "' must have the form dataSource.measure");
        }
        return new MeasureRef(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    public String qualified() {
        return dataSource + "." + measure;
    }

    /**
     * Written out rather than generated: maps keyed by measures are read for every row of an
     * answer, and the generated record method was not inlined there (a method-handle guard per
     * call in the 2026-12-07 profile of a 1,000-row answer).
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other == this
                || other instanceof MeasureRef that
                        && dataSource.equals(that.dataSource)
                        && measure.equals(that.measure);
    }

    @Override
    public int hashCode() {
        return 31 * dataSource.hashCode() + measure.hashCode();
    }

    @Override
    public int compareTo(MeasureRef other) {
        return qualified().compareTo(other.qualified());
    }

    @Override
    public String toString() {
        return qualified();
    }
}
