package io.ivs.server.summary;

import io.ivs.core.InvalidInputException;

import java.util.Locale;

/** The tables that can be exported. */
enum ExportTable {
    SUMMARY("inventory_summary", "record_key"),
    PRELOAD("onhand_preload", "group_key");

    final String table;
    final String keyColumn;

    ExportTable(String table, String keyColumn) {
        this.table = table;
        this.keyColumn = keyColumn;
    }

    static ExportTable parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "summary" -> SUMMARY;
            case "preload" -> PRELOAD;
            default ->
                throw new InvalidInputException(
                        "table", "must be 'summary' or 'preload', not '" + value + "'");
        };
    }
}
