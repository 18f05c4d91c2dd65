package io.ivs.parquet;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;

/**
 * The codec factory without Hadoop's codec classes, which parquet-java's default factory loads
 * even for uncompressed pages. IVS writes uncompressed pages only (codecs would pull in native
 * libraries); it reads uncompressed and gzip pages always, and Snappy pages (what most Parquet
 * writers use) where snappy-java is on the class path, as in the CLI.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    public static final ParquetCodecs INSTANCE = new ParquetCodecs();

    private static final boolean SNAPPY_PRESENT = present("org.xerial.snappy.Snappy");

    private static final BytesInputCompressor PASS_THROUGH = new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) {
            return bytes;
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.UNCOMPRESSED;
        }

        @Override
        public void release() {}
    };

    private ParquetCodecs() {}

    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            return switch (codec) {
                case UNCOMPRESSED -> bytes;
                case SNAPPY -> BytesInput.from(unsnappy(bytes.toByteArray()));
                case GZIP -> BytesInput.from(gunzip(bytes.toByteArray(), uncompressedSize));
                default -> throw unreadable(codec);
            };
        }

        @Override
        public void decompress(
                ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                ByteBuffer slice = input.duplicate();
                slice.limit(slice.position() + compressedSize);
                output.put(slice);
                return;
            }
            byte[] in = new byte[compressedSize];
            input.duplicate().get(in);
            output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
        }

        @Override
        public void release() {}
    }

    private static byte[] gunzip(byte[] compressed, int size) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readNBytes(size);
        }
    }

    private static byte[] unsnappy(byte[] compressed) throws IOException {
        if (!SNAPPY_PRESENT) {
            throw new UnsupportedOperationException(
                    "Snappy-compressed Parquet pages need snappy-java on the class path");
        }
        return Snappy.uncompress(compressed);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ParquetCodecs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static UnsupportedOperationException unreadable(CompressionCodecName codec) {
        return new UnsupportedOperationException("Parquet pages compressed with " + codec
                + " cannot be read; write the file uncompressed, with Snappy or with gzip");
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(codec);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (codec != CompressionCodecName.UNCOMPRESSED) {
            throw new UnsupportedOperationException(
                    "IVS writes uncompressed Parquet pages only, not " + codec);
        }
        return PASS_THROUGH;
    }

    @Override
    public void release() {}
}
