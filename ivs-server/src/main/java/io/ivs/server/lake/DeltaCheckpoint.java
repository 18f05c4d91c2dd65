package io.ivs.server.lake;

import io.ivs.parquet.ParquetFiles;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A classic single-file Delta checkpoint: the table's state at a version as one Parquet file
 * with one action per row (protocol, metaData, txn, add, remove, each a nullable struct), and the
 * {@code _last_checkpoint} pointer that tells readers where to start.
 */
final class DeltaCheckpoint {
    static final String LAST = "_last_checkpoint";

    static final MessageType SCHEMA = Types.buildMessage()
            .addField(group("txn", string("appId"), int64("version"), int64("lastUpdated")))
            .addField(group(
                    "add",
                    string("path"),
                    stringMap("partitionValues"),
                    int64("size"),
                    int64("modificationTime"),
                    bool("dataChange"),
                    string("stats")))
            .addField(group(
                    "remove",
                    string("path"),
                    int64("deletionTimestamp"),
                    bool("dataChange"),
                    bool("extendedFileMetadata"),
                    stringMap("partitionValues"),
                    int64("size")))
            .addField(group(
                    "metaData",
                    string("id"),
                    string("name"),
                    group("format", string("provider"), stringMap("options")),
                    string("schemaString"),
                    Types.optionalList()
                            .optionalElement(PrimitiveTypeName.BINARY)
                            .as(LogicalTypeAnnotation.stringType())
                            .named("partitionColumns"),
                    stringMap("configuration"),
                    int64("createdTime")))
            .addField(group(
                    "protocol",
                    Types.optional(PrimitiveTypeName.INT32).named("minReaderVersion"),
                    Types.optional(PrimitiveTypeName.INT32).named("minWriterVersion")))
            .named("spark_schema");

    private DeltaCheckpoint() {}

    private static Type group(String name, Type... fields) {
        return Types.optionalGroup().addFields(fields).named(name);
    }

    private static Type string(String name) {
        return Types.optional(PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.stringType())
                .named(name);
    }

    private static Type int64(String name) {
        return Types.optional(PrimitiveTypeName.INT64).named(name);
    }

    private static Type bool(String name) {
        return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
    }

    private static Type stringMap(String name) {
        return Types.optionalMap()
                .key(PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.stringType())
                .optionalValue(PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.stringType())
                .named(name);
    }

    /** Writes the checkpoint of {@code version}, then points {@code _last_checkpoint} at it. */
    static void write(Path log, long version, List<ObjectNode> actions, JsonMapper json)
            throws IOException {
        Path aside = log.resolve(".checkpoint-" + UUID.randomUUID() + ".parquet.tmp");
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ParquetFiles.writer(aside, SCHEMA)) {
            for (ObjectNode action : actions) {
                Group row = groups.newGroup();
                Map.Entry<String, JsonNode> only =
                        action.properties().iterator().next();
                fill(
                        row.addGroup(only.getKey()),
                        SCHEMA.getType(only.getKey()).asGroupType(),
                        only.getValue());
                writer.write(row);
            }
        }
        Files.move(
                aside,
                log.resolve(DeltaActions.checkpointName(version)),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        ObjectNode last = json.createObjectNode();
        last.put("version", version);
        last.put("size", actions.size());
        Path lastAside = log.resolve(".last-" + UUID.randomUUID() + ".tmp");
        Files.writeString(lastAside, json.writeValueAsString(last), StandardCharsets.UTF_8);
        Files.move(
                lastAside,
                log.resolve(LAST),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The actions of a checkpoint file, each as a single action object. */
    static List<ObjectNode> read(Path file, JsonMapper json) throws IOException {
        List<ObjectNode> actions = new ArrayList<>();
        ParquetFiles.read(file, row -> {
            for (Type field : SCHEMA.getFields()) {
                if (row.getType().containsField(field.getName())
                        && row.getFieldRepetitionCount(field.getName()) > 0) {
                    ObjectNode action = json.createObjectNode();
                    action.set(field.getName(), body(json, row.getGroup(field.getName(), 0)));
                    actions.add(action);
                }
            }
        });
        return actions;
    }

    /** The JSON body of an action's group, the reverse of {@link #fill}. */
    private static ObjectNode body(JsonMapper json, Group group) {
        ObjectNode body = json.createObjectNode();
        GroupType type = group.getType();
        for (Type field : type.getFields()) {
            String name = field.getName();
            if (group.getFieldRepetitionCount(name) == 0) {
                continue;
            }
            LogicalTypeAnnotation logical = field.getLogicalTypeAnnotation();
            if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
                ObjectNode map = body.putObject(name);
                Group pairs = group.getGroup(name, 0);
                for (int i = 0; i < pairs.getFieldRepetitionCount(0); i++) {
                    Group pair = pairs.getGroup(0, i);
                    map.put(
                            pair.getString("key", 0),
                            pair.getFieldRepetitionCount("value") == 0
                                    ? null
                                    : pair.getString("value", 0));
                }
            } else if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                ArrayNode list = body.putArray(name);
                Group elements = group.getGroup(name, 0);
                for (int i = 0; i < elements.getFieldRepetitionCount(0); i++) {
                    list.add(elements.getGroup(0, i).getString("element", 0));
                }
            } else if (!field.isPrimitive()) {
                body.set(name, body(json, group.getGroup(name, 0)));
            } else {
                switch (field.asPrimitiveType().getPrimitiveTypeName()) {
                    case INT64 -> body.put(name, group.getLong(name, 0));
                    case INT32 -> body.put(name, group.getInteger(name, 0));
                    case BOOLEAN -> body.put(name, group.getBoolean(name, 0));
                    default -> body.put(name, group.getString(name, 0));
                }
            }
        }
        return body;
    }

    /** Copies a JSON action body into its Parquet group, field by field of the schema. */
    private static void fill(Group group, GroupType type, JsonNode body) {
        for (Type field : type.getFields()) {
            JsonNode value = body.get(field.getName());
            if (value == null || value.isNull()) {
                continue;
            }
            LogicalTypeAnnotation logical = field.getLogicalTypeAnnotation();
            if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
                Group map = group.addGroup(field.getName());
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    Group pair = map.addGroup(0);
                    pair.add("key", entry.getKey());
                    if (!entry.getValue().isNull()) {
                        pair.add("value", entry.getValue().asString());
                    }
                }
            } else if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                Group list = group.addGroup(field.getName());
                for (JsonNode element : value) {
                    list.addGroup(0).add("element", element.asString());
                }
            } else if (!field.isPrimitive()) {
                fill(group.addGroup(field.getName()), field.asGroupType(), value);
            } else {
                switch (field.asPrimitiveType().getPrimitiveTypeName()) {
                    case INT64 -> group.add(field.getName(), value.asLong());
                    case INT32 -> group.add(field.getName(), value.asInt());
                    case BOOLEAN -> group.add(field.getName(), value.asBoolean());
                    default -> group.add(field.getName(), value.asString());
                }
            }
        }
    }
}
