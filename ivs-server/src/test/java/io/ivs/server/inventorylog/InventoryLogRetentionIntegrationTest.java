package io.ivs.server.inventorylog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Log lines older than the retention days are deleted by the job; newer lines stay. */
class InventoryLogRetentionIntegrationTest extends HttpTestSupport {
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
        IvsClient.Response response = client.post(
                api("/onhand"),
                IvsClient.json(IvsClient.map(
                        "id",
                        id,
                        "organizationId",
                        "usmf",
                        "productId",
                        "Bike",
                        "dimensions",
                        IvsClient.map("siteId", "1", "locationId", "11"),
                        "quantities",
                        IvsClient.map("pos", IvsClient.map("inbound", 1)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
}
