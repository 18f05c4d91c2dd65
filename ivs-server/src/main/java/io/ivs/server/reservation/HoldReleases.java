package io.ivs.server.reservation;

import io.ivs.server.postgres.AgedRowDeleter;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which change-feed positions a lapsed hold's release wrote, for the console: the release
 * transaction notes its holds in {@code hold_release}, each pointing at the change row its
 * release wrote (same product, {@code change_seq}; migration V33), which the sequencer gives a
 * position. Rows older than a week are removed by the sweeper.
 */
@Component
public class HoldReleases {
    /** Rows removed per call, so that one call stays short. */
    static final int PRUNE_BATCH = 1_000;

    /** How long a note is kept: as long as the change feed keeps its rows by default. */
    static final Duration KEPT = Duration.ofDays(7);

    private final JdbcTemplate jdbc;
    private final AgedRowDeleter pruner;

    public HoldReleases(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.pruner = new AgedRowDeleter(
                jdbc,
                "hold_release",
                "released_at",
                List.of("product_key", "environment_id", "xid", "reservation_id"),
                PRUNE_BATCH,
                1);
    }

    /** Position → reservation id, for the positions from..to that released a lapsed hold. */
    public Map<Long, String> between(String environmentId, long fromPosition, long toPosition) {
        Map<Long, String> released = new HashMap<>();
        jdbc.query(
                "select c.position, h.reservation_id from hold_release h"
                        + " join feed_change c on c.product_key = h.product_key"
                        + " and c.seq = h.change_seq"
                        + " where h.environment_id = ? and c.position between ? and ?",
                rs -> {
                    released.put(rs.getLong(1), rs.getString(2));
                },
                environmentId,
                fromPosition,
                toPosition);
        return released;
    }

    /** Removes notes older than a week, at most a batch; answers how many. */
    int prune() {
        return pruner.deleteOlderThan(KEPT);
    }
}
