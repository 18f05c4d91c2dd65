package io.ivs.server.summary;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One exported row.
 *
 * @param dimensions values aligned with {@link SummaryColumns#DIMENSIONS}, null when absent
 * @param quantities the stored quantities JSON, as PostgreSQL prints it
 * @param measures values aligned with {@link ExportSchema#measures()}, null when absent
 */
record ExportRow(
        String organizationId,
        String productId,
        List<@Nullable String> dimensions,
        String quantities,
        Instant updatedAt,
        List<@Nullable BigDecimal> measures) {}
