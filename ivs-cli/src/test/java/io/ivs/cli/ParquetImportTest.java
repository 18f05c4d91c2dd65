package io.ivs.cli;

import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;
import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.imports.CsvRecord;
import io.ivs.parquet.ParquetCodecs;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parquet files read without Hadoop: the columns become the header, each value the text of a
 * CSV cell (decimals exact, a null an empty cell), and Snappy pages are decompressed.
 */
class ParquetImportTest {
    static final MessageType SCHEMA = Types.buildMessage()
            .required(BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("organizationId")
            .required(BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("productId")
            .optional(BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("siteId")
            .optional(INT32)
            .named("locationId")
            .optional(INT64)
            .as(LogicalTypeAnnotation.decimalType(2, 18))
            .named("pos.inbound")
            .optional(DOUBLE)
            .named("pos.outbound")
            .named("row");

    /** Writes rows of (product, site or null, location, inbound cents, outbound) with Snappy. */
    static void write(Path file, int rows) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withCodecFactory(new SnappyCompressor())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(64 * 1024L)
                .build()) {
            for (int i = 0; i < rows; i++) {
                Group row = groups.newGroup()
                        .append("organizationId", "usmf")
                        .append("productId", "P" + i % ImportCliIntegrationTest.PRODUCTS);
                if (i % 2 == 0) {
                    row.append("siteId", "1");
                }
                row.append("locationId", 11)
                        .append("pos.inbound", 150L + i)
                        .append("pos.outbound", 0.25);
                writer.write(row);
            }
        }
    }

    @Test
    void rowsBecomeCsvCells() throws IOException {
        Path file = TestIvs.tempDir("ivs-parquet-").resolve("rows.parquet");
        write(file, 5_000);

        List<CsvRecord> records = new ArrayList<>();
        List<String> header;
        long expected;
        try (RowSource source = ParquetSource.open(file)) {
            header = source.header();
            expected = source.rowsExpected();
            CsvRecord record;
            while ((record = source.next()) != null) {
                records.add(record);
            }
        }

        assertThat(header)
                .containsExactly(
                        "organizationId",
                        "productId",
                        "siteId",
                        "locationId",
                        "pos.inbound",
                        "pos.outbound");
        assertThat(expected).isEqualTo(5_000);
        assertThat(records).hasSize(5_000);
        assertThat(records.get(0).line()).isEqualTo(2);
        assertThat(records.get(0).fields())
                .containsExactly("usmf", "P0", "1", "11", "1.50", "0.25");
        assertThat(records.get(1).fields()).containsExactly("usmf", "P1", "", "11", "1.51", "0.25");
        assertThat(records.get(4_999).line()).isEqualTo(5_001);
    }

    /** Snappy for writing the test's files; the import itself only decompresses. */
    private static final class SnappyCompressor implements CompressionCodecFactory {
        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    return BytesInput.from(Snappy.compress(bytes.toByteArray()));
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return CompressionCodecName.SNAPPY;
                }

                @Override
                public void release() {}
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            return ParquetCodecs.INSTANCE.getDecompressor(codec);
        }

        @Override
        public void release() {}
    }
}
