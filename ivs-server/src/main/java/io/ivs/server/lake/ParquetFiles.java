package io.ivs.server.lake;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetMetricsCallback;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parquet files on a local (or mounted) file system, written and read with parquet-java's own
 * file classes and {@link PlainParquetConfiguration}, so no Hadoop library is needed at run time.
 */
final class ParquetFiles {
    /** Rows are buffered in memory up to a row group of this size, then written out. */
    static final long ROW_GROUP_BYTES = 8L * 1024 * 1024;

    private static final ParquetReadOptions READ_OPTIONS = readOptions();

    private ParquetFiles() {}

    static ParquetWriter<Group> writer(Path file, MessageType schema) throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCodecFactory(UncompressedCodecs.INSTANCE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withDictionaryEncoding(true)
                .build();
    }

    /** Hands every row of the file to {@code rows}; answers the file's schema. */
    static MessageType read(Path file, Consumer<Group> rows) throws IOException {
        try (ParquetFileReader reader =
                ParquetFileReader.open(new LocalInputFile(file), READ_OPTIONS)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory()
                        .getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++) {
                    rows.accept(records.read());
                }
            }
            return schema;
        }
    }

    /**
     * Default read options without Hadoop. {@code ParquetReadOptions.builder()} creates Hadoop's
     * codec factory before a caller can replace it, so the options are built with the
     * constructor that the builder calls, and the uncompressed-only codecs. A parquet-java
     * upgrade that changes this constructor fails here at start-up, and in the lake's tests.
     */
    private static ParquetReadOptions readOptions() {
        try {
            Constructor<ParquetReadOptions> constructor =
                    ParquetReadOptions.class.getDeclaredConstructor(
                            boolean.class,
                            boolean.class,
                            boolean.class,
                            boolean.class,
                            boolean.class,
                            boolean.class,
                            boolean.class,
                            boolean.class,
                            boolean.class,
                            FilterCompat.Filter.class,
                            ParquetMetadataConverter.MetadataFilter.class,
                            CompressionCodecFactory.class,
                            ByteBufferAllocator.class,
                            int.class,
                            Map.class,
                            FileDecryptionProperties.class,
                            ParquetMetricsCallback.class,
                            ParquetConfiguration.class);
            constructor.setAccessible(true);
            return constructor.newInstance(
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    FilterCompat.NOOP,
                    ParquetMetadataConverter.NO_FILTER,
                    UncompressedCodecs.INSTANCE,
                    new HeapByteBufferAllocator(),
                    8 << 20,
                    new HashMap<String, String>(),
                    null,
                    null,
                    new PlainParquetConfiguration());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("parquet-java's ParquetReadOptions changed", e);
        }
    }
}
