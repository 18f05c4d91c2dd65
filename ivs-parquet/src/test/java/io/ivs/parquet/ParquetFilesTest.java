package io.ivs.parquet;

import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet written and read without Hadoop (hadoop-common is kept off this test's class path):
 * rows come back as written, and pages compressed by other writers are read where the codec is
 * one IVS reads, refused with the codec's name where it is not.
 */
class ParquetFilesTest {
    static final MessageType SCHEMA = Types.buildMessage()
            .required(BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("product")
            .optional(INT64)
            .named("quantity")
            .named("row");

    @TempDir
    Path dir;

    @Test
    void write_thenRead_answersTheRowsAndTheSchema() throws IOException {
        Path file = dir.resolve("rows.parquet");
        try (ParquetWriter<Group> writer = ParquetFiles.writer(file, SCHEMA)) {
            writeRows(writer, 1_000);
        }

        List<String> rows = new ArrayList<>();
        MessageType schema = ParquetFiles.read(file, row -> rows.add(text(row)));

        assertThat(schema).isEqualTo(SCHEMA);
        assertThat(rows).hasSize(1_000);
        assertThat(rows.get(0)).isEqualTo("P0=0");
        assertThat(rows.get(7)).isEqualTo("P7=");
        assertThat(rows.get(999)).isEqualTo("P999=999");
    }

    @Test
    void read_gzipAndSnappyPages_fromOtherWriters() throws IOException {
        for (CompressionCodecName codec :
                List.of(CompressionCodecName.GZIP, CompressionCodecName.SNAPPY)) {
            Path file = dir.resolve(codec + ".parquet");
            writeCompressed(file, codec, new ForeignCodecs(codec));

            List<String> rows = new ArrayList<>();
            ParquetFiles.read(file, row -> rows.add(text(row)));

            assertThat(rows).as(codec.name()).hasSize(300).contains("P299=299");
        }
    }

    @Test
    void read_pagesOfACodecNotRead_isRefusedNamingTheCodec() throws IOException {
        Path file = dir.resolve("zstd.parquet");
        // Pages labelled ZSTD (their bytes are left as they are: the reader stops at the label).
        writeCompressed(file, CompressionCodecName.ZSTD, new ForeignCodecs(null));

        assertThatThrownBy(() -> ParquetFiles.read(file, row -> {}))
                .hasStackTraceContaining("compressed with ZSTD cannot be read");
    }

    @Test
    void compressor_otherThanUncompressed_isRefused() {
        assertThatThrownBy(() -> ParquetCodecs.INSTANCE.getCompressor(CompressionCodecName.GZIP))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("GZIP");
    }

    private static void writeRows(ParquetWriter<Group> writer, int count) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        for (int i = 0; i < count; i++) {
            Group row = groups.newGroup().append("product", "P" + i);
            if (i % 7 != 0 || i == 0) {
                row.append("quantity", (long) i);
            }
            writer.write(row);
        }
    }

    private static void writeCompressed(
            Path file, CompressionCodecName codec, CompressionCodecFactory codecs)
            throws IOException {
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withCodecFactory(codecs)
                .withCompressionCodec(codec)
                .build()) {
            writeRows(writer, 300);
        }
    }

    private static String text(Group row) {
        String quantity =
                row.getFieldRepetitionCount("quantity") == 0 ? "" : "" + row.getLong("quantity", 0);
        return row.getString("product", 0) + "=" + quantity;
    }

    /** Compresses as another writer would: gzip, Snappy, or (null) labels pages only. */
    private record ForeignCodecs(CompressionCodecName codec) implements CompressionCodecFactory {
        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName label) {
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    byte[] raw = bytes.toByteArray();
                    if (codec == CompressionCodecName.GZIP) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                            gzip.write(raw);
                        }
                        return BytesInput.from(out.toByteArray());
                    }
                    return BytesInput.from(
                            codec == CompressionCodecName.SNAPPY ? Snappy.compress(raw) : raw);
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return label;
                }

                @Override
                public void release() {}
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName label) {
            return ParquetCodecs.INSTANCE.getDecompressor(label);
        }

        @Override
        public void release() {}
    }
}
