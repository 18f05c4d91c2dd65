package io.ivs.server.summary;

import java.io.IOException;

/** Writes exported rows to a stream in one file format, row by row. */
interface ExportSink extends AutoCloseable {
    void write(ExportRow row) throws IOException;

    /** Completes the file (a Parquet footer, say) and flushes; the stream stays open. */
    @Override
    void close() throws IOException;
}
