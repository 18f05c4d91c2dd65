package io.ivs.core.imports;

import java.util.Locale;

/**
 * What an imported file means. {@code CHANGE}: each row is an on-hand change event (quantities
 * are deltas). {@code SET}: each row sets the on-hand of one data source (absolute values).
 * {@code SYNC}: like {@code SET}, sent as one full sync of the data source, so that what the file
 * does not mention is zeroed when it completes. {@code PRODUCTS}: a product catalogue.
 */
public enum ImportMode {
    CHANGE(512),
    SET(512),
    SYNC(1000),
    PRODUCTS(512);

    private final int batchMax;

    ImportMode(int batchMax) {
        this.batchMax = batchMax;
    }

    /** The most items one request of this mode may carry (the server's bulk limit). */
    public int batchMax() {
        return batchMax;
    }

    /** Whether the rows set the values of one data source (and so need one). */
    public boolean setsValues() {
        return this == SET || this == SYNC;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
