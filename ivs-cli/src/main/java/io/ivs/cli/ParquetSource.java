package io.ivs.cli;

import io.ivs.core.imports.CsvReader;
import io.ivs.core.imports.CsvRecord;
import io.ivs.parquet.ParquetFiles;

import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parquet file's rows, read one row group at a time (bounded memory) with parquet-java's own
 * file classes, so no Hadoop library is needed. Columns are the file's top-level fields, named as
 * in a CSV header; each value becomes the text a CSV cell would hold (a null an empty cell). Row
 * n of the file counts as line n + 1, as if the schema were a header line.
 */
final class ParquetSource implements RowSource {
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final List<String> header = new ArrayList<>();
    private @Nullable RecordReader<Group> records;
    private long left;
    private long line = 1;

    private ParquetSource(ParquetFileReader reader) {
        this.reader = reader;
        this.schema = reader.getFooter().getFileMetaData().getSchema();
        for (Type field : schema.getFields()) {
            if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
                throw CliFailure.refused("Parquet column '" + field.getName()
                        + "' is not a single value; import takes flat columns only");
            }
            header.add(field.getName());
        }
    }

    static RowSource open(Path file) throws IOException {
        ParquetFileReader reader;
        try {
            reader = ParquetFiles.open(file);
        } catch (RuntimeException | IOException e) {
            throw CliFailure.refused(file + " is not a Parquet file: " + e.getMessage());
        }
        try {
            return new ParquetSource(reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    @Override
    public long rowsExpected() {
        return reader.getRecordCount();
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public @Nullable CsvRecord next() throws IOException {
        while (left == 0) {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return null;
            }
            records = ParquetFiles.records(schema, pages);
            left = pages.getRowCount();
        }
        left--;
        line++;
        Group group = java.util.Objects.requireNonNull(records).read();
        List<String> fields = new ArrayList<>(header.size());
        for (int i = 0; i < header.size(); i++) {
            fields.add(group.getFieldRepetitionCount(i) == 0 ? "" : text(group, i));
        }
        return new CsvRecord(line, fields, CsvReader.join(fields), null);
    }

    private String text(Group group, int field) {
        PrimitiveType type = schema.getType(field).asPrimitiveType();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
            BigInteger unscaled = switch (type.getPrimitiveTypeName()) {
                case INT32 -> BigInteger.valueOf(group.getInteger(field, 0));
                case INT64 -> BigInteger.valueOf(group.getLong(field, 0));
                default -> new BigInteger(group.getBinary(field, 0).getBytes());
            };
            return new BigDecimal(unscaled, decimal.getScale()).toPlainString();
        }
        return switch (type.getPrimitiveTypeName()) {
            case INT32 -> Integer.toString(group.getInteger(field, 0));
            case INT64 -> Long.toString(group.getLong(field, 0));
            case DOUBLE -> BigDecimal.valueOf(group.getDouble(field, 0)).toPlainString();
            case FLOAT -> new BigDecimal(Float.toString(group.getFloat(field, 0))).toPlainString();
            case BOOLEAN -> Boolean.toString(group.getBoolean(field, 0));
            default -> group.getString(field, 0);
        };
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
