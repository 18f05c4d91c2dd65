package io.ivs.server.lake;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Delta log actions the lake writes (Delta transaction protocol, "Actions"), each as a single
 * action object: the JSON line of a commit file.
 */
final class DeltaActions {
    /** Readers need version 1 and writers version 2: no table features are used. */
    static final int READER_VERSION = 1;

    static final int WRITER_VERSION = 2;

    private DeltaActions() {}

    static String commitName(long version) {
        return String.format("%020d.json", version);
    }

    static String checkpointName(long version) {
        return String.format("%020d.checkpoint.parquet", version);
    }

    static ObjectNode protocol(JsonMapper json) {
        ObjectNode action = json.createObjectNode();
        ObjectNode protocol = action.putObject("protocol");
        protocol.put("minReaderVersion", READER_VERSION);
        protocol.put("minWriterVersion", WRITER_VERSION);
        return action;
    }

    static ObjectNode commitInfo(JsonMapper json, String operation, Instant now) {
        ObjectNode action = json.createObjectNode();
        ObjectNode info = action.putObject("commitInfo");
        info.put("timestamp", now.toEpochMilli());
        info.put("operation", operation);
        info.put("engineInfo", "IVS");
        return action;
    }

    /** The table's metadata: a new table gets a new id; a schema change keeps the id. */
    static ObjectNode metaData(
            JsonMapper json,
            String id,
            String name,
            String schemaString,
            List<String> partitionColumns,
            Instant created) {
        ObjectNode action = json.createObjectNode();
        ObjectNode metaData = action.putObject("metaData");
        metaData.put("id", id);
        metaData.put("name", name);
        ObjectNode format = metaData.putObject("format");
        format.put("provider", "parquet");
        format.putObject("options");
        metaData.put("schemaString", schemaString);
        var columns = metaData.putArray("partitionColumns");
        partitionColumns.forEach(columns::add);
        metaData.putObject("configuration");
        metaData.put("createdTime", created.toEpochMilli());
        return action;
    }

    static String newTableId() {
        return UUID.randomUUID().toString();
    }

    static ObjectNode add(
            JsonMapper json,
            String path,
            Map<String, String> partitionValues,
            long size,
            Instant modified,
            long records) {
        ObjectNode action = json.createObjectNode();
        ObjectNode add = action.putObject("add");
        add.put("path", path);
        ObjectNode values = add.putObject("partitionValues");
        partitionValues.forEach(values::put);
        add.put("size", size);
        add.put("modificationTime", modified.toEpochMilli());
        add.put("dataChange", true);
        add.put("stats", "{\"numRecords\":" + records + "}");
        return action;
    }

    /** The tombstone of a live file, from its add action. */
    static ObjectNode remove(JsonMapper json, ObjectNode add, Instant now) {
        ObjectNode action = json.createObjectNode();
        ObjectNode remove = action.putObject("remove");
        remove.put("path", add.get("path").asString());
        remove.put("deletionTimestamp", now.toEpochMilli());
        remove.put("dataChange", true);
        remove.put("extendedFileMetadata", true);
        remove.set("partitionValues", add.get("partitionValues"));
        remove.put("size", add.get("size").asLong());
        return action;
    }

    static ObjectNode txn(JsonMapper json, String appId, long version, Instant now) {
        ObjectNode action = json.createObjectNode();
        ObjectNode txn = action.putObject("txn");
        txn.put("appId", appId);
        txn.put("version", version);
        txn.put("lastUpdated", now.toEpochMilli());
        return action;
    }
}
