package io.ivs.server.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.postgres.ConfigurationChangeListener;
import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * Configurations are cached per instance (DESIGN D4): a change committed by any instance reaches
 * every instance through PostgreSQL notifications, and this instance's own changes are seen by
 * its next request.
 */
class ConfigurationCacheIntegrationTest extends HttpTestSupport {
    private static final Duration NOTIFICATION_WAIT_MAX = Duration.ofSeconds(10);

    @Autowired
    EnvironmentService environments;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    ConfigurationChangeListener listener;

    private ObjectNode documentWithReservations() {
        ObjectNode document = (ObjectNode) client.get(api("/configuration")).json();
        ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
        return document;
    }

    @Test
    void configuration_savedByAnotherInstance_isSeenOnceNotified() throws Exception {
        assertThat(environments.configuration(env).reservation().enabled()).isFalse();
        // Another instance saves version 2 the way JdbcConfigurationStore does: insert + notify.
        String document = IvsClient.json(documentWithReservations());
        tx.executeWithoutResult(status -> {
            jdbc.update(
                    "insert into configuration_version (environment_id, version, document)"
                            + " values (?, 2, ?::json)",
                    env,
                    document);
            jdbc.queryForList("select pg_notify(?, ?)", ConfigurationChangeListener.CHANNEL, env);
        });
        long deadline = System.nanoTime() + NOTIFICATION_WAIT_MAX.toNanos();
        while (!environments.configuration(env).reservation().enabled()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(environments.configuration(env).reservation().enabled()).isTrue();
    }

    @Test
    void configuration_hardUpdateOnThisInstance_isSeenByTheNextRequest() {
        assertThat(environments.configuration(env).reservation().enabled()).isFalse();
        IvsClient.Response updated = client.post(
                api("/configuration/hardupdate"), IvsClient.json(documentWithReservations()));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(environments.configuration(env).reservation().enabled()).isTrue();
    }

    @Test
    void listener_connected_hasAStamp() {
        long deadline = System.nanoTime() + NOTIFICATION_WAIT_MAX.toNanos();
        while (listener.stamp() < 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(listener.stamp()).isNotNegative();
    }
}
