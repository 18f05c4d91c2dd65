package io.ivs.server.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Delta log as its writer keeps it: commits, reopening from a checkpoint, vacuum. */
class DeltaTableTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);

    @TempDir
    Path root;

    @Test
    void reopen_afterCheckpointAndWithoutEarlierCommits_readsTheSameState() throws IOException {
        DeltaTable table = DeltaTable.open(root, JSON);
        List<ObjectNode> first = new ArrayList<>(metaData());
        first.add(add("bucket=0/a.parquet", "0"));
        first.add(DeltaActions.txn(JSON, "app", 10, NOW));
        table.commit(first, "WRITE", NOW);
        ObjectNode a = table.files().iterator().next();
        table.commit(
                List.of(
                        DeltaActions.remove(JSON, a, NOW),
                        add("bucket=0/b.parquet", "0"),
                        DeltaActions.txn(JSON, "app", 20, NOW)),
                "MERGE",
                NOW);
        table.commit(List.of(add("bucket=1/c.parquet", "1")), "WRITE", NOW);
        table.checkpoint(NOW, RETENTION);
        table.commit(List.of(DeltaActions.txn(JSON, "other", 5, NOW)), "WRITE", NOW);
        for (long v = 0; v < 2; v++) {
            Files.delete(root.resolve(DeltaTable.LOG).resolve(DeltaActions.commitName(v)));
        }

        DeltaTable reopened = DeltaTable.open(root, JSON);

        assertThat(reopened.version()).isEqualTo(3);
        assertThat(reopened.files().stream().map(f -> f.get("path").asString()))
                .containsExactlyInAnyOrder("bucket=0/b.parquet", "bucket=1/c.parquet");
        assertThat(reopened.files()).containsExactlyInAnyOrderElementsOf(table.files());
        assertThat(reopened.transactionVersion("app")).isEqualTo(20);
        assertThat(reopened.transactionVersion("other")).isEqualTo(5);
        assertThat(reopened.transactionVersion("none")).isEqualTo(-1);
        assertThat(reopened.metadata()).isEqualTo(table.metadata());
    }

    @Test
    void vacuum_deletesOnlyFilesOutsideTheTableOlderThanTheRetention() throws IOException {
        DeltaTable table = DeltaTable.open(root, JSON);
        Path live = file("bucket=0/live.parquet", RETENTION.plusMinutes(5));
        Path removed = file("bucket=0/removed.parquet", RETENTION.plusMinutes(5));
        Path orphanOld = file("bucket=1/orphan-old.parquet", RETENTION.plusMinutes(1));
        Path orphanYoung = file("bucket=1/orphan-young.parquet", RETENTION.minusMinutes(1));
        List<ObjectNode> first = new ArrayList<>(metaData());
        first.add(add("bucket=0/live.parquet", "0"));
        first.add(add("bucket=0/removed.parquet", "0"));
        table.commit(first, "WRITE", NOW);
        ObjectNode gone = table.files().stream()
                .filter(f -> f.get("path").asString().endsWith("removed.parquet"))
                .findFirst()
                .orElseThrow();
        table.commit(List.of(DeltaActions.remove(JSON, gone, NOW)), "DELETE", NOW);

        int deleted = table.vacuum(NOW, RETENTION);

        assertThat(deleted).isEqualTo(2);
        assertThat(live).exists();
        assertThat(orphanYoung).exists();
        assertThat(removed).doesNotExist();
        assertThat(orphanOld).doesNotExist();
        assertThat(root.resolve(DeltaTable.LOG).resolve(DeltaActions.commitName(1)))
                .exists();
    }

    @Test
    void commit_versionWrittenByAnotherWriter_failsAndLeavesTheirs() throws IOException {
        DeltaTable ours = DeltaTable.open(root, JSON);
        DeltaTable theirs = DeltaTable.open(root, JSON);
        theirs.commit(metaData(), "WRITE", NOW);
        String written =
                Files.readString(root.resolve(DeltaTable.LOG).resolve(DeltaActions.commitName(0)));

        assertThatThrownBy(() -> ours.commit(metaData(), "WRITE", NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("version 0");
        assertThat(root.resolve(DeltaTable.LOG).resolve(DeltaActions.commitName(0)))
                .hasContent(written.strip());
        try (var log = Files.list(root.resolve(DeltaTable.LOG))) {
            assertThat(log.map(p -> p.getFileName().toString()))
                    .containsExactly(DeltaActions.commitName(0));
        }
    }

    private static List<ObjectNode> metaData() {
        return List.of(DeltaActions.metaData(
                JSON,
                "id-1",
                "summary",
                LakeSchema.summary(List.of("pos.inbound")).deltaSchema(JSON),
                List.of(LakeSchema.BUCKET),
                NOW));
    }

    private static ObjectNode add(String path, String bucket) {
        return DeltaActions.add(JSON, path, Map.of(LakeSchema.BUCKET, bucket), 100, NOW, 1);
    }

    private Path file(String path, Duration age) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "data");
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }
}
