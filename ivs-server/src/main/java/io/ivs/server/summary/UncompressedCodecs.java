package io.ivs.server.summary;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.nio.ByteBuffer;

/**
 * The codec factory for uncompressed pages only (summary exports and the lake). parquet-java's
 * default factory loads Hadoop's compression classes even for uncompressed pages; this one needs
 * nothing.
 */
public final class UncompressedCodecs implements CompressionCodecFactory {
    public static final UncompressedCodecs INSTANCE = new UncompressedCodecs();

    private static final BytesInputCompressor COMPRESSOR = new BytesInputCompressor() {
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

    private static final BytesInputDecompressor DECOMPRESSOR = new BytesInputDecompressor() {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
            return bytes;
        }

        @Override
        public void decompress(
                ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) {
            ByteBuffer slice = input.duplicate();
            slice.limit(slice.position() + compressedSize);
            output.put(slice);
        }

        @Override
        public void release() {}
    };

    private UncompressedCodecs() {}

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        require(codec);
        return COMPRESSOR;
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        require(codec);
        return DECOMPRESSOR;
    }

    private static void require(CompressionCodecName codec) {
        if (codec != CompressionCodecName.UNCOMPRESSED) {
            throw new UnsupportedOperationException(
                    "only uncompressed Parquet pages are supported, not " + codec);
        }
    }

    @Override
    public void release() {}
}
