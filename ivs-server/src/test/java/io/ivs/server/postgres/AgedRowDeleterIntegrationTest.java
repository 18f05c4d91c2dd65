package io.ivs.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.server.support.HttpTestSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The retention jobs' deleter on real PostgreSQL: rows older than the age go, batch by batch
 * until none remain, newer rows stay, and a run stops after its bounded number of batches.
 */
class AgedRowDeleterIntegrationTest extends HttpTestSupport {
    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ProcessedEventRetention processedEvents;

    private static final List<String> ID = List.of("id");

    private String table;

    @BeforeEach
    void scratchTable() {
        table = "aged_rows_" + env.replaceAll("[^a-z0-9]", "_");
        jdbc.execute(
                "create table " + table + " (id int primary key, made_at timestamptz not null)");
    }

    @AfterEach
    void dropScratchTable() {
        jdbc.execute("drop table if exists " + table);
    }

    @Test
    void deleteOlderThan_deletesTheOldRowsInBatchesUntilNoneRemain_keepsTheNewOnes() {
        insert(1, 25, Duration.ofDays(10));
        insert(26, 5, Duration.ofMinutes(1));
        List<Integer> batches = new ArrayList<>();
        AgedRowDeleter deleter = new AgedRowDeleter(jdbc, table, "made_at", ID, 4, 100);

        int deleted = deleter.deleteOlderThan(Duration.ofDays(7));

        assertThat(deleted).isEqualTo(25);
        assertThat(count()).isEqualTo(5);
        assertThat(deleter.deleteOlderThan(Duration.ofDays(7))).isZero();
        // Six full batches and a short one: the loop stops at the first short batch.
        AgedRowDeleter.inBatches(4, 100, rows -> {
            int answer = batches.size() < 6 ? rows : 1;
            batches.add(answer);
            return answer;
        });
        assertThat(batches).containsExactly(4, 4, 4, 4, 4, 4, 1);
    }

    @Test
    void deleteOlderThan_stopsAfterItsBatchesPerRun_andTheNextRunGoesOn() {
        insert(1, 25, Duration.ofDays(10));
        AgedRowDeleter deleter = new AgedRowDeleter(jdbc, table, "made_at", ID, 4, 2);

        assertThat(deleter.deleteOlderThan(Duration.ofDays(7))).isEqualTo(8);
        assertThat(count()).isEqualTo(17);
        assertThat(deleter.deleteOlderThan(Duration.ofDays(7))).isEqualTo(8);
        assertThat(count()).isEqualTo(9);
    }

    @Test
    void names_otherThanPlainSqlNames_areRefused() {
        assertThatThrownBy(() -> new AgedRowDeleter(jdbc, table + "; drop", "made_at", ID))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgedRowDeleter(jdbc, table, "made_at", List.of("id or 1=1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgedRowDeleter(jdbc, table, "made_at", ID, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void processedEventRetention_forgetsIdsOlderThanItsDays_only() {
        for (int i = 0; i < 3; i++) {
            jdbc.update(
                    "insert into processed_event (product_key, environment_id, family,"
                            + " event_id, fingerprint, processed_at)"
                            + " values (?, ?, 'onhand', ?, 'f', now() - ?::interval)",
                    java.util.UUID.randomUUID(),
                    env,
                    "e" + i,
                    i == 0 ? "1 hour" : "8 days");
        }

        processedEvents.run();

        assertThat(jdbc.queryForList(
                        "select event_id from processed_event where environment_id = ?",
                        String.class,
                        env))
                .containsExactly("e0");
    }

    private void insert(int firstId, int rows, Duration age) {
        jdbc.update(
                "insert into " + table + " select g, now() - make_interval(secs => ?)"
                        + " from generate_series(?, ?) g",
                (double) age.toSeconds(),
                firstId,
                firstId + rows - 1);
    }

    private int count() {
        Integer count = jdbc.queryForObject("select count(*) from " + table, Integer.class);
        return count == null ? 0 : count;
    }
}
