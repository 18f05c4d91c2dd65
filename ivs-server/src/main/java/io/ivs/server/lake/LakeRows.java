package io.ivs.server.lake;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Rows of a lake table as Parquet: a row is an array of values aligned with the schema's data
 * columns. Timestamps are TIMESTAMP(MICROS, UTC) and decimals DECIMAL(38, 10) in 16 bytes, the
 * physical types Delta readers expect; quantities have at most 10 decimal places and 18 integer
 * digits (IVS limits), so they fit exactly.
 */
final class LakeRows {
    static final int DECIMAL_PRECISION = 38;
    static final int DECIMAL_SCALE = 10;
    static final int DECIMAL_BYTES = 16;

    private LakeRows() {}

    static MessageType parquetSchema(LakeSchema schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (LakeColumn column : schema.dataColumns()) {
            Type.Repetition repetition =
                    column.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            message.addField(
                    switch (column.type()) {
                        case STRING ->
                            Types.primitive(PrimitiveTypeName.BINARY, repetition)
                                    .as(LogicalTypeAnnotation.stringType())
                                    .named(column.name());
                        case LONG ->
                            Types.primitive(PrimitiveTypeName.INT64, repetition)
                                    .named(column.name());
                        case INTEGER ->
                            Types.primitive(PrimitiveTypeName.INT32, repetition)
                                    .named(column.name());
                        case TIMESTAMP ->
                            Types.primitive(PrimitiveTypeName.INT64, repetition)
                                    .as(LogicalTypeAnnotation.timestampType(
                                            true, LogicalTypeAnnotation.TimeUnit.MICROS))
                                    .named(column.name());
                        case DECIMAL ->
                            Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
                                    .length(DECIMAL_BYTES)
                                    .as(LogicalTypeAnnotation.decimalType(
                                            DECIMAL_SCALE, DECIMAL_PRECISION))
                                    .named(column.name());
                    });
        }
        return message.named("spark_schema");
    }

    static Group group(SimpleGroupFactory groups, LakeSchema schema, @Nullable Object[] row) {
        Group group = groups.newGroup();
        for (int i = 0; i < schema.dataColumns().size(); i++) {
            Object value = row[i];
            if (value == null) {
                continue;
            }
            String name = schema.dataColumns().get(i).name();
            switch (schema.dataColumns().get(i).type()) {
                case STRING -> group.add(name, (String) value);
                case LONG -> group.add(name, (Long) value);
                case INTEGER -> group.add(name, (Integer) value);
                case TIMESTAMP -> group.add(name, micros((Instant) value));
                case DECIMAL -> group.add(name, decimal((BigDecimal) value));
            }
        }
        return group;
    }

    /**
     * The row of a group read back, aligned with {@code schema}: a column the file does not have
     * (a measure added to the configuration after the file was written) is null.
     */
    static @Nullable Object[] row(LakeSchema schema, Group group) {
        @Nullable Object[] row = new Object[schema.dataColumns().size()];
        Arrays.fill(row, null);
        var fileType = group.getType();
        for (int i = 0; i < row.length; i++) {
            LakeColumn column = schema.dataColumns().get(i);
            if (!fileType.containsField(column.name())
                    || group.getFieldRepetitionCount(column.name()) == 0) {
                continue;
            }
            String name = column.name();
            row[i] = switch (column.type()) {
                case STRING -> group.getString(name, 0);
                case LONG -> group.getLong(name, 0);
                case INTEGER -> group.getInteger(name, 0);
                case TIMESTAMP -> instant(group.getLong(name, 0));
                case DECIMAL ->
                    new BigDecimal(
                            new BigInteger(group.getBinary(name, 0).getBytes()), DECIMAL_SCALE);
            };
        }
        return row;
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** The unscaled value at scale 10 as 16 big-endian two's-complement bytes. */
    static Binary decimal(BigDecimal value) {
        BigInteger unscaled =
                value.setScale(DECIMAL_SCALE, RoundingMode.UNNECESSARY).unscaledValue();
        byte[] minimal = unscaled.toByteArray();
        if (minimal.length > DECIMAL_BYTES) {
            throw new IllegalStateException(
                    value.toPlainString() + " does not fit DECIMAL(38, 10)");
        }
        byte[] bytes = new byte[DECIMAL_BYTES];
        byte fill = (byte) (unscaled.signum() < 0 ? 0xff : 0);
        Arrays.fill(bytes, 0, DECIMAL_BYTES - minimal.length, fill);
        System.arraycopy(minimal, 0, bytes, DECIMAL_BYTES - minimal.length, minimal.length);
        return Binary.fromConstantByteArray(bytes);
    }
}
