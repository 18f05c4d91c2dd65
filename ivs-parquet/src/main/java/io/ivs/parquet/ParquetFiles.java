package io.ivs.parquet;

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
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parquet files written and read with parquet-java's own file classes and
 * {@link PlainParquetConfiguration}, so no Hadoop library is needed at run time. Pages are
 * written dictionary-encoded and uncompressed; reading takes what {@link ParquetCodecs} reads.
 */
public final class ParquetFiles {
    /** Rows are buffered in memory up to a row group of this size, then written out. */
    public static final long ROW_GROUP_BYTES = 8L * 1024 * 1024;

    private static final ParquetReadOptions READ_OPTIONS = readOptions();

    private ParquetFiles() {}

    /** A writer of {@code schema}'s rows into a new file at {@code file}. */
    public static ParquetWriter<Group> writer(Path file, MessageType schema) throws IOException {
        return writer(new LocalOutputFile(file), schema);
    }

    /** A writer of {@code schema}'s rows into {@code out} (a file, a stream). */
    public static ParquetWriter<Group> writer(OutputFile out, MessageType schema)
            throws IOException {
        return ExampleParquetWriter.builder(out)
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withDictionaryEncoding(true)
                .build();
    }

    /** Opens {@code file} for reading row group by row group; the caller closes it. */
    public static ParquetFileReader open(Path file) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(file), READ_OPTIONS);
    }

    /** The rows of one row group, read one at a time with {@link RecordReader#read()}. */
    public static RecordReader<Group> records(MessageType schema, PageReadStore rowGroup) {
        return new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(rowGroup, new GroupRecordConverter(schema));
    }

    /** Hands every row of the file to {@code rows}; answers the file's schema. */
    public static MessageType read(Path file, Consumer<Group> rows) throws IOException {
        try (ParquetFileReader reader = open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = records(schema, pages);
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
     * constructor that the builder calls, and {@link ParquetCodecs}. A parquet-java upgrade that
     * changes this constructor fails here on first use, and in this module's tests.
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
                    ParquetCodecs.INSTANCE,
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
