package io.ivs.server.inventorylog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.QueryTestSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Log lines older than the retention days are deleted by the job; newer lines stay. */
class InventoryLogRetentionIntegrationTest extends QueryTestSupport {
    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    InventoryLogRetention retention;

    @Test
    void run_deletesLinesOlderThanTheRetentionDays_keepsTheNewer() {
        change("old-change");
        jdbc.update(
                "update inventory_log set logged_at = now() - interval '91 days'"
                        + " where environment_id = ?",
                env);
        change("new-change");

        retention.run();

        assertThat(jdbc.queryForList(
                        "select event_id from inventory_log where environment_id = ?",
                        String.class,
                        env))
                .containsExactly("new-change");
    }

    private void change(String id) {
        post(event(
                id, "usmf", "Bike", dims("siteId", "1", "locationId", "11"), "pos", "inbound", 1));
    }
}
