package io.ivs.server.console;

import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;
import io.ivs.core.measure.Quantities;
import io.ivs.core.onhand.ResultRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Query results as a table: a column per dimension and per measure, physical and calculated
 * (marked), in the order the rows first name them. Cells are plain strings; a missing value is
 * empty, not zero, as in the API's answer.
 */
public record ResultTable(List<String> dimensions, List<Column> measures, List<Row> rows) {
    public record Column(String dataSource, String measure, boolean calculated) {
        public String label() {
            return dataSource + "." + measure;
        }
    }

    public record Row(String organizationId, String productId, List<String> cells) {}

    public static ResultTable of(RuntimeConfiguration config, List<ResultRow> results) {
        Set<String> dimensions = new LinkedHashSet<>();
        Set<String> measureNames = new TreeSet<>();
        List<Column> measures = new ArrayList<>();
        for (ResultRow row : results) {
            dimensions.addAll(row.dimensions().keySet());
            for (Quantities.Entry entry : row.quantities()) {
                String source = entry.dataSource();
                String measure = entry.measure();
                if (measureNames.add(source + "." + measure)) {
                    measures.add(new Column(
                            source,
                            measure,
                            config.calculated(new MeasureRef(source, measure)).isPresent()));
                }
            }
        }
        measures.sort(java.util.Comparator.comparing(Column::calculated)
                .reversed()
                .thenComparing(Column::label));
        List<Row> rows = new ArrayList<>();
        for (ResultRow row : results) {
            List<String> cells = new ArrayList<>();
            for (String dimension : dimensions) {
                cells.add(row.dimensions().getOrDefault(dimension, ""));
            }
            for (Column column : measures) {
                BigDecimal value = row.quantities().get(column.dataSource(), column.measure());
                cells.add(value == null ? "" : value.stripTrailingZeros().toPlainString());
            }
            rows.add(new Row(row.organizationId(), row.productId(), cells));
        }
        return new ResultTable(List.copyOf(dimensions), measures, rows);
    }

    /** The table as CSV (RFC 4180), text cells guarded against spreadsheet formulas. */
    public String csv() {
        StringBuilder out = new StringBuilder();
        try {
            writeCsv(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the CSV line by line, so that a download is streamed as it is formatted. */
    public void writeCsv(Appendable out) throws IOException {
        List<String> header = new ArrayList<>(List.of("organizationId", "productId"));
        header.addAll(dimensions);
        measures.forEach(column -> header.add(column.label()));
        line(out, header, header.size());
        for (Row row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.organizationId(), row.productId()));
            cells.addAll(row.cells());
            line(out, cells, 2 + dimensions.size());
        }
    }

    private static void line(Appendable out, List<String> cells, int textColumns)
            throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i), i < textColumns));
        }
        out.append("\r\n");
    }

    private static String cell(String value, boolean text) {
        String safe = text && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0
                ? "'" + value
                : value;
        if (safe.contains(",")
                || safe.contains("\"")
                || safe.contains("\n")
                || safe.contains("\r")) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
