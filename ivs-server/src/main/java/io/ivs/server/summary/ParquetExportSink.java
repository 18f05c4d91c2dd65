package io.ivs.server.summary;

import io.ivs.parquet.ParquetFiles;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Parquet through parquet-java's own {@code OutputFile} and {@link ParquetFiles}' writer, so no
 * Hadoop library is needed. Columns: organization and product (required strings), one
 * optional string per dimension, the quantities JSON (string), the update time
 * (TIMESTAMP(MICROS, UTC)), and one optional DECIMAL(38, 10) per configured measure: quantities
 * have at most 10 decimal places and 18 integer digits (IVS limits), so sums fit exactly.
 * Pages are dictionary-encoded and not compressed (codecs would pull in native libraries).
 */
final class ParquetExportSink implements ExportSink {
    static final int DECIMAL_PRECISION = 38;
    static final int DECIMAL_SCALE = 10;
    static final int DECIMAL_BYTES = 16;

    private final MessageType schema;
    private final SimpleGroupFactory groups;
    private final ParquetWriter<Group> writer;
    private final ExportSchema exportSchema;

    ParquetExportSink(OutputStream stream, ExportSchema exportSchema, String name)
            throws IOException {
        this.exportSchema = exportSchema;
        this.schema = schema(exportSchema, name);
        this.groups = new SimpleGroupFactory(schema);
        this.writer = ParquetFiles.writer(new StreamOutputFile(stream), schema);
    }

    static MessageType schema(ExportSchema exportSchema, String name) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (String column : ExportSchema.FIXED_BEFORE) {
            message.addField(string(Type.Repetition.REQUIRED, column));
        }
        for (String column : SummaryColumns.DIMENSIONS) {
            message.addField(string(Type.Repetition.OPTIONAL, column));
        }
        message.addField(string(Type.Repetition.REQUIRED, "quantities"));
        message.addField(Types.required(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(
                        true, LogicalTypeAnnotation.TimeUnit.MICROS))
                .named("updated_at"));
        for (String column : exportSchema.measureNames()) {
            message.addField(Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                    .length(DECIMAL_BYTES)
                    .as(LogicalTypeAnnotation.decimalType(DECIMAL_SCALE, DECIMAL_PRECISION))
                    .named(column));
        }
        return message.named(name);
    }

    private static Type string(Type.Repetition repetition, String name) {
        return Types.primitive(PrimitiveTypeName.BINARY, repetition)
                .as(LogicalTypeAnnotation.stringType())
                .named(name);
    }

    @Override
    public void write(ExportRow row) throws IOException {
        Group group = groups.newGroup();
        group.add("organization_id", row.organizationId());
        group.add("product_id", row.productId());
        List<String> dimensions = SummaryColumns.DIMENSIONS;
        for (int i = 0; i < dimensions.size(); i++) {
            String value = row.dimensions().get(i);
            if (value != null) {
                group.add(dimensions.get(i), value);
            }
        }
        group.add("quantities", row.quantities());
        group.add("updated_at", micros(row.updatedAt()));
        for (int i = 0; i < exportSchema.measureNames().size(); i++) {
            BigDecimal value = row.measures().get(i);
            if (value != null) {
                group.add(exportSchema.measureNames().get(i), decimal(value));
            }
        }
        writer.write(group);
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
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
        int pad = DECIMAL_BYTES - minimal.length;
        for (int i = 0; i < pad; i++) {
            bytes[i] = fill;
        }
        System.arraycopy(minimal, 0, bytes, pad, minimal.length);
        return Binary.fromConstantByteArray(bytes);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
