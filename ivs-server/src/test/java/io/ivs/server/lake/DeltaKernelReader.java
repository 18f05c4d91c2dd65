package io.ivs.server.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Delta table with Delta Kernel, the Delta project's own reader, and writes its version
 * and then every row as JSON lines to a file (values as strings: decimals plain, timestamps in
 * microseconds); standard output is left to Kernel's logging. Run in a child JVM by
 * {@link LakeIntegrationTest}, because Kernel needs Hadoop, which the tests' class path does not
 * have. Files are read through {@link LocalFileIO}, not Hadoop's file system.
 */
public final class DeltaKernelReader {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DeltaKernelReader() {}

    private static final List<String> LINES = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Engine engine = DefaultEngine.create(new LocalFileIO());
        Table table = Table.forPath(engine, args[0]);
        Snapshot snapshot = table.getLatestSnapshot(engine);
        ObjectNode head = JSON.createObjectNode();
        head.put("version", snapshot.getVersion());
        LINES.add(JSON.writeValueAsString(head));
        Scan scan = snapshot.getScanBuilder().build();
        Row state = scan.getScanState(engine);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(engine, state);
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> rows = files.next().getRows()) {
                    while (rows.hasNext()) {
                        printFile(engine, state, physical, rows.next());
                    }
                }
            }
        }
        Files.write(Path.of(args[1]), LINES, StandardCharsets.UTF_8);
    }

    private static void printFile(Engine engine, Row state, StructType physical, Row file)
            throws IOException {
        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(
                        Utils.singletonCloseableIterator(
                                InternalScanFileUtils.getAddFileStatus(file)),
                        physical,
                        Optional.empty());
        try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, state, file, data)) {
            while (logical.hasNext()) {
                FilteredColumnarBatch batch = logical.next();
                ColumnarBatch columns = batch.getData();
                Optional<ColumnVector> selection = batch.getSelectionVector();
                for (int r = 0; r < columns.getSize(); r++) {
                    if (selection.isPresent()
                            && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
                        continue;
                    }
                    LINES.add(JSON.writeValueAsString(row(columns, r)));
                }
            }
        }
    }

    private static ObjectNode row(ColumnarBatch columns, int r) {
        ObjectNode row = JSON.createObjectNode();
        StructType schema = columns.getSchema();
        for (int c = 0; c < schema.length(); c++) {
            StructField field = schema.at(c);
            ColumnVector vector = columns.getColumnVector(c);
            if (vector.isNullAt(r)) {
                row.putNull(field.getName());
            } else if (field.getDataType() instanceof StringType) {
                row.put(field.getName(), vector.getString(r));
            } else if (field.getDataType() instanceof LongType
                    || field.getDataType() instanceof TimestampType) {
                row.put(field.getName(), Long.toString(vector.getLong(r)));
            } else if (field.getDataType() instanceof IntegerType) {
                row.put(field.getName(), Integer.toString(vector.getInt(r)));
            } else if (field.getDataType() instanceof DecimalType) {
                row.put(field.getName(), vector.getDecimal(r).toPlainString());
            } else {
                throw new IllegalStateException("unexpected type " + field.getDataType());
            }
        }
        return row;
    }
}
