package io.ivs.server.lake;

/**
 * One column of a lake table: its name, its Delta type and whether it may be null.
 *
 * @param type the value's Java type follows the column type: {@code String}, {@code Long},
 *     {@code Integer}, {@code java.time.Instant} or {@code java.math.BigDecimal}
 */
record LakeColumn(String name, Type type, boolean nullable) {
    /** The column types the lake writes, with their name in a Delta schema. */
    enum Type {
        STRING("string"),
        LONG("long"),
        INTEGER("integer"),
        TIMESTAMP("timestamp"),
        DECIMAL("decimal(38,10)");

        final String deltaName;

        Type(String deltaName) {
            this.deltaName = deltaName;
        }
    }

    static LakeColumn required(String name, Type type) {
        return new LakeColumn(name, type, false);
    }

    static LakeColumn optional(String name, Type type) {
        return new LakeColumn(name, type, true);
    }
}
