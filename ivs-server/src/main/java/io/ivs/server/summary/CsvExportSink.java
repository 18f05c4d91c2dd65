package io.ivs.server.summary;

import org.jspecify.annotations.Nullable;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * RFC 4180 CSV in UTF-8: a header line, then one line per row ending in CRLF; a field is quoted
 * when it holds a comma, a quote or a line break, and quotes are doubled. An absent value is an
 * empty field; decimals are plain (no exponent); the update time is ISO-8601 UTC.
 */
final class CsvExportSink implements ExportSink {
    private final Writer out;

    CsvExportSink(OutputStream stream, ExportSchema schema) throws IOException {
        this.out = new BufferedWriter(
                new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        line(schema.columnNames());
    }

    @Override
    public void write(ExportRow row) throws IOException {
        field(row.organizationId());
        separator();
        field(row.productId());
        for (String value : row.dimensions()) {
            separator();
            field(value);
        }
        separator();
        field(row.quantities());
        separator();
        field(DateTimeFormatter.ISO_INSTANT.format(row.updatedAt()));
        for (BigDecimal value : row.measures()) {
            separator();
            field(value == null ? null : value.toPlainString());
        }
        out.write("\r\n");
    }

    private void line(List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                separator();
            }
            field(values.get(i));
        }
        out.write("\r\n");
    }

    private void separator() throws IOException {
        out.write(',');
    }

    private void field(@Nullable String value) throws IOException {
        if (value == null) {
            return;
        }
        if (needsQuotes(value)) {
            out.write('"');
            out.write(value.replace("\"", "\"\""));
            out.write('"');
        } else {
            out.write(value);
        }
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
