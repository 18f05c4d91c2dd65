package io.ivs.server.lake;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Delta Kernel's file access over java.nio, for the tests' reader. Kernel's default, Hadoop's
 * file system, asks for the current {@code Subject}, which JDK 24 and later no longer give.
 * Read-only: the lake's tables are written by IVS.
 */
final class LocalFileIO implements FileIO {
    static Path path(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    @Override
    public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
        Path from = path(filePath);
        List<FileStatus> found = new ArrayList<>();
        try (var files = Files.list(from.getParent())) {
            files.filter(f -> f.getFileName()
                                    .toString()
                                    .compareTo(from.getFileName().toString())
                            >= 0)
                    .sorted()
                    .forEach(f -> found.add(status(f)));
        }
        return Utils.toCloseableIterator(found.iterator());
    }

    private static FileStatus status(Path file) {
        try {
            return FileStatus.of(
                    file.toString(),
                    Files.size(file),
                    Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public FileStatus getFileStatus(String path) {
        return status(path(path));
    }

    @Override
    public String resolvePath(String path) {
        return path(path).toAbsolutePath().normalize().toString();
    }

    @Override
    public boolean mkdirs(String path) throws IOException {
        Files.createDirectories(path(path));
        return true;
    }

    @Override
    public InputFile newInputFile(String path, long fileSize) {
        Path file = path(path);
        return new InputFile() {
            @Override
            public long length() {
                return fileSize;
            }

            @Override
            public String path() {
                return file.toString();
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                return new ChannelStream(Files.newByteChannel(file));
            }
        };
    }

    @Override
    public OutputFile newOutputFile(String path) {
        throw new UnsupportedOperationException("the test reader does not write");
    }

    @Override
    public boolean delete(String path) {
        throw new UnsupportedOperationException("the test reader does not write");
    }

    @Override
    public Optional<String> getConf(String key) {
        return Optional.empty();
    }

    /** A seekable stream over a file channel. */
    private static final class ChannelStream extends SeekableInputStream {
        private final SeekableByteChannel channel;

        ChannelStream(SeekableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return channel.read(ByteBuffer.wrap(bytes, offset, length));
        }

        @Override
        public long getPos() throws IOException {
            return channel.position();
        }

        @Override
        public void seek(long position) throws IOException {
            channel.position(position);
        }

        @Override
        public void readFully(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new java.io.EOFException();
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
