package io.ivs.server.lake;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One Delta table in a directory, as its single writer sees it: the state of its log (protocol,
 * metadata, live files, tombstones, application transaction versions), commits that append a
 * version to the log, checkpoints and vacuum.
 *
 * <p>A commit is put-if-absent: the version's JSON file is written aside and hard-linked into
 * {@code _delta_log}, which fails if the version exists, so two writers can never both write one
 * version (the second fails and reloads). Readers never see a partial commit.
 */
final class DeltaTable {
    static final String LOG = "_delta_log";

    /** A bound on the versions replayed when a table is opened. */
    static final long VERSIONS_MAX = 100_000_000L;

    private static final Logger LOGGER = LoggerFactory.getLogger(DeltaTable.class);

    private final Path root;
    private final Path log;
    private final JsonMapper json;
    private long version = -1;
    private @Nullable ObjectNode protocol;
    private @Nullable ObjectNode metadata;
    private final Map<String, ObjectNode> files = new TreeMap<>();
    private final Map<String, ObjectNode> tombstones = new TreeMap<>();
    private final Map<String, Long> transactions = new HashMap<>();

    private DeltaTable(Path root, JsonMapper json) {
        this.root = root;
        this.log = root.resolve(LOG);
        this.json = json;
    }

    /** Opens the table in {@code root}, reading its log; an absent table has version -1. */
    static DeltaTable open(Path root, JsonMapper json) throws IOException {
        DeltaTable table = new DeltaTable(root, json);
        Files.createDirectories(table.log);
        table.replay();
        return table;
    }

    /**
     * Reads the log: the last checkpoint, if there is one, then the commits after it. A checkpoint
     * that cannot be read (written by another tool in a form this reader does not know, say) is
     * passed over: the commits before it are kept, so the log is replayed from the start.
     */
    private void replay() throws IOException {
        long from = 0;
        Path last = log.resolve(DeltaCheckpoint.LAST);
        if (Files.exists(last)) {
            long checkpoint =
                    json.readTree(Files.readString(last)).path("version").asLong(-1);
            try {
                for (ObjectNode action : DeltaCheckpoint.read(
                        log.resolve(DeltaActions.checkpointName(checkpoint)), json)) {
                    apply(action);
                }
                version = checkpoint;
                from = checkpoint + 1;
            } catch (IOException | RuntimeException e) {
                LOGGER.warn(
                        "{}: checkpoint {} unreadable ({}); replaying every commit",
                        root,
                        checkpoint,
                        e.toString());
                clear();
            }
        }
        replayCommits(from);
    }

    private void clear() {
        version = -1;
        protocol = null;
        metadata = null;
        files.clear();
        tombstones.clear();
        transactions.clear();
    }

    private void replayCommits(long from) throws IOException {
        for (long v = from; v < VERSIONS_MAX; v++) {
            Path commit = log.resolve(DeltaActions.commitName(v));
            if (!Files.exists(commit)) {
                return;
            }
            for (String line : Files.readAllLines(commit, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    apply((ObjectNode) json.readTree(line));
                }
            }
            version = v;
        }
    }

    private void apply(ObjectNode action) {
        if (action.has("add")) {
            ObjectNode add = (ObjectNode) action.get("add");
            String path = add.get("path").asString();
            files.put(path, add);
            tombstones.remove(path);
        } else if (action.has("remove")) {
            ObjectNode remove = (ObjectNode) action.get("remove");
            String path = remove.get("path").asString();
            files.remove(path);
            tombstones.put(path, remove);
        } else if (action.has("txn")) {
            JsonNode txn = action.get("txn");
            transactions.put(txn.get("appId").asString(), txn.get("version").asLong());
        } else if (action.has("metaData")) {
            metadata = (ObjectNode) action.get("metaData");
        } else if (action.has("protocol")) {
            protocol = (ObjectNode) action.get("protocol");
        }
    }

    Path root() {
        return root;
    }

    long version() {
        return version;
    }

    /** The last version an application committed with {@code withTransaction}; -1 if none. */
    long transactionVersion(String appId) {
        return transactions.getOrDefault(appId, -1L);
    }

    @Nullable
    ObjectNode metadata() {
        return metadata;
    }

    /** The add actions of the live files. */
    Collection<ObjectNode> files() {
        return List.copyOf(files.values());
    }

    /**
     * Appends the next version with these actions (each a single action object such as
     * {@code {"add": {...}}}), preceded by commit information; answers the new version.
     */
    long commit(List<ObjectNode> actions, String operation, Instant now) throws IOException {
        long next = version + 1;
        List<ObjectNode> all = new ArrayList<>();
        all.add(DeltaActions.commitInfo(json, operation, now));
        if (next == 0 && protocol == null) {
            all.add(DeltaActions.protocol(json));
        }
        all.addAll(actions);
        StringBuilder text = new StringBuilder();
        for (ObjectNode action : all) {
            text.append(json.writeValueAsString(action)).append('\n');
        }
        Path aside = log.resolve(".commit-" + UUID.randomUUID() + ".json.tmp");
        Files.writeString(aside, text, StandardCharsets.UTF_8);
        try {
            Files.createLink(log.resolve(DeltaActions.commitName(next)), aside);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(
                    "version " + next + " of " + root + " was written by another writer", e);
        } finally {
            Files.deleteIfExists(aside);
        }
        for (ObjectNode action : all) {
            apply(action);
        }
        version = next;
        return next;
    }

    /**
     * Writes a checkpoint of the current version (and {@code _last_checkpoint}), leaving out the
     * tombstones older than {@code retention}, which vacuum may already have deleted.
     */
    void checkpoint(Instant now, Duration retention) throws IOException {
        long expired = now.minus(retention).toEpochMilli();
        tombstones.values().removeIf(r -> r.path("deletionTimestamp").asLong() < expired);
        List<ObjectNode> actions = new ArrayList<>();
        actions.add(json.createObjectNode().set("protocol", protocolOrDefault()));
        if (metadata != null) {
            actions.add(json.createObjectNode().set("metaData", metadata));
        }
        transactions.forEach((appId, v) -> actions.add(DeltaActions.txn(json, appId, v, now)));
        files.values().forEach(add -> actions.add(json.createObjectNode().set("add", add)));
        tombstones
                .values()
                .forEach(remove -> actions.add(json.createObjectNode().set("remove", remove)));
        DeltaCheckpoint.write(log, version, actions, json);
    }

    private ObjectNode protocolOrDefault() {
        return protocol != null
                ? protocol
                : (ObjectNode) DeltaActions.protocol(json).get("protocol");
    }

    /**
     * Deletes the data files that no live file of the current version is, and that were last
     * modified before {@code now - retention} (Delta's vacuum): files a reader of a version newer
     * than the retention could still need are kept. Answers the files deleted.
     */
    int vacuum(Instant now, Duration retention) throws IOException {
        long before = now.minus(retention).toEpochMilli();
        List<Path> deleted = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (file.startsWith(log) || !Files.isRegularFile(file)) {
                    continue;
                }
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (!files.containsKey(relative)
                        && Files.getLastModifiedTime(file).toMillis() < before) {
                    deleted.add(file);
                }
            }
        }
        for (Path file : deleted) {
            Files.deleteIfExists(file);
        }
        return deleted.size();
    }
}
