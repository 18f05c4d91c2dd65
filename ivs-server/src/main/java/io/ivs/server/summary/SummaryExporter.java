package io.ivs.server.summary;

import io.ivs.core.measure.MeasureRef;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the rows of an environment's summary or preload table to a sink: one read-only,
 * repeatable-read transaction (so the row count and the rows are one snapshot) and a server-side
 * cursor that fetches {@link #FETCH_ROWS} rows at a time, so memory does not grow with the table.
 * Rows come in organization, product, site, location order.
 */
@Component
class SummaryExporter {
    static final int FETCH_ROWS = 1_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    SummaryExporter(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Receives the row count before the rows, then opens the sink. */
    interface SinkFactory {
        ExportSink open(long rows) throws IOException;
    }

    /** Counts and writes the rows in one snapshot; answers the number written. */
    long export(String environmentId, ExportTable table, ExportSchema schema, SinkFactory sinks) {
        Long written = snapshot.execute(status -> {
            Long count = jdbc.queryForObject(
                    "select count(*) from " + table.table + " where environment_id = ?",
                    Long.class,
                    environmentId);
            try (ExportSink sink = sinks.open(count == null ? 0 : count)) {
                long[] rows = {0};
                jdbc.query(
                        con -> {
                            var ps = con.prepareStatement("select organization_id, product_id, "
                                    + SummaryColumns.list("") + ", quantities::text, updated_at"
                                    + " from " + table.table + " where environment_id = ?"
                                    + " order by organization_id, product_id, siteid, locationid, "
                                    + table.keyColumn);
                            ps.setFetchSize(FETCH_ROWS);
                            ps.setString(1, environmentId);
                            return ps;
                        },
                        (RowCallbackHandler) rs -> {
                            write(sink, row(rs, schema));
                            rows[0]++;
                        });
                return rows[0];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return written == null ? 0 : written;
    }

    private static void write(ExportSink sink, ExportRow row) {
        try {
            sink.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ExportRow row(ResultSet rs, ExportSchema schema) throws SQLException {
        List<@Nullable String> dimensions = new ArrayList<>(SummaryColumns.DIMENSIONS.size());
        int column = 3;
        for (int i = 0; i < SummaryColumns.DIMENSIONS.size(); i++) {
            dimensions.add(rs.getString(column++));
        }
        String quantities = rs.getString(column++);
        OffsetDateTime updatedAt = rs.getObject(column, OffsetDateTime.class);
        return new ExportRow(
                rs.getString(1),
                rs.getString(2),
                dimensions,
                quantities,
                updatedAt.toInstant(),
                measures(quantities, schema));
    }

    /** The values of the schema's measures in a quantities document; null where absent. */
    private List<@Nullable BigDecimal> measures(String quantities, ExportSchema schema) {
        Map<MeasureRef, BigDecimal> values = new HashMap<>();
        JsonNode document = json.readTree(quantities);
        for (Map.Entry<String, JsonNode> source : document.properties()) {
            String dataSource = source.getKey().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, JsonNode> measure : source.getValue().properties()) {
                values.put(
                        new MeasureRef(dataSource, measure.getKey().toLowerCase(Locale.ROOT)),
                        measure.getValue().decimalValue());
            }
        }
        List<@Nullable BigDecimal> out = new ArrayList<>(schema.measures().size());
        for (MeasureRef ref : schema.measures()) {
            out.add(values.get(ref));
        }
        return out;
    }
}
