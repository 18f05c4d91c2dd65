package io.ivs.core.config;

import io.ivs.core.InvalidInputException;
import io.ivs.core.dimension.BaseDimension;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * Turns a dimension name from a request into a lower-case base dimension (spec §2.1). Without a
 * dimension data source every name must be a base dimension; with one, the source's external
 * names are accepted too, and base names stay as they are.
 */
public final class DimensionResolver {
    private final @Nullable DataSourceConfig dataSource;

    private DimensionResolver(@Nullable DataSourceConfig dataSource) {
        this.dataSource = dataSource;
    }

    public static DimensionResolver of(
            RuntimeConfiguration config, @Nullable String dimensionDataSource) {
        if (dimensionDataSource == null || dimensionDataSource.isBlank()) {
            return new DimensionResolver(null);
        }
        DataSourceConfig ds = config.dataSource(dimensionDataSource.strip())
                .orElseThrow(() -> new InvalidInputException(
                        "dimensionDataSource",
                        "data source '" + dimensionDataSource + "' is not configured"));
        return new DimensionResolver(ds);
    }

    /** The base name for {@code name}, or a 400 naming the field when it maps to nothing. */
    public String resolve(String field, String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (BaseDimension.isBase(lower)) {
            return lower;
        }
        if (dataSource != null) {
            String mapped = dataSource.mapDimension(lower).orElse(null);
            if (mapped != null) {
                return mapped;
            }
            throw new InvalidInputException(
                    field,
                    "'" + name + "' is neither a base dimension" + " nor mapped by data source '"
                            + dataSource.name() + "'");
        }
        throw new InvalidInputException(
                field,
                "'" + name + "' is not a base dimension;"
                        + " set dimensionDataSource to use a data source's dimension names");
    }
}
