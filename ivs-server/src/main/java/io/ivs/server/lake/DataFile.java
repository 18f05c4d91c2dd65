package io.ivs.server.lake;

import io.ivs.parquet.ParquetFiles;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A data file being written into a table's directory. It is invisible to readers until a commit
 * adds it; one that is never added (a failed page) is an orphan that vacuum deletes.
 */
final class DataFile implements AutoCloseable {
    private final LakeSchema schema;
    private final String path;
    private final Path file;
    private final Map<String, String> partitionValues;
    private final SimpleGroupFactory groups;
    private final ParquetWriter<Group> writer;
    private long rows;
    private boolean closed;

    /** A new file under {@code directory} (relative to the table, "" for its root). */
    DataFile(Path root, String directory, LakeSchema schema, Map<String, String> partitionValues)
            throws IOException {
        this.schema = schema;
        this.path = (directory.isEmpty() ? "" : directory + "/") + "part-" + UUID.randomUUID()
                + ".parquet";
        this.file = root.resolve(path);
        this.partitionValues = Map.copyOf(partitionValues);
        Files.createDirectories(file.getParent());
        var parquet = LakeRows.parquetSchema(schema);
        this.groups = new SimpleGroupFactory(parquet);
        this.writer = ParquetFiles.writer(file, parquet);
    }

    void write(@Nullable Object[] row) throws IOException {
        writer.write(LakeRows.group(groups, schema, row));
        rows++;
    }

    long rows() {
        return rows;
    }

    /** Closes the file and answers its add action. */
    ObjectNode finish(JsonMapper json, Instant now) throws IOException {
        close();
        return DeltaActions.add(json, path, partitionValues, Files.size(file), now, rows);
    }

    /** Closes and deletes the file: it will not be added. */
    void discard() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }
}
