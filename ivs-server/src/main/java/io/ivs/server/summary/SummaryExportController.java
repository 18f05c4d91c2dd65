package io.ivs.server.summary;

import io.ivs.server.environment.EnvironmentService;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Downloads of the inventory summary (or, with {@code table=preload}, the preloaded on-hand) as
 * CSV or Parquet, streamed: rows go from a database cursor to the response as they are read.
 * {@code X-Row-Count} tells the number of rows before they come, for progress bars. Needs the
 * role inventory.read, like every GET of the API.
 */
@RestController
public class SummaryExportController {
    static final String ROW_COUNT_HEADER = "X-Row-Count";

    private final EnvironmentService environments;
    private final SummaryExporter exporter;

    SummaryExportController(EnvironmentService environments, SummaryExporter exporter) {
        this.environments = environments;
        this.exporter = exporter;
    }

    @GetMapping("/api/environment/{environmentId}/summary/export")
    void export(
            @PathVariable String environmentId,
            @RequestParam(defaultValue = "csv") String format,
            @RequestParam(defaultValue = "summary") String table,
            HttpServletResponse response) {
        ExportFormat fileFormat = ExportFormat.parse(format);
        ExportTable source = ExportTable.parse(table);
        ExportSchema schema = ExportSchema.of(environments.configuration(environmentId));
        try {
            stream(environmentId, fileFormat, source, schema, response);
        } catch (RuntimeException e) {
            // Before the first byte went out, the error handler can still answer properly.
            if (!response.isCommitted()) {
                response.reset();
            }
            throw e;
        }
    }

    private void stream(
            String environmentId,
            ExportFormat fileFormat,
            ExportTable source,
            ExportSchema schema,
            HttpServletResponse response) {
        exporter.export(environmentId, source, schema, rows -> {
            response.setContentType(fileFormat.contentType);
            response.setHeader(ROW_COUNT_HEADER, Long.toString(rows));
            response.setHeader(
                    HttpHeaders.CONTENT_DISPOSITION,
                    "attachment; filename=\"" + source.table + "." + fileFormat.extension + "\"");
            return open(fileFormat, response.getOutputStream(), schema, source);
        });
    }

    private static ExportSink open(
            ExportFormat format, OutputStream out, ExportSchema schema, ExportTable table)
            throws IOException {
        return switch (format) {
            case CSV -> new CsvExportSink(out, schema);
            case PARQUET -> new ParquetExportSink(out, schema, table.table);
        };
    }
}
