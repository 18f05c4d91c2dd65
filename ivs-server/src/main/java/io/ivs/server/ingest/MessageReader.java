package io.ivs.server.ingest;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.Limits;
import io.ivs.core.onhand.OnHandChange;
import io.ivs.core.onhand.WriteAccess;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.ingest.IngestMessage.Refused;
import io.ivs.server.ingest.IngestMessage.Target;
import io.ivs.server.ingest.IngestSettings.Source;
import io.ivs.server.onhand.OnHandItems;
import io.ivs.server.security.AccessPolicy;
import io.ivs.server.security.Role;
import io.ivs.server.web.Json;
import io.ivs.server.web.UnknownEnvironmentException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a Kafka message into what it asks for, with the API's rules: its kind, environment and
 * data source from headers or its source's settings (never guessed), the roles the API would
 * want for the same call, and its items parsed like the API's bodies.
 */
final class MessageReader {
    private final EnvironmentService environments;
    private final OnHandItems items;

    MessageReader(EnvironmentService environments, OnHandItems items) {
        this.environments = environments;
        this.items = items;
    }

    IngestMessage read(ConsumerRecord<byte[], byte[]> record, Source source) {
        try {
            return readChecked(record, source);
        } catch (InvalidInputException e) {
            return new Refused(e.getMessage());
        } catch (UnknownEnvironmentException | IllegalArgumentException e) {
            return new Refused(String.valueOf(e.getMessage()));
        }
    }

    private IngestMessage readChecked(ConsumerRecord<byte[], byte[]> record, Source source) {
        Headers headers = record.headers();
        MessageKind kind = kind(headers, source);
        EnvironmentId environment = environment(headers, source);
        RuntimeConfiguration config = environments.configuration(environment.value());
        String dataSource = kind == MessageKind.ONHAND ? null : dataSource(headers, source, config);
        String path = switch (kind) {
            case ONHAND -> "/onhand/bulk";
            case SETONHAND -> "/setonhand/" + dataSource + "/bulk";
            case SYNC -> "/sync/" + dataSource;
        };
        Set<Role> needed = AccessPolicy.apiRoles("POST", path);
        if (!source.holdsOneOf(needed)) {
            return new Refused("the source's roles " + source.roles() + " hold none of "
                    + needed.stream().map(Role::wireName).toList() + ", which POST " + path
                    + " needs");
        }
        WriteAccess access = source.writeAccess();
        if (kind == MessageKind.SYNC) {
            return sync(record, environment, java.util.Objects.requireNonNull(dataSource), access);
        }
        return writes(record.value(), new Target(environment, dataSource, access));
    }

    private static MessageKind kind(Headers headers, Source source) {
        String name = IngestHeaders.text(headers, IngestHeaders.KIND);
        if (name == null) {
            name = source.kind();
        }
        if (name.isEmpty()) {
            throw new InvalidInputException(
                    IngestHeaders.KIND,
                    "is required (one of " + MessageKind.names()
                            + "); the source sets no default kind");
        }
        String given = name;
        return MessageKind.parse(name)
                .orElseThrow(() -> new InvalidInputException(
                        IngestHeaders.KIND,
                        "'" + given + "' is not a kind; use one of " + MessageKind.names()));
    }

    private EnvironmentId environment(Headers headers, Source source) {
        String named = IngestHeaders.text(headers, IngestHeaders.ENVIRONMENT);
        if (!source.environment().isEmpty()) {
            if (named != null && !named.equals(source.environment())) {
                throw new InvalidInputException(
                        IngestHeaders.ENVIRONMENT,
                        "'" + named + "' differs from the environment of topic '" + source.topic()
                                + "', '" + source.environment() + "'");
            }
            return environments.requireKnown(source.environment());
        }
        if (named == null) {
            throw new InvalidInputException(
                    IngestHeaders.ENVIRONMENT,
                    "is required: topic '" + source.topic() + "' has no environment of its own");
        }
        return environments.requireKnown(named);
    }

    private static String dataSource(Headers headers, Source source, RuntimeConfiguration config) {
        String named = IngestHeaders.text(headers, IngestHeaders.DATA_SOURCE);
        String dataSource = named != null ? named : source.dataSource();
        if (dataSource.isEmpty()) {
            throw new InvalidInputException(
                    IngestHeaders.DATA_SOURCE,
                    "is required for set-on-hand and sync messages; the source sets no default");
        }
        if (config.dataSource(dataSource).isEmpty()) {
            throw new InvalidInputException(
                    IngestHeaders.DATA_SOURCE,
                    "data source '" + dataSource + "' is not configured");
        }
        return dataSource;
    }

    private IngestMessage writes(byte @Nullable [] value, Target target) {
        boolean set = target.dataSource() != null;
        JsonNode body = Json.parse(value);
        if (!body.isArray()) {
            return new IngestMessage.Writes(target, List.of(items.read(body, "", set)), List.of());
        }
        List<JsonNode> nodes = Json.array(body, "body");
        if (nodes.size() > Limits.BULK_ITEMS_MAX) {
            throw new InvalidInputException(
                    "body",
                    "holds " + nodes.size() + " items; a message may hold at most "
                            + Limits.BULK_ITEMS_MAX);
        }
        List<OnHandChange> read = new ArrayList<>(nodes.size());
        List<String> unreadable = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            try {
                read.add(items.read(nodes.get(i), "[" + i + "]", set));
            } catch (InvalidInputException e) {
                unreadable.add(e.getMessage());
            }
        }
        return new IngestMessage.Writes(target, read, unreadable);
    }

    private static IngestMessage sync(
            ConsumerRecord<byte[], byte[]> record,
            EnvironmentId environment,
            String dataSource,
            WriteAccess access) {
        Headers headers = record.headers();
        String syncId = IngestHeaders.text(headers, IngestHeaders.SYNC_ID);
        if (syncId == null) {
            throw new InvalidInputException(IngestHeaders.SYNC_ID, "is required for sync messages");
        }
        String actionName = IngestHeaders.text(headers, IngestHeaders.SYNC_ACTION);
        if (actionName == null) {
            throw new InvalidInputException(
                    IngestHeaders.SYNC_ACTION,
                    "is required for sync messages: begin, records, complete or abort");
        }
        SyncIngestion.Action action = SyncIngestion.Action.parse(actionName)
                .orElseThrow(() -> new InvalidInputException(
                        IngestHeaders.SYNC_ACTION,
                        "'" + actionName + "' is not begin, records, complete or abort"));
        byte[] body = record.value() == null ? new byte[0] : record.value();
        return new IngestMessage.Sync(
                new SyncIngestion.SyncStep(environment, dataSource, syncId, action, body, access));
    }
}
