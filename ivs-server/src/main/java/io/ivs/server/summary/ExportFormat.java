package io.ivs.server.summary;

import io.ivs.core.InvalidInputException;

import java.util.Locale;

/** The file formats of an export. */
enum ExportFormat {
    CSV("text/csv; charset=utf-8", "csv"),
    PARQUET("application/vnd.apache.parquet", "parquet");

    final String contentType;
    final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    static ExportFormat parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "parquet" -> PARQUET;
            default ->
                throw new InvalidInputException(
                        "format", "must be 'csv' or 'parquet', not '" + value + "'");
        };
    }
}
