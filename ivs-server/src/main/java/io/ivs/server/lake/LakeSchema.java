package io.ivs.server.lake;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The columns of a lake table: the columns stored in its Parquet files, then its partition
 * columns, whose values live in the Delta log only.
 */
record LakeSchema(List<LakeColumn> dataColumns, List<LakeColumn> partitionColumns) {
    /** Lower-case base dimensions, site and location first, as the summary table has them. */
    static final List<String> DIMENSIONS = dimensions();

    static final String BUCKET = "bucket";

    LakeSchema {
        dataColumns = List.copyOf(dataColumns);
        partitionColumns = List.copyOf(partitionColumns);
    }

    /**
     * The summary: organization, product, the dimension columns, the quantities JSON, the update
     * time, one decimal per measure (named {@code datasource.measure}), partitioned by bucket.
     */
    static LakeSchema summary(List<String> measureColumns) {
        List<LakeColumn> columns = new ArrayList<>();
        columns.add(LakeColumn.required("organization_id", LakeColumn.Type.STRING));
        columns.add(LakeColumn.required("product_id", LakeColumn.Type.STRING));
        for (String dimension : DIMENSIONS) {
            columns.add(LakeColumn.optional(dimension, LakeColumn.Type.STRING));
        }
        columns.add(LakeColumn.required("quantities", LakeColumn.Type.STRING));
        columns.add(LakeColumn.required("updated_at", LakeColumn.Type.TIMESTAMP));
        for (String measure : measureColumns) {
            columns.add(LakeColumn.optional(measure, LakeColumn.Type.DECIMAL));
        }
        return new LakeSchema(
                columns, List.of(LakeColumn.required(BUCKET, LakeColumn.Type.INTEGER)));
    }

    /** The change feed: one row per change, its position first. */
    static LakeSchema changes() {
        List<LakeColumn> columns = new ArrayList<>();
        columns.add(LakeColumn.required("position", LakeColumn.Type.LONG));
        columns.add(LakeColumn.required("committed_at", LakeColumn.Type.TIMESTAMP));
        columns.add(LakeColumn.required("kind", LakeColumn.Type.STRING));
        columns.add(LakeColumn.required("organization_id", LakeColumn.Type.STRING));
        columns.add(LakeColumn.required("product_id", LakeColumn.Type.STRING));
        for (String dimension : DIMENSIONS) {
            columns.add(LakeColumn.optional(dimension, LakeColumn.Type.STRING));
        }
        columns.add(LakeColumn.optional("quantities", LakeColumn.Type.STRING));
        columns.add(LakeColumn.optional("schedule", LakeColumn.Type.STRING));
        return new LakeSchema(columns, List.of());
    }

    /** The measure columns of a configuration: data sources and measures sorted. */
    static List<String> measureColumns(RuntimeConfiguration config) {
        List<DataSourceConfig> sources = new ArrayList<>(config.dataSources().values());
        sources.sort(Comparator.comparing(DataSourceConfig::key));
        List<String> names = new ArrayList<>();
        for (DataSourceConfig ds : sources) {
            TreeSet<String> all = new TreeSet<>(ds.physicalMeasures());
            all.addAll(ds.calculatedMeasures().keySet());
            for (String measure : all) {
                names.add(ds.key() + "." + measure);
            }
        }
        return names;
    }

    /** The measure columns of this summary schema, in order. */
    List<String> measures() {
        return dataColumns.stream()
                .filter(c -> c.type() == LakeColumn.Type.DECIMAL)
                .map(LakeColumn::name)
                .toList();
    }

    int index(String name) {
        for (int i = 0; i < dataColumns.size(); i++) {
            if (dataColumns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name);
    }

    List<String> partitionNames() {
        return partitionColumns.stream().map(LakeColumn::name).toList();
    }

    /** The Delta {@code schemaString}: a Spark struct type as JSON. */
    String deltaSchema(JsonMapper json) {
        ObjectNode struct = json.createObjectNode();
        struct.put("type", "struct");
        ArrayNode fields = struct.putArray("fields");
        List<LakeColumn> all = new ArrayList<>(dataColumns);
        all.addAll(partitionColumns);
        for (LakeColumn column : all) {
            ObjectNode field = fields.addObject();
            field.put("name", column.name());
            field.put("type", column.type().deltaName);
            field.put("nullable", column.nullable());
            field.putObject("metadata");
        }
        return json.writeValueAsString(struct);
    }

    private static List<String> dimensions() {
        List<String> names = new ArrayList<>(List.of(BaseDimension.SITE, BaseDimension.LOCATION));
        for (String name : BaseDimension.all()) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }
}
